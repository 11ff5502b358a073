"""Request and response bodies of the contracts API."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts import selectors
from contracts.models import (
    Contract,
    Delivery,
    DeliveryFile,
    SanctionReview,
    Signature,
    Suspension,
)
from marketplace.api import fields


class SignatureSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")
    organization_name = serializers.CharField(source="organization.name")

    class Meta:
        model = Signature
        fields = ["organization", "organization_name", "user", "signed_at", "text_sha256"]


class DeliveryFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = DeliveryFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "url"]

    def get_url(self, file) -> str:
        return reverse("contracts:delivery_file", args=[file.delivery.contract_id, file.pk])


class DeliverySerializer(serializers.ModelSerializer):
    files = DeliveryFileSerializer(many=True, read_only=True)
    service_days = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = ["id", "note", "delivered_at", "service_days", "outcome", "decided_at",
                  "reason", "files"]

    def get_service_days(self, delivery) -> float:
        return round(delivery.service_seconds / 86400, 1)


class SuspensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suspension
        fields = ["id", "reason", "started_at", "ended_at"]


class ClockSerializer(serializers.Serializer):
    """Calendar days of 24 hours from both signatures to acceptance, suspensions excluded."""

    elapsed_days = serializers.FloatField()
    remaining_days = serializers.FloatField()
    overdue_days = serializers.IntegerField()
    paused = serializers.BooleanField()
    running = serializers.BooleanField()


class TimeLimitSerializer(serializers.Serializer):
    """A monopoly item's time limit (issue 17 §3), as published when the project was, on the
    same clock; `state` is running, near or overrun ("" before both signatures)."""

    days = serializers.IntegerField()
    competent_department = serializers.CharField()
    remaining_days = serializers.FloatField(allow_null=True)
    overrun_days = serializers.IntegerField(allow_null=True)
    state = serializers.CharField()
    overrun_recorded = serializers.BooleanField()


class ActionsSerializer(serializers.Serializer):
    sign = serializers.BooleanField()
    refuse = serializers.BooleanField()
    deliver = serializers.BooleanField()
    accept = serializers.BooleanField()
    reject = serializers.BooleanField()
    suspend = serializers.BooleanField()
    resume = serializers.BooleanField()
    terminate = serializers.BooleanField()
    award_next = serializers.BooleanField()
    continue_after_sanction = serializers.BooleanField()


class SanctionReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = SanctionReview
        fields = ["id", "sanction", "reason", "opened_at", "decision", "note", "decided_at"]


class ContractListSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title")
    owner_name = serializers.CharField(source="owner.name")
    agency_name = serializers.CharField(source="agency.name")

    class Meta:
        model = Contract
        fields = ["id", "project", "project_title", "owner", "owner_name", "agency",
                  "agency_name", "price", "promised_days", "status", "created_at",
                  "signing_deadline"]


class ContractSerializer(ContractListSerializer):
    signatures = SignatureSerializer(many=True, read_only=True)
    deliveries = serializers.SerializerMethodField()
    suspensions = SuspensionSerializer(many=True, read_only=True)
    sanction_reviews = SanctionReviewSerializer(many=True, read_only=True)
    service_clock = serializers.SerializerMethodField()
    time_limit = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta(ContractListSerializer.Meta):
        fields = [*ContractListSerializer.Meta.fields, "template_version", "text", "text_sha256",
                  "signatures", "activated_at", "delivered_at", "completed_at", "lapsed_at",
                  "lapse_reason", "terminated_at", "termination_reason", "at_fault",
                  "service_clock", "time_limit", "suspensions", "sanction_reviews",
                  "deliveries", "actions", "pdf_url"]

    def _now(self):
        return self.context.get("now") or timezone.now()

    @extend_schema_field(DeliverySerializer(many=True))
    def get_deliveries(self, contract):
        return DeliverySerializer(selectors.deliveries_of(contract), many=True).data

    @extend_schema_field(ClockSerializer(allow_null=True))
    def get_service_clock(self, contract):
        clock = selectors.clock_of(contract, now=self._now())
        if clock is None:
            return None
        return ClockSerializer({"elapsed_days": clock.elapsed_days,
                                "remaining_days": clock.remaining_days,
                                "overdue_days": clock.overdue_days, "paused": clock.paused,
                                "running": clock.running}).data

    @extend_schema_field(TimeLimitSerializer(allow_null=True))
    def get_time_limit(self, contract):
        limit = selectors.time_limit_of(contract, now=self._now())
        if limit is None:
            return None
        clock = limit.clock
        return TimeLimitSerializer({
            "days": limit.days, "competent_department": limit.department,
            "remaining_days": clock.remaining_days if clock else None,
            "overrun_days": clock.overdue_days if clock else None,
            "state": limit.state, "overrun_recorded": limit.overrun_recorded}).data

    @extend_schema_field(ActionsSerializer)
    def get_actions(self, contract):
        actions = selectors.actions_for(contract, self.context["request"].user, now=self._now())
        return ActionsSerializer(actions).data

    def get_pdf_url(self, contract) -> str:
        return reverse("contracts:pdf", args=[contract.pk])


class SignInputSerializer(serializers.Serializer):
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    text_sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", required=False,
        help_text="The SHA-256 of the text the signer read; refused when it differs.")
    otp_code = fields.CharField(
        max_length=32, required=False, allow_blank=True, trim_whitespace=True,
        help_text="The current code of the signer's authenticator app (or a recovery code); "
                  "required when the signer has set up two-step verification.")


class DeliverInputSerializer(serializers.Serializer):
    note = fields.CharField(kind="note")
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text="Multipart: deliverables (PDF, JPEG, PNG).")


class ReasonInputSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")


class ContinueInputSerializer(serializers.Serializer):
    note = fields.CharField(kind="note", required=False, allow_blank=True)


class TerminateInputSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")
    at_fault = serializers.ChoiceField(choices=Contract.Party.choices)
