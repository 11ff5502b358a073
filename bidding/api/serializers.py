"""Request and response bodies of the bidding API (API.md "Projects and bids").

Output serializers take the viewer's organization in `context["organization"]`; what a bid
shows is decided by `selectors.bid_access`, never here.
"""

import copy
from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bidding import receipts, sealing, selectors
from bidding.models import Amendment, Bid, BidAttachment, Objection, Project, Question
from marketplace.accounts.models import Organization
from marketplace.api import fields
from marketplace.catalog.models import Region, ServiceItem
from providers.models import QualificationType

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal(0), "max_value": Decimal(100)}


# --- Nested parts ---------------------------------------------------------------------------

class WeightsSerializer(serializers.Serializer):
    price = serializers.IntegerField(min_value=0, max_value=100)
    credit = serializers.IntegerField(min_value=0, max_value=100)
    commitment = serializers.IntegerField(min_value=0, max_value=100)


class RequirementsSerializer(serializers.Serializer):
    qualifications = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=QualificationType.objects.all(), required=False,
        help_text="Qualification type codes the bidder must hold (valid on the day).")
    min_grade = serializers.ChoiceField(choices=Project.Grade.choices, required=False,
                                       allow_blank=True, help_text="Minimum credit grade.")


class ExclusionInputSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=Organization.Kind.AGENCY))
    reason = fields.CharField(kind="reason")


class ExclusionSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id")
    agency_name = serializers.CharField(source="agency.name")
    reason = serializers.CharField()


class DrawSerializer(serializers.Serializer):
    commitment = serializers.CharField()
    secret = serializers.CharField()
    candidates = serializers.ListField(child=serializers.CharField())
    seed = serializers.CharField()
    index = serializers.IntegerField()


class AwardSerializer(serializers.Serializer):
    bid = serializers.IntegerField(source="bid_id")
    agency = serializers.IntegerField(source="bid.agency_id")
    agency_name = serializers.CharField(source="bid.agency.name")
    price = fields.DecimalField(source="bid.price", **MONEY)
    proposed_at = serializers.DateTimeField()
    publicity_ends_at = serializers.DateTimeField()
    final = serializers.BooleanField()


# --- Projects -------------------------------------------------------------------------------

class ProjectInputSerializer(serializers.Serializer):
    title = fields.CharField(kind="title")
    service_item = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceItem.objects.filter(is_active=True))
    description = fields.CharField(kind="description")
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    budget_cap = fields.DecimalField(min_value=Decimal("0.01"), **MONEY)
    selection_method = serializers.ChoiceField(choices=Project.Method.choices)
    bid_deadline = fields.DateTimeField()
    min_bidders = serializers.IntegerField(min_value=1, max_value=100, required=False)
    requirements = RequirementsSerializer(required=False)
    weights = WeightsSerializer(required=False, help_text="Comprehensive scoring; sum 100.")
    quote_format = serializers.ChoiceField(choices=Project.QuoteFormat.choices, required=False)
    discount_rate_min = fields.DecimalField(required=False, allow_null=True, **RATE)
    discount_rate_max = fields.DecimalField(required=False, allow_null=True, **RATE)
    exclusions = ExclusionInputSerializer(many=True, required=False)
    complaint_contact = fields.CharField(kind="line", required=False, allow_blank=True,
                                              help_text="Defaults to the owner's phone.")
    funding_source = serializers.ChoiceField(
        choices=Project.FundingSource.choices, required=False,
        help_text="Defaults to government_budget for a government owner, own_funds otherwise.")
    budget_reference = fields.CharField(
        kind="line", required=False, allow_blank=True,
        help_text="The budget line or document number; required with government_budget.")

    def to_terms(self) -> dict:
        """The validated data as project service keyword arguments."""
        data = dict(self.validated_data)
        requirements = data.pop("requirements", None)
        if requirements is not None:
            if "qualifications" in requirements:
                data["required_qualifications"] = requirements["qualifications"]
            if "min_grade" in requirements:
                data["min_grade"] = requirements["min_grade"] or ""
        if "exclusions" in data:
            data["exclusions"] = [(e["agency"], e["reason"]) for e in data["exclusions"]]
        return data


class AmendmentChangesSerializer(serializers.Serializer):
    title = fields.CharField(kind="title", required=False)
    description = fields.CharField(kind="description", required=False)
    budget_cap = fields.DecimalField(min_value=Decimal("0.01"), required=False, **MONEY)
    bid_deadline = fields.DateTimeField(required=False)
    requirements = RequirementsSerializer(required=False)
    complaint_contact = fields.CharField(kind="line", required=False)
    discount_rate_min = fields.DecimalField(required=False, **RATE)
    discount_rate_max = fields.DecimalField(required=False, **RATE)
    weights = WeightsSerializer(required=False)


class AmendmentInputSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")
    changes = AmendmentChangesSerializer()

    def to_changes(self) -> dict:
        changes = dict(self.validated_data["changes"])
        requirements = changes.pop("requirements", None)
        if requirements is not None:
            if "qualifications" in requirements:
                changes["required_qualifications"] = requirements["qualifications"]
            if "min_grade" in requirements:
                changes["min_grade"] = requirements["min_grade"] or ""
        return changes


class AmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Amendment
        fields = ["id", "project", "reason", "changes", "previous_deadline", "bid_deadline",
                  "published_at"]


class ProjectListSerializer(serializers.ModelSerializer):
    service_item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_item_name = serializers.CharField(source="service_item.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    # A plain string here, the enum on the detail: one component per choice set keeps the
    # OpenAPI enum names stable.
    status = serializers.CharField(read_only=True,
                                   help_text=" | ".join(Project.Status.values))
    bid_count = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "service_item", "service_item_name", "region", "region_name",
                  "owner", "owner_name", "status", "budget_cap", "selection_method",
                  "quote_format", "bid_deadline", "published_at", "bid_count"]

    def get_bid_count(self, project) -> int:
        return selectors.bid_count(project)


class ProjectSerializer(ProjectListSerializer):
    status = serializers.ChoiceField(choices=Project.Status.choices, read_only=True)
    requirements = serializers.SerializerMethodField()
    weights = serializers.SerializerMethodField()
    exclusions = serializers.SerializerMethodField()
    draw_commitment = serializers.SerializerMethodField()
    draw = serializers.SerializerMethodField()
    award = serializers.SerializerMethodField()
    contract = serializers.SerializerMethodField()
    next_round = serializers.SerializerMethodField()

    class Meta(ProjectListSerializer.Meta):
        fields = [*ProjectListSerializer.Meta.fields, "description", "requirements", "weights",
                  "min_bidders", "complaint_contact", "funding_source", "budget_reference",
                  "discount_rate_min", "discount_rate_max",
                  "exclusions", "opened_at", "cancel_reason", "cancelled_at", "failed_reason",
                  "previous_round", "next_round", "draw_commitment", "draw", "award",
                  "contract", "created_at", "updated_at"]

    @extend_schema_field(RequirementsSerializer)
    def get_requirements(self, project) -> dict:
        return {"qualifications": [t.code for t in project.required_qualifications.all()],
                "min_grade": project.min_grade}

    @extend_schema_field(WeightsSerializer(allow_null=True))
    def get_weights(self, project):
        if project.selection_method != Project.Method.COMPREHENSIVE:
            return None
        return project.weights

    @extend_schema_field(ExclusionSerializer(many=True, allow_null=True))
    def get_exclusions(self, project):
        """Shown to the owner and regulators only (null for everyone else)."""
        if not selectors.exclusions_visible(project, self.context.get("organization")):
            return None
        return ExclusionSerializer(selectors.exclusions_of(project), many=True).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_draw_commitment(self, project) -> str | None:
        return project.draw_commitment or None

    @extend_schema_field(DrawSerializer(allow_null=True))
    def get_draw(self, project):
        draw = selectors.latest_draw(project)
        return draw.as_dict() if draw is not None else None

    @extend_schema_field(AwardSerializer(allow_null=True))
    def get_award(self, project):
        award = selectors.standing_award(project)
        return AwardSerializer(award).data if award is not None else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_contract(self, project) -> int | None:
        return selectors.contract_id(project)

    @extend_schema_field(OpenApiTypes.INT)
    def get_next_round(self, project) -> int | None:
        nxt = project.next_rounds.order_by("id").first()
        return nxt.pk if nxt else None


class CancelSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")


class RepublishSerializer(serializers.Serializer):
    bid_deadline = fields.DateTimeField(required=False)


class AwardInputSerializer(serializers.Serializer):
    bid = serializers.IntegerField(required=False, help_text="Direct selection: the bid chosen.")


# --- Questions ------------------------------------------------------------------------------

class TextSerializer(serializers.Serializer):
    text = fields.CharField(kind="question")


class QuestionSerializer(serializers.ModelSerializer):
    mine = serializers.SerializerMethodField()
    asked_by = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = ["id", "project", "text", "asked_at", "answer", "answered_at", "mine",
                  "asked_by"]

    def get_mine(self, question) -> bool:
        organization = self.context.get("organization")
        return organization is not None and organization.pk == question.asked_by_id

    @extend_schema_field(OpenApiTypes.INT)
    def get_asked_by(self, question) -> int | None:
        """Who asked: only the asker and regulators see it (null for everyone else)."""
        if selectors.may_see_asker(question, self.context.get("organization")):
            return question.asked_by_id
        return None


# --- Bids -----------------------------------------------------------------------------------

class BidInputSerializer(serializers.Serializer):
    price = fields.DecimalField(required=False, allow_null=True, min_value=Decimal("0.01"),
                                     help_text="Amount projects.", **MONEY)
    discount_rate = fields.DecimalField(required=False, allow_null=True, **RATE,
                                             help_text="Discount-rate projects only.")
    promised_days = serializers.IntegerField(min_value=1)
    proposal = fields.CharField(kind="proposal", allow_blank=True, required=False, default="")
    files = serializers.ListField(
        child=serializers.FileField(), required=False,
        help_text="Multipart: attachments (PDF, JPEG, PNG), sealed into the receipt by their "
                  "SHA-256.")


class BidRevisionSerializer(BidInputSerializer):
    promised_days = serializers.IntegerField(min_value=1, required=False)
    proposal = fields.CharField(kind="proposal", allow_blank=True, required=False)
    files = serializers.ListField(
        child=serializers.FileField(), required=False,
        help_text="Multipart: attachments added to the bid.")
    remove_attachments = serializers.ListField(
        child=serializers.IntegerField(), required=False,
        help_text="Ids of the bid's attachments to drop; the others are kept.")


class BiddingAttachmentSerializer(serializers.Serializer):
    """A checked file as listed with its bid or objection; `url` downloads it (session or
    token authentication), for whoever may see the bid or objection."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        name = ("bidding:bid_attachment" if isinstance(attachment, BidAttachment)
                else "bidding:objection_attachment")
        path = reverse(name, args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


PUBLIC_BID_FIELDS = ("id", "project", "agency", "agency_name", "status", "price",
                     "discount_rate", "promised_days", "valid", "invalid_reason", "rank",
                     "score", "receipt", "abnormally_low", "justification_decision")
# Attachments are part of the proposal: after opening only the owner and regulators read them.
FULL_BID_FIELDS = (*PUBLIC_BID_FIELDS, "proposal", "attachments", "fee_standard", "fee_max",
                   "service_standard", "attachment_hashes", "justification",
                   "justification_reply", "sealed_at", "submitted_at", "revised_at")
OWN_BID_FIELDS = (*FULL_BID_FIELDS, "salt", "canonical", "needs_reconfirmation",
                  "confirmed_at", "withdrawn_at")
FIELDS_BY_ACCESS = {selectors.PUBLIC: PUBLIC_BID_FIELDS, selectors.FULL: FULL_BID_FIELDS,
                    selectors.OWN: OWN_BID_FIELDS}


class BidSerializer(serializers.ModelSerializer):
    """A bid as its viewer may see it: the bidding agency sees everything (salt and canonical
    text included, to check its receipt); after opening, the owner and regulators also see the
    proposal and commitments; everyone else sees the public fields. Fields a viewer may not see
    are absent."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    canonical = serializers.SerializerMethodField(
        help_text="The canonical text the receipt hashes (with the salt appended).")
    attachments = BiddingAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Bid
        fields = list(OWN_BID_FIELDS)
        # The column is empty while sealed, but a reader only ever gets a price (its own bid
        # decrypted, or an opened one): the contract keeps it non-null.
        extra_kwargs = {"price": {"allow_null": False, "required": True}}

    def get_fields(self):
        # The fields are built from the model once per class, then copied for each use, as
        # DRF copies declared fields: rebuilding them from the model on every response was
        # most of its cost (issue 14 §1, the bid submission). Nothing here depends on the
        # instance or the context: what a viewer sees is cut in `to_representation`.
        cls = type(self)
        template = cls.__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            cls._fields_template = template
        return copy.deepcopy(template)

    def get_canonical(self, bid) -> str:
        return receipts.canonical_of_bid(bid)

    def to_representation(self, bid):
        organization = self.context.get("organization")
        access = selectors.bid_access(bid, organization, self.context.get("project"))
        if access == selectors.OWN:  # a sealed bid is decrypted for its own agency only
            sealing.reveal_to_bidder(bid, organization)
        data = super().to_representation(bid)
        allowed = FIELDS_BY_ACCESS.get(access, ())
        return {k: v for k, v in data.items() if k in allowed}


class JustificationDecisionSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    reply = fields.CharField(kind="reply", required=False, allow_blank=True, default="")


# --- Objections -----------------------------------------------------------------------------

class ObjectionInputSerializer(serializers.Serializer):
    reason = fields.CharField(kind="objection")
    files = serializers.ListField(child=serializers.FileField(), required=False,
                                  help_text="Multipart: evidence (PDF, JPEG, PNG).")


class ObjectionSerializer(serializers.ModelSerializer):
    agency = serializers.IntegerField(source="bid.agency_id", read_only=True)
    attachments = BiddingAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "project", "award", "bid", "agency", "reason", "status", "reply",
                  "filed_at", "decided_at", "attachments"]


class ObjectionDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reply = fields.CharField(kind="reply")
    exclude_bid = serializers.BooleanField(
        required=False, default=True,
        help_text="Upheld against the awarded bid: that bid becomes invalid (default).")
