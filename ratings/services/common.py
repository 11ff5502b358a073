"""What the ratings services share: the acting organization and the regulator check."""

from django.utils.translation import gettext as _

from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import organization_of
from marketplace.errors import DomainError, NotAllowed


def acting_organization(by) -> Organization | None:
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    return organization_of(by)


def ensure_regulator(by) -> Organization:
    organization = acting_organization(by)
    if organization is None or not organization.is_regulator:
        raise NotAllowed(_("Only regulators can do this."))
    return organization


def ensure_admin_of(by, organization: Organization) -> None:
    membership = getattr(by, "membership", None) if by is not None else None
    if (membership is None or membership.organization_id != organization.pk
            or not membership.is_admin):
        raise NotAllowed(_("Only an administrator of the organization can do this."))


def required_text(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value
