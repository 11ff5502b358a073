"""What the platform publishes about its certificates (API.md "Added in round 2")."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from marketplace.pki import selectors


class RootCertificate(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="The platform's root certificate (PEM) that verifies contract "
                           "signatures", responses={(200, "application/x-pem-file"):
                                                    OpenApiTypes.STR})
    def get(self, request):
        response = HttpResponse(selectors.root_pem(), content_type="application/x-pem-file")
        response["Content-Disposition"] = 'attachment; filename="marketplace-root.pem"'
        return response


class RevocationList(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="The certificate revocation list (DER), signed by the issuing CA",
                   responses={(200, "application/pkix-crl"): OpenApiTypes.BINARY})
    def get(self, request):
        response = HttpResponse(selectors.revocation_list_der(),
                                content_type="application/pkix-crl")
        response["Content-Disposition"] = 'attachment; filename="marketplace.crl"'
        return response
