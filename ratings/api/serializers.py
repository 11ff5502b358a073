"""Request and response bodies of the ratings API (API.md "Ratings, credit, blacklist")."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.accounts.models import Organization
from marketplace.api import fields
from ratings import selectors
from ratings.models import (
    BlacklistAppeal,
    BlacklistEntry,
    CreditEvent,
    CreditRepairRequest,
    MarketExit,
    Rating,
)
from ratings.models.ratings import AGENCY_RATES_OWNER, OWNER_RATES_AGENCY

SCORE = {"min_value": 1, "max_value": 5}


# --- Credit -----------------------------------------------------------------------------------

class CreditEventSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="event_type")
    type_label = serializers.CharField(source="get_event_type_display")
    severity = serializers.CharField(help_text="info | minor | major | serious")
    corrects = serializers.IntegerField(source="reverses_id", allow_null=True)
    corrected = serializers.SerializerMethodField(
        help_text="True when a later correction removed this event's effect.")

    class Meta:
        model = CreditEvent
        fields = ["id", "type", "type_label", "severity", "points", "occurred_at", "expires_at",
                  "public_note", "corrects", "corrected"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_corrected(self, event) -> bool:
        corrected = getattr(event, "corrected", None)
        return event.is_reversed if corrected is None else bool(corrected)


class OrganizationCreditSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization.pk")
    name = serializers.CharField(source="organization.name")
    uscc = serializers.CharField(source="organization.uscc")
    kind = serializers.CharField(source="organization.kind")
    status = serializers.CharField(source="organization.status")
    score = fields.DecimalField(max_digits=5, decimal_places=2, source="standing.score")
    grade = serializers.CharField(source="standing.grade")
    blacklisted = serializers.BooleanField()
    blacklisted_until = serializers.DateTimeField(source="organization.blacklisted_until",
                                                  allow_null=True)
    rating_summary = serializers.SerializerMethodField()
    events = CreditEventSerializer(many=True)

    @extend_schema_field({"type": "object", "properties": {
        "count": {"type": "integer"}, "average": {"type": "string", "nullable": True}}})
    def get_rating_summary(self, data) -> dict:
        summary = data["rating_summary"]
        return {"count": summary.count,
                "average": str(summary.average) if summary.average is not None else None}


class CreditEventInputSerializer(serializers.Serializer):
    event_type = serializers.ChoiceField(choices=[
        c for c in CreditEvent.Type.choices if c[0] not in ("rating_received", "reversal")])
    basis = fields.CharField(kind="basis", help_text="The written basis of the decision.")
    public_note = fields.CharField(kind="note", required=False, allow_blank=True, default="")
    points = fields.DecimalField(max_digits=6, decimal_places=2, required=False,
                                      allow_null=True, default=None,
                                      help_text="Overrides the type's points from settings.")
    days = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    occurred_at = fields.DateTimeField(required=False, allow_null=True, default=None)


class ReasonSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")


# --- Blacklist --------------------------------------------------------------------------------

class BlacklistEntrySerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="active | lifted | expired")
    source = serializers.CharField(read_only=True, help_text="automatic | regulator")
    rule = serializers.CharField(read_only=True, help_text="The automatic rule, if any.")
    organization_name = serializers.CharField(source="organization.name")
    organization_uscc = serializers.CharField(source="organization.uscc")

    class Meta:
        model = BlacklistEntry
        fields = ["id", "organization", "organization_name", "organization_uscc", "reason",
                  "basis", "source", "rule", "starts_at", "ends_at", "status", "closed_at",
                  "lift_reason"]


class BlacklistInputSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.exclude(kind=Organization.Kind.REGULATOR))
    reason = fields.CharField(kind="reason")
    basis = fields.CharField(kind="basis")
    ends_at = fields.DateTimeField()


class EvidenceFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class AppealSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending | upheld | dismissed")
    evidence = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = BlacklistAppeal
        fields = ["id", "entry", "organization", "text", "status", "reply", "submitted_at",
                  "decided_at", "evidence"]


class RepairSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending | approved | refused")
    evidence = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = CreditRepairRequest
        fields = ["id", "entry", "organization", "text", "status", "reply", "submitted_at",
                  "decided_at", "evidence"]


class EvidenceInputSerializer(serializers.Serializer):
    text = fields.CharField(kind="statement")
    evidence = serializers.ListField(child=serializers.FileField(), required=False,
                                     default=list)


class AppealDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reply = fields.CharField(kind="reply")


class RepairDecisionSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    reply = fields.CharField(kind="reply")


class MarketExitInputSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")
    basis = fields.CharField(kind="basis", required=False, allow_blank=True, default="")


class OrganizationStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "uscc", "status"]


class MarketExitSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketExit
        fields = ["id", "organization", "reason", "basis", "starts_at", "ends_at"]


# --- Ratings ----------------------------------------------------------------------------------

class OwnerRatingInputSerializer(serializers.Serializer):
    quality = serializers.IntegerField(**SCORE)
    timeliness = serializers.IntegerField(**SCORE)
    attitude = serializers.IntegerField(**SCORE)
    fee_compliance = serializers.IntegerField(**SCORE)
    conduct = serializers.IntegerField(**SCORE)
    comment = fields.CharField(kind="comment", required=False, allow_blank=True, default="")


class AgencyRatingInputSerializer(serializers.Serializer):
    cooperation = serializers.IntegerField(**SCORE)
    clarity = serializers.IntegerField(**SCORE)
    payment = serializers.IntegerField(**SCORE)
    comment = fields.CharField(kind="comment", required=False, allow_blank=True, default="")


INPUT_FOR = {Rating.Direction.OWNER_TO_AGENCY: OwnerRatingInputSerializer,
             Rating.Direction.AGENCY_TO_OWNER: AgencyRatingInputSerializer}
CRITERIA = {Rating.Direction.OWNER_TO_AGENCY: OWNER_RATES_AGENCY,
            Rating.Direction.AGENCY_TO_OWNER: AGENCY_RATES_OWNER}


class RatingSerializer(serializers.Serializer):
    """Scores, average and comment are null until `revealed` (double-blind), except for the
    rater itself."""

    id = serializers.IntegerField()
    contract = serializers.IntegerField(source="contract_id")
    direction = serializers.CharField()
    rater = serializers.IntegerField(source="rater_id")
    rater_name = serializers.CharField(source="rater.name")
    rated = serializers.IntegerField(source="rated_id")
    rated_name = serializers.CharField(source="rated.name")
    revealed = serializers.BooleanField()
    revealed_at = serializers.DateTimeField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    is_default = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    average = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()

    def _visible(self, rating) -> bool:
        return selectors.can_see_scores(rating, self.context.get("organization"))

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_default(self, rating):
        return rating.is_default if self._visible(rating) else None

    @extend_schema_field({"type": "object", "nullable": True,
                          "additionalProperties": {"type": "integer"}})
    def get_scores(self, rating):
        return dict(rating.scores) if self._visible(rating) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_average(self, rating):
        return str(rating.value) if self._visible(rating) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_comment(self, rating):
        return rating.comment if self._visible(rating) else None

    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "text": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}}})
    def get_reply(self, rating):
        reply = getattr(rating, "reply", None) if rating.revealed_at else None
        return {"text": reply.text, "created_at": reply.created_at.isoformat()} if reply else None


class RatingReplyInputSerializer(serializers.Serializer):
    text = fields.CharField(kind="reply")
