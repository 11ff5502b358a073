"""Who may change an agency's profile and review qualifications: pure `check_*` functions that
raise a coded domain error and change nothing. The services call them; the profile pages ask
the same functions (through `refusal_of`) before offering a form."""

from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Organization
from marketplace.actors import require_admin_of, require_regulator
from marketplace.errors import NotAllowed, StateConflict


def check_agency_admin(*, user, agency: Organization) -> None:
    """Refuse (403) unless `user` is an administrator of `agency`, an agency still in the
    market."""
    if not agency.is_agency:
        raise NotAllowed(_("Only intermediary agencies offer services and declare "
                           "qualifications."))
    require_admin_of(user, agency, message=_("Only an administrator of the agency can change "
                                             "its services and qualifications."))
    if agency.status == Organization.Status.EXITED:
        raise StateConflict(_("An agency that has exited the market cannot change its "
                              "profile."))


def check_regulator(*, user) -> None:
    require_regulator(user, message=_("Only a regulator can review qualifications."))
