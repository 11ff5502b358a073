"""What the bidding API views share: the viewer's organization and visible objects."""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.views import APIView

from bidding import selectors
from bidding.models import Project
from bidding.services.common import check_agency, ensure_owner
from marketplace.accounts.models import Organization


class ReadAnyoneWriteAuthenticated(BasePermission):
    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or bool(
            request.user and request.user.is_authenticated)


class BiddingAPIView(APIView):
    permission_classes = [ReadAnyoneWriteAuthenticated]

    def organization(self):
        if not hasattr(self, "_organization"):
            user = self.request.user
            self._organization = (selectors.viewer_organization(user)
                                  if user.is_authenticated else None)
        return self._organization

    def visible_project(self, pk) -> Project:
        return selectors.project_for_viewer(pk, self.organization())

    # Who may act is checked before the body is read: anyone else is refused (403/404), never
    # told what the body lacks (issue 13 §2). The services check again, under their locks.
    def owned_project(self, pk) -> Project:
        project = self.visible_project(pk)
        ensure_owner(project, self.request.user)
        return project

    def ensure_agency(self) -> Organization:
        return check_agency(self.organization())

    def context(self, **extra) -> dict:
        return {"request": self.request, "organization": self.organization(), **extra}
