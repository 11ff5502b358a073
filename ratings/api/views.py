"""Credit, blacklist, appeals, credit repair, market exit and ratings (API.md). Thin views:
parse, call a service, render; domain errors map to HTTP in marketplace.api.exceptions."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from marketplace.actors import require_admin_of
from marketplace.errors import NotFound
from ratings import selectors, services
from ratings.api import serializers as s
from ratings.api.base import RatingsAPIView, ReadAnyoneWriteRegulators
from ratings.models import (
    BlacklistAppeal,
    BlacklistEntry,
    CreditEvent,
    CreditRepairRequest,
    Rating,
)
from ratings.rules import check_rated_replies
from ratings.services.ratings import direction_of

CONFLICT = OpenApiResponse(description="The object's state or the clock does not allow it.")
FORBIDDEN = OpenApiResponse(description="The caller may not do this (regulators only, or the "
                                        "listed organization's administrator).")


def _get(model, pk):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


# --- Credit -----------------------------------------------------------------------------------


def credit_payload(organization) -> dict:
    now = timezone.now()
    return {"organization": organization, "standing": selectors.standing(organization),
            "blacklisted": organization.is_blacklisted(now),
            "rating_summary": selectors.rating_summary(organization),
            "events": list(selectors.public_events(organization))}


class CreditDetail(RatingsAPIView):
    @extend_schema(summary="An organization's credit: score, grade and public events",
                   responses={200: s.OrganizationCreditSerializer})
    def get(self, request, pk):
        organization = selectors.organization_or_404(pk)
        return Response(s.OrganizationCreditSerializer(credit_payload(organization)).data)


class CreditEvents(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Record a credit event with a written basis (regulators)",
                   request=s.CreditEventInputSerializer,
                   responses={201: s.CreditEventSerializer, 403: FORBIDDEN})
    def post(self, request, pk):
        organization = selectors.organization_or_404(pk)
        body = s.CreditEventInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.credit_event_add(organization=organization, by=request.user,
                                          **body.validated_data)
        return Response(s.CreditEventSerializer(event).data, status=status.HTTP_201_CREATED)


class CreditEventReverse(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Correct a credit event by a reversing entry (regulators)",
                   request=s.ReasonSerializer,
                   responses={201: s.CreditEventSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.credit_event_reverse(event=_get(CreditEvent, pk), by=request.user,
                                                 reason=body.validated_data["reason"])
        return Response(s.CreditEventSerializer(reversal).data, status=status.HTTP_201_CREATED)


# --- Blacklist --------------------------------------------------------------------------------


class Blacklist(RatingsAPIView, generics.GenericAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    serializer_class = s.BlacklistEntrySerializer
    queryset = BlacklistEntry.objects.none()  # for the schema; reads go through selectors

    @extend_schema(summary="The public blacklist (active entries)",
                   responses={200: s.BlacklistEntrySerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(selectors.active_blacklist())
        return self.get_paginated_response(s.BlacklistEntrySerializer(page, many=True).data)

    @extend_schema(summary="Blacklist an organization (regulators)",
                   description="The agency's open bids become invalid at once.",
                   request=s.BlacklistInputSerializer,
                   responses={201: s.BlacklistEntrySerializer, 403: FORBIDDEN})
    def post(self, request):
        body = s.BlacklistInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.blacklist_add(source=BlacklistEntry.Source.REGULATOR, by=request.user,
                                       **body.validated_data)
        return Response(s.BlacklistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class BlacklistLift(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Lift a blacklist entry (regulators)", request=s.ReasonSerializer,
                   responses={200: s.BlacklistEntrySerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.blacklist_lift(entry=_get(BlacklistEntry, pk), by=request.user,
                                        reason=body.validated_data["reason"])
        return Response(s.BlacklistEntrySerializer(entry).data)


class BlacklistAppeals(RatingsAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(summary="Appeal against a blacklist entry (the listed organization)",
                   request={"multipart/form-data": s.EvidenceInputSerializer,
                            "application/json": s.EvidenceInputSerializer},
                   responses={201: s.AppealSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        entry = _get(BlacklistEntry, pk)
        require_admin_of(request.user, entry.organization)  # before the body (issue 13 §2)
        body = s.EvidenceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = services.appeal_submit(entry=entry, by=request.user,
                                        text=body.validated_data["text"],
                                        files=request.FILES.getlist("evidence"))
        return Response(s.AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealDecide(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Decide an appeal with a written reply (regulators)",
                   request=s.AppealDecisionSerializer,
                   responses={200: s.AppealSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = s.AppealDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = services.appeal_decide(appeal=_get(BlacklistAppeal, pk), by=request.user,
                                        **body.validated_data)
        return Response(s.AppealSerializer(appeal).data)


class BlacklistRepairs(RatingsAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(summary="Apply for credit repair after the minimum period (the listed "
                           "organization)",
                   request={"multipart/form-data": s.EvidenceInputSerializer,
                            "application/json": s.EvidenceInputSerializer},
                   responses={201: s.RepairSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        entry = _get(BlacklistEntry, pk)
        require_admin_of(request.user, entry.organization)
        body = s.EvidenceInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        repair = services.repair_request(entry=entry, by=request.user,
                                         text=body.validated_data["text"],
                                         files=request.FILES.getlist("evidence"))
        return Response(s.RepairSerializer(repair).data, status=status.HTTP_201_CREATED)


class RepairDecide(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Approve or refuse a credit repair request (regulators)",
                   request=s.RepairDecisionSerializer,
                   responses={200: s.RepairSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = s.RepairDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        repair = services.repair_decide(request=_get(CreditRepairRequest, pk), by=request.user,
                                        **body.validated_data)
        return Response(s.RepairSerializer(repair).data)


class OrganizationExit(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Expel an organization from the market (清退, regulators)",
                   request=s.MarketExitInputSerializer,
                   responses={201: s.MarketExitSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        organization = selectors.organization_or_404(pk)
        body = s.MarketExitInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        market_exit = services.organization_expel(organization=organization, by=request.user,
                                                  **body.validated_data)
        return Response(s.MarketExitSerializer(market_exit).data,
                        status=status.HTTP_201_CREATED)


class OrganizationStatusChange(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    """Suspend (暂停) or reinstate an organization; `change` is set per URL."""

    change = "suspend"

    @extend_schema(summary="Suspend or reinstate an organization (regulators)",
                   request=s.ReasonSerializer,
                   responses={200: s.OrganizationStatusSerializer, 403: FORBIDDEN,
                              409: CONFLICT})
    def post(self, request, pk):
        organization = selectors.organization_or_404(pk)
        body = s.ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = (services.organization_suspend if self.change == "suspend"
                  else services.organization_reinstate)
        organization = change(organization=organization, by=request.user,
                              reason=body.validated_data["reason"])
        return Response(s.OrganizationStatusSerializer(organization).data)


# --- Ratings ----------------------------------------------------------------------------------


class ContractRatings(RatingsAPIView, generics.GenericAPIView):
    serializer_class = s.RatingSerializer
    queryset = Rating.objects.none()  # for the schema

    @extend_schema(summary="The two ratings of a contract (parties, regulators)",
                   description="Double-blind: `scores`, `average` and `comment` are null until "
                               "`revealed` (both rated, or the window closed); the rater sees "
                               "its own.",
                   responses={200: s.RatingSerializer(many=True)})
    def get(self, request, pk):
        contract = selectors.contract_for_ratings(pk, self.organization())
        page = self.paginate_queryset(selectors.contract_ratings(contract))
        return self.get_paginated_response(s.RatingSerializer(
            page, many=True, context={"organization": self.organization()}).data)

    @extend_schema(summary="Rate the other party, once, within the window",
                   description="The owner sends `{quality, timeliness, attitude, "
                               "fee_compliance, conduct, comment}`, the agency `{cooperation, "
                               "clarity, payment, comment}`; 1-5 each.",
                   request=s.OwnerRatingInputSerializer,
                   responses={201: s.RatingSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        organization = self.organization()
        contract = selectors.contract_for_ratings(pk, organization)
        direction = direction_of(contract, organization)
        body = s.INPUT_FOR[direction](data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        comment = data.pop("comment", "")
        rating = services.rating_submit(contract=contract, scores=data, comment=comment,
                                        by=request.user)
        return Response(s.RatingSerializer(rating, context={"organization": organization}).data,
                        status=status.HTTP_201_CREATED)


class OrganizationRatings(RatingsAPIView, generics.GenericAPIView):
    serializer_class = s.RatingSerializer
    queryset = Rating.objects.none()  # for the schema

    @extend_schema(summary="Revealed ratings an organization received (anyone)",
                   responses={200: s.RatingSerializer(many=True)})
    def get(self, request, pk):
        organization = selectors.organization_or_404(pk)
        page = self.paginate_queryset(selectors.revealed_ratings_received(organization))
        return self.get_paginated_response(s.RatingSerializer(page, many=True).data)


class RatingReply(RatingsAPIView):
    @extend_schema(summary="Reply publicly to a revealed rating, once (the rated organization)",
                   request=s.RatingReplyInputSerializer,
                   responses={201: s.RatingSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        rating = _get(Rating, pk)
        check_rated_replies(rating=rating, by=request.user)
        body = s.RatingReplyInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.rating_reply(rating=rating, by=request.user, text=body.validated_data["text"])
        rating = Rating.objects.select_related("rater", "rated", "reply").get(pk=rating.pk)
        return Response(s.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)
