from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from marketplace.accounts.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationNameChange,
)


def membership_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return Membership.objects.select_related("organization").get(user=user)
    except Membership.DoesNotExist:
        return None


def organization_of(user) -> Organization | None:
    membership = membership_of(user)
    return membership.organization if membership else None


def members_of(organization: Organization):
    return (
        get_user_model()
        .objects.filter(membership__organization=organization)
        .select_related("membership")
        .order_by("membership__role", "username")
    )


def open_invitations(organization: Organization):
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


def former_names(organization: Organization) -> QuerySet[OrganizationNameChange]:
    """The organization's earlier names (曾用名), the most recent first."""
    return organization.name_changes.all()
