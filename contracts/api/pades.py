"""The signed contract PDF and the public verification of any uploaded one (API.md "Added in
round 2")."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts import selectors
from contracts.api.views import NOT_FOUND, ContractAPIView
from contracts.pades.verification import NOT_SIGNED_YET, verify_upload
from marketplace.errors import StateConflict

SIGNATURE = inline_serializer("ContractSignatureCheck", fields={
    "field": serializers.CharField(), "party": serializers.CharField(),
    "organization": serializers.CharField(), "uscc": serializers.CharField(),
    "serial": serializers.CharField(), "valid": serializers.BooleanField(),
    "intact": serializers.BooleanField(), "trusted": serializers.BooleanField(),
    "signed_at": serializers.DateTimeField(allow_null=True),
    "problems": serializers.ListField(child=serializers.CharField())})
VERIFICATION = inline_serializer("ContractVerification", fields={
    "signatures": serializers.ListField(child=SIGNATURE),
    "text_sha256": serializers.CharField(), "matches_contract": serializers.BooleanField()})


class SignedPdf(ContractAPIView):
    @extend_schema(summary="The PAdES-signed contract PDF (the parties, regulators)",
                   description="Carries every digital signature made so far, one incremental "
                               "revision per party. 409 before the first digital signature.",
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND,
                              409: OpenApiResponse(description="Not signed digitally yet.")})
    def get(self, request, pk):
        contract = self.visible(pk)
        content = selectors.signed_pdf_bytes(contract)
        if content is None:
            raise StateConflict(NOT_SIGNED_YET, code="contract.not_signed_digitally")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="contract-{contract.pk}-signed.pdf"')
        return response


class VerifyContract(APIView):
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(summary="Verify a signed contract PDF (anyone)",
                   description="Each signature: the organization and USCC of its certificate, "
                               "`intact` (the document was not changed after it), `trusted` "
                               "(its certificate leads to the platform's root and was not "
                               "revoked when it signed), `valid` (all of it, and the "
                               "certificate is the party's). `matches_contract`: the signed "
                               "text hash is a contract's on the platform.",
                   request={"multipart/form-data": inline_serializer(
                       "ContractVerificationUpload", fields={"file": serializers.FileField()})},
                   responses={200: VERIFICATION, 400: OpenApiResponse(
                       description="No file, an empty or too large one, or not a PDF.")})
    def post(self, request):
        return Response(verify_upload(request.FILES.get("file")).as_dict())
