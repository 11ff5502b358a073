"""Contracts: read, sign, deliver, accept or reject, suspend and resume, terminate; and the
owner passing a lapsed award to the next bid. Views parse, call a service, render."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bidding.api import serializers as bidding_serializers
from bidding.selectors import project_for_viewer
from bidding.services.common import ensure_owner
from contracts import selectors, services
from contracts.api import serializers as s
from contracts.models import Contract
from contracts.services import common, execution
from marketplace.accounts.selectors import organization_of
from marketplace.errors import NotFound, StateConflict
from marketplace.params import api_id_param

CONFLICT = OpenApiResponse(description="The contract's state or the clock does not allow it.")
FORBIDDEN = OpenApiResponse(description="Not a party allowed to do this (or a wrong password).")
NOT_FOUND = OpenApiResponse(description="No such contract, or not visible to the caller.")


class ContractAPIView(APIView):
    permission_classes = [IsAuthenticated]

    def organization(self):
        if not hasattr(self, "_organization"):
            self._organization = organization_of(self.request.user)
        return self._organization

    def visible(self, pk) -> Contract:
        return selectors.contract_for_viewer(pk, self.organization())

    def contract_response(self, contract: Contract) -> Response:
        contract = self.visible(contract.pk)
        return Response(s.ContractSerializer(contract, context={"request": self.request}).data)


class ContractList(ContractAPIView, generics.GenericAPIView):
    serializer_class = s.ContractListSerializer
    queryset = Contract.objects.none()  # for the schema; each request reads through selectors

    @extend_schema(summary="The caller's contracts (regulators: all), newest first",
                   parameters=[OpenApiParameter("status", str, enum=Contract.Status.values),
                               OpenApiParameter("owner", int), OpenApiParameter("agency", int)],
                   responses={200: s.ContractListSerializer(many=True)})
    def get(self, request):
        params = request.query_params
        queryset = selectors.filter_contracts(
            selectors.contracts_for_viewer(self.organization()),
            status=params.get("status", "") if params.get("status") in Contract.Status.values
            else "",
            owner=api_id_param(params, "owner"), agency=api_id_param(params, "agency"))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.ContractListSerializer(page, many=True).data)


class ContractDetail(ContractAPIView):
    @extend_schema(summary="A contract: frozen text, hash, signatures, service clock, deliveries",
                   responses={200: s.ContractSerializer, 404: NOT_FOUND})
    def get(self, request, pk):
        return self.contract_response(self.visible(pk))


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class ContractSign(ContractAPIView):
    @extend_schema(summary="Sign online (合同网签): an administrator of either party, or a "
                           "member granted the right to sign, re-enters the password",
                   description="Both signatures → `active` and the service clock starts. A "
                               "wrong password is 403 and nothing is recorded; so is a member "
                               "who is neither an administrator nor a signatory. A signer "
                               "with two-step verification sends `otp_code` too: missing 403 "
                               "`otp.code_required`, wrong 403 `otp.code_invalid`.",
                   request=s.SignInputSerializer,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        common.signatory_acts(contract, request.user)  # before the body: see common.py
        body = s.SignInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contract = services.contract_sign(
            contract=contract, by=request.user, password=body.validated_data["password"],
            text_hash=body.validated_data.get("text_sha256"),
            otp_code=body.validated_data.get("otp_code"), ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""))
        return self.contract_response(contract)


class ContractRefuse(ContractAPIView):
    @extend_schema(summary="Refuse to sign (an administrator of either party), with a reason",
                   description="The contract lapses at once and a refusal to sign is recorded "
                               "against the refusing party; when the agency refused, the owner "
                               "may pass the award on (`projects/{id}/award-next/`).",
                   request=s.ReasonInputSerializer,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        common.party_admin_acts(contract, request.user)  # before the body: see common.py
        body = s.ReasonInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contract_refuse(contract=contract, by=request.user,
                                 reason=body.validated_data["reason"])
        return self.contract_response(contract)


class ContractDeliver(ContractAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(summary="Deliver the work (the agency): a note and files",
                   request={"multipart/form-data": s.DeliverInputSerializer,
                            "application/json": s.DeliverInputSerializer},
                   responses={200: s.ContractSerializer, 400: OpenApiResponse(
                       description="Missing note or a file refused by its content."),
                       403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        common.agency_acts(contract, request.user)  # before the body: see common.py
        body = s.DeliverInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contract_deliver(contract=contract, by=request.user,
                                  note=body.validated_data["note"],
                                  files=body.validated_data.get("files", ()))
        return self.contract_response(contract)


class ContractAccept(ContractAPIView):
    @extend_schema(summary="Accept the delivery (the owner) → `completed`", request=None,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = services.contract_accept(contract=self.visible(pk), by=request.user)
        return self.contract_response(contract)


class ContractReject(ContractAPIView):
    @extend_schema(summary="Reject the delivery with reasons (the owner) → back to `active`",
                   request=s.ReasonInputSerializer,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        common.owner_acts(contract, request.user)  # before the body: see common.py
        body = s.ReasonInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contract_reject(contract=contract, by=request.user,
                                 reason=body.validated_data["reason"])
        return self.contract_response(contract)


class ContractSuspend(ContractAPIView):
    @extend_schema(summary="Suspend the work with a reason (the owner): the clock stops",
                   request=s.ReasonInputSerializer,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        common.owner_acts(contract, request.user)  # before the body: see common.py
        body = s.ReasonInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contract_suspend(contract=contract, by=request.user,
                                  reason=body.validated_data["reason"])
        return self.contract_response(contract)


class ContractResume(ContractAPIView):
    @extend_schema(summary="Resume suspended work (the owner): the clock runs again",
                   request=None,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        services.contract_resume(contract=contract, by=request.user)
        return self.contract_response(contract)


class ContractContinue(ContractAPIView):
    @extend_schema(summary="Continue a contract whose agency was sanctioned (the owner's "
                           "administrator); to stop instead, terminate it",
                   request=s.ContinueInputSerializer,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        common.owner_acts(contract, request.user)  # before the body: see common.py
        body = s.ContinueInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contract_continue_after_sanction(contract=contract, by=request.user,
                                                  **body.validated_data)
        return self.contract_response(contract)


class ContractTerminate(ContractAPIView):
    @extend_schema(summary="Terminate (an administrator of either party, or a regulator)",
                   request=s.TerminateInputSerializer,
                   responses={200: s.ContractSerializer, 403: FORBIDDEN, 404: NOT_FOUND,
                              409: CONFLICT})
    def post(self, request, pk):
        contract = self.visible(pk)
        execution.terminating_organization(contract, request.user)  # before the body: see common.py
        body = s.TerminateInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.contract_terminate(contract=contract, by=request.user,
                                    **body.validated_data)
        return self.contract_response(contract)


class ProjectAwardNext(ContractAPIView):
    @extend_schema(summary="Pass the award to the next bid after the agency did not sign",
                   description="The project's latest contract lapsed without the agency's "
                               "signature: the award goes to the next valid bid in rank order "
                               "(`random`: a new draw; `direct`: the owner chooses with "
                               "`projects/{id}/award/`), and a new publicity period starts.",
                   request=None,
                   responses={200: bidding_serializers.ProjectSerializer, 403: FORBIDDEN,
                              404: NOT_FOUND, 409: CONFLICT})
    def post(self, request, pk):
        organization = self.organization()
        project = project_for_viewer(pk, organization)
        contract = Contract.objects.filter(project=project).order_by("-pk").first()
        if contract is None:
            ensure_owner(project, request.user)  # an outsider is refused, not told the state
            raise StateConflict()
        if selectors.party_of(contract, organization) is None:
            raise NotFound()
        services.contract_award_next(contract=contract, by=request.user, now=timezone.now())
        project = project_for_viewer(pk, organization)
        return Response(bidding_serializers.ProjectSerializer(
            project, context={"request": request, "organization": organization}).data)
