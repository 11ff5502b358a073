"""What the ratings API views share: the viewer's organization."""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.views import APIView

from ratings import selectors


class ReadAnyoneWriteAuthenticated(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(
            request.user and request.user.is_authenticated)


class RatingsAPIView(APIView):
    permission_classes = [ReadAnyoneWriteAuthenticated]

    def organization(self):
        if not hasattr(self, "_organization"):
            self._organization = selectors.viewer_organization(self.request.user)
        return self._organization
