"""The console's organization records: a regulator changes an organization's name (after the
registration authority did), through `marketplace.accounts.services.organization_rename`, which
checks the regulator role, keeps the former name and writes the audit entry."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.console.forms import RenameForm
from cms.console.pages import denied, form_action
from marketplace.accounts import services
from marketplace.accounts.models import Organization

RENAME = "accounts.add_organizationnamechange"


@denied(RENAME)
@require_http_methods(["GET", "POST"])
def organization_rename(request, pk: int):
    organization = get_object_or_404(Organization, pk=pk)
    manage = reverse("cms_console:organization_manage", args=[organization.pk])
    return form_action(
        request, RenameForm(request.POST or None),
        lambda data: services.organization_rename(organization=organization, by=request.user,
                                                  new_name=data["new_name"],
                                                  reason=data["reason"]),
        success=lambda data: _("The organization is now named %(name)s.")
        % {"name": " ".join(data["new_name"].split())},
        done=manage, back=manage, icon="group", submit=_("Change the name"),
        title=_("Change the name: %(name)s") % {"name": organization.name},
        facts=[(_("Current name"), organization.name),
               (_("Unified social credit code"), organization.uscc)])
