"""Sealed bids: submit, list, see, revise, withdraw, re-confirm; abnormally low prices."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from bidding import selectors, services
from bidding.api import serializers as s
from bidding.api.base import BiddingAPIView
from bidding.client import client_of
from bidding.models import Bid
from marketplace.api.pagination import PageNumberPagination

CONFLICT = OpenApiResponse(description="Not open for bids, past the deadline, or the agency "
                                       "already has a live bid here.")
FORBIDDEN = OpenApiResponse(description="Suspended, blacklisted or excluded; or not the "
                                        "bidding agency.")
INVALID = OpenApiResponse(description="Over the budget cap, service not offered, or the "
                                      "requirements are not met (field errors).")


class SealedBidPagination(PageNumberPagination):
    """The usual page, plus `sealed` (bids not opened yet) and `bid_count` (all live bids, public
    at any time). While sealed, `results` holds only the viewer's own bids."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"sealed": self.sealed, "bid_count": self.bid_count, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"] = {
            "sealed": {"type": "boolean", "description": "True until the bids are opened."},
            "bid_count": {"type": "integer", "description": "Live bids on the project."},
            **schema["properties"]}
        schema["required"] = ["sealed", "bid_count", *schema.get("required", [])]
        return schema


class ProjectBids(BiddingAPIView, generics.GenericAPIView):
    serializer_class = s.BidSerializer
    queryset = Bid.objects.none()  # for the schema; each request reads through selectors
    pagination_class = SealedBidPagination

    @extend_schema(
        summary="The bids of a project, as the sealed-bid rule allows",
        description="Before opening: 200 with `sealed: true`, the public `bid_count`, and in "
                    "`results` only the caller's own bid (nothing for the owner, other "
                    "agencies, regulators or the public). After opening: every bid that was "
                    "in, with agency, price, promised days, validity, rank and receipt.",
        responses={200: s.BidSerializer(many=True)})
    def get(self, request, pk):
        project = self.visible_project(pk)
        organization = self.organization()
        self.paginator.sealed = selectors.is_sealed(project)
        self.paginator.bid_count = selectors.bid_count(project)
        page = self.paginate_queryset(selectors.bids_for_viewer(project, organization)
                                      .prefetch_related("attachments"))
        data = s.BidSerializer(page, many=True,
                               context=self.context(project=project)).data
        return self.get_paginated_response(data)

    @extend_schema(summary="Submit a sealed bid",
                   description="Returns the receipt: sha256 of the canonical serialization of "
                               "the bid plus a random salt, published at opening.",
                   request=s.BidInputSerializer,
                   responses={201: s.BidSerializer, 400: INVALID, 403: FORBIDDEN,
                              409: CONFLICT})
    def post(self, request, pk):
        # The service reads the project under its lock: here only whether the viewer may see
        # it (404), then who acts (403), before the body is read. The agency, read once for
        # the request, is passed down (the service reads its row again under the lock).
        selectors.check_project_visible(pk, self.organization())
        agency = self.ensure_agency()
        body = s.BidInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bid = services.bid_submit(project=pk, by=request.user, agency=agency,
                                  client=client_of(request), **body.validated_data)
        return Response(s.BidSerializer(bid, context=self.context(project=bid.project)).data,
                        status=status.HTTP_201_CREATED)


class BidAPIView(BiddingAPIView):
    """What the bid endpoints share. Each endpoint subclasses this, not `BidDetail`, so that it
    answers only the methods it declares (a sub-endpoint inheriting `delete` would withdraw)."""

    def visible_bid(self, pk):
        bid, _access = selectors.bid_for_viewer(pk, self.organization())
        return bid

    def bid_response(self, bid, code=status.HTTP_200_OK) -> Response:
        bid = self.visible_bid(bid.pk)
        return Response(s.BidSerializer(bid, context=self.context()).data, status=code)


class BidDetail(BidAPIView):
    @extend_schema(summary="One bid (404 unless the caller may see it)",
                   responses={200: s.BidSerializer})
    def get(self, request, pk):
        return self.bid_response(self.visible_bid(pk))

    @extend_schema(summary="Revise the bid before the deadline (new receipt)",
                   request=s.BidRevisionSerializer,
                   responses={200: s.BidSerializer, 400: INVALID, 403: FORBIDDEN,
                              409: CONFLICT})
    def patch(self, request, pk):
        body = s.BidRevisionSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        bid = services.bid_revise(bid=self.visible_bid(pk), by=request.user,
                                  **body.validated_data)
        return self.bid_response(bid)

    @extend_schema(summary="Withdraw the bid before the deadline", request=None,
                   responses={204: None, 403: FORBIDDEN, 409: CONFLICT})
    def delete(self, request, pk):
        services.bid_withdraw(bid=self.visible_bid(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BidConfirm(BidAPIView):
    @extend_schema(summary="Re-confirm the bid after a correction notice", request=None,
                   responses={200: s.BidSerializer, 400: INVALID, 409: CONFLICT})
    def post(self, request, pk):
        return self.bid_response(services.bid_confirm(bid=self.visible_bid(pk),
                                                      by=request.user))


class BidJustification(BidAPIView):
    @extend_schema(summary="Justify an abnormally low price (the bidding agency)",
                   request=s.TextSerializer,
                   responses={200: s.BidSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        bid = self.visible_bid(pk)
        body = s.TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bid = services.bid_justify(bid=bid, by=request.user,
                                   text=body.validated_data["text"])
        return self.bid_response(bid)


class BidJustificationDecision(BidAPIView):
    @extend_schema(summary="Accept or reject an abnormally low price's justification (owner)",
                   description="Rejected: the bid becomes invalid, the others are ranked "
                               "again, and the project fails if too few valid bids remain.",
                   request=s.JustificationDecisionSerializer,
                   responses={200: s.BidSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        bid = self.visible_bid(pk)
        self.owned_project(bid.project_id)
        body = s.JustificationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bid = services.bid_decide_justification(bid=bid, by=request.user,
                                                **body.validated_data)
        return self.bid_response(bid)
