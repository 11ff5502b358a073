"""An organization's public details (its admins keep them) and its name (only a regulator
changes it, with a reason, keeping the former names)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from marketplace import search
from marketplace.accounts.models import (
    INTRODUCTION_MAX_LENGTH,
    Organization,
    OrganizationNameChange,
)
from marketplace.actors import require_admin_of, require_regulator
from marketplace.audit import services as audit
from marketplace.catalog.models import Region
from marketplace.errors import DomainError
from marketplace.notifications.services import notify_organization

NAME_MAX_LENGTH = Organization._meta.get_field("name").max_length


def _audit_value(value):
    return value.code if isinstance(value, Region) else value


@transaction.atomic
def organization_details_update(*, organization: Organization, by, contact_name: str,
                                phone: str, email: str, address: str, region: Region | None,
                                introduction: str,
                                now: dt.datetime | None = None) -> Organization:
    """An administrator changes the contact details, region and introduction (简介). The name
    and the USCC are not among them: a name changes only through a regulator
    (`organization_rename`), and a USCC names a legal entity, so it never changes."""
    now = now or timezone.now()
    require_admin_of(by, organization)
    introduction = (introduction or "").strip()
    if len(introduction) > INTRODUCTION_MAX_LENGTH:
        raise DomainError(_("Keep the introduction to %(max)s characters.")
                          % {"max": INTRODUCTION_MAX_LENGTH}, field="introduction")
    if region is None and not organization.is_regulator:
        raise DomainError(_("Choose your region."), field="region")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    wanted = {"contact_name": (contact_name or "").strip(), "phone": (phone or "").strip(),
              "email": (email or "").strip(), "address": (address or "").strip(),
              "region": region, "introduction": introduction}
    changed = {field: {"from": _audit_value(getattr(organization, field)),
                       "to": _audit_value(value)}
               for field, value in wanted.items() if getattr(organization, field) != value}
    if not changed:
        return organization
    for field in changed:
        setattr(organization, field, wanted[field])
    organization.save(update_fields=list(changed))
    if organization.is_agency and {"region", "introduction"} & changed.keys():
        search.index_later("agency", organization.pk)
    audit.record(action="organization.details_updated", actor=by, organization=organization,
                 obj=organization, data={"changed": changed}, now=now)
    return organization


@transaction.atomic
def organization_rename(*, organization: Organization, new_name: str, reason: str, by,
                        now: dt.datetime | None = None) -> OrganizationNameChange:
    """A regulator records the organization's new name (after a change of its registration),
    with the reason; the former name stays public as 曾用名."""
    now = now or timezone.now()
    require_regulator(by)
    new_name = " ".join((new_name or "").split())
    reason = (reason or "").strip()
    if not new_name:
        raise DomainError(_("Enter the new name."), field="new_name")
    if len(new_name) > NAME_MAX_LENGTH:
        raise DomainError(_("A name has at most %(max)s characters.") % {"max": NAME_MAX_LENGTH},
                          field="new_name")
    if not reason:
        raise DomainError(_("Give the reason for this decision."), field="reason")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if new_name == organization.name:
        raise DomainError(_("This is already the organization's name."), field="new_name")
    change = OrganizationNameChange.objects.create(
        organization=organization, old_name=organization.name, new_name=new_name,
        reason=reason, changed_by=by, changed_at=now)
    organization.name = new_name
    organization.save(update_fields=["name"])
    if organization.is_agency:
        search.index_later("agency", organization.pk)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your organization's name is now %(name)s") % {"name": new_name}
    notify_organization(organization=organization, admins_only=True, kind="accounts.renamed",
                        title=title, body=reason, url=reverse("accounts:organization"))
    audit.record(action="organization.renamed", actor=by, organization=organization,
                 obj=organization, data={"from": change.old_name, "to": new_name,
                                         "reason": reason, "change": change.pk}, now=now)
    return change
