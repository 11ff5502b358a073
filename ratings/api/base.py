"""What the ratings API views share: the viewer's organization."""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.views import APIView

from marketplace.actors import require_regulator
from ratings import selectors


class ReadAnyoneWriteAuthenticated(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(
            request.user and request.user.is_authenticated)


class ReadAnyoneWriteRegulators(ReadAnyoneWriteAuthenticated):
    """Writes are regulators' only, refused before the body is read: an outsider's request is
    answered 403 (the domain's NotAllowed), never with what its body lacks (issue 13 §2)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method not in SAFE_METHODS:
            require_regulator(request.user)
        return True


class RatingsAPIView(APIView):
    permission_classes = [ReadAnyoneWriteAuthenticated]

    def organization(self):
        if not hasattr(self, "_organization"):
            self._organization = selectors.viewer_organization(self.request.user)
        return self._organization
