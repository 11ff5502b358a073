"""The bidding steps of the workspace guide: an agency finds a project and bids; an owner posts
its first project."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from bidding.models import Bid, Project
from marketplace.accounts.models import Organization
from marketplace.accounts.next_steps import Step


def bidding_steps(organization: Organization) -> list[Step]:
    if organization.is_agency:
        item = (organization.services.order_by("id")
                .values_list("service_item__code", flat=True).first())
        url = reverse("bidding:project_list")
        if item:
            url += "?" + urlencode({"status": Project.Status.BIDDING, "service_item": item})
        return [Step(30, _("Find a project and bid"), url,
                     Bid.objects.filter(agency=organization).exists(),
                     _("Projects matching your services are also sent to your inbox."))]
    if organization.is_owner:
        return [Step(10, _("Post your first project"), reverse("bidding:owner_project_create"),
                     Project.objects.filter(owner=organization).exists(),
                     _("Describe the need, set the budget cap and the selection method; agencies "
                       "bid until the deadline."))]
    return []
