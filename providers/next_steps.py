"""An agency's first steps: declare its services with the three commitments, then its
qualifications (the bidding app adds "find a project")."""

from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace.accounts.models import Organization
from marketplace.accounts.next_steps import Step
from providers.models import AgencyService, Qualification


def agency_steps(organization: Organization) -> list[Step]:
    if not organization.is_agency:
        return []
    return [
        Step(10, _("Add a service"), reverse("providers:service_add"),
             AgencyService.objects.filter(agency=organization).exists(),
             _("Choose a service item and make its three commitments: service time, fee "
               "standard and service standard. Owners see them on your profile.")),
        Step(20, _("Declare a qualification"), reverse("providers:qualification_declare"),
             Qualification.objects.filter(agency=organization).exists(),
             _("Projects may require certificates: declare yours with a scan. You can bid at "
               "once; regulators verify afterwards.")),
    ]
