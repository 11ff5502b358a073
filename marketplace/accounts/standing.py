"""An organization's standing in the market (正常, 暂停, 黑名单, 清退), said the same way on every
page: the workspace, the credit pages, the directory and profiles, and the console.

The standing is read from the kernel's columns only (`status`, `blacklisted_until`,
`exit_until`, written by the `ratings` services), so every app may call `standing_of`. What
only a higher app knows (a blacklisting's reason, how to appeal) reaches the workspace through
the WORKSPACE_NOTICES hook, which those apps register from their AppConfig.ready().
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from marketplace import hooks
from marketplace.accounts.models import Organization

ACTIVE, SUSPENDED, BLACKLISTED, EXITED = "active", "suspended", "blacklisted", "exited"
# The badge colour of each standing (Bootstrap classes), the most serious first.
TONES = {EXITED: "bg-dark", BLACKLISTED: "bg-danger", SUSPENDED: "bg-warning text-dark",
         ACTIVE: "bg-success"}


@dataclass(frozen=True)
class Standing:
    code: str  # the most serious of: exited, blacklisted, suspended, active
    label: str  # e.g. "黑名单（至 2027-12-05）"; several parts joined when several apply
    blacklisted_until: dt.datetime | None = None
    exit_until: dt.datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.code == ACTIVE

    @property
    def is_blacklisted(self) -> bool:
        return self.blacklisted_until is not None

    @property
    def tone(self) -> str:
        return TONES[self.code]


def _day(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def standing_of(organization: Organization, *, now: dt.datetime | None = None) -> Standing:
    """The one label of an organization's standing, in the active language."""
    now = now or timezone.now()
    parts, codes = [], []
    exit_until = organization.exit_until if organization.status == EXITED else None
    if organization.status == EXITED:
        codes.append(EXITED)
        parts.append(_("Exited from the market (may not register again until %(date)s)")
                     % {"date": _day(exit_until)} if exit_until and exit_until > now
                     else str(Organization.Status.EXITED.label))
    blacklisted_until = (organization.blacklisted_until
                         if organization.is_blacklisted(now) else None)
    if blacklisted_until is not None:
        codes.append(BLACKLISTED)
        parts.append(_("Blacklisted (until %(date)s)") % {"date": _day(blacklisted_until)})
    if organization.status == SUSPENDED:
        codes.append(SUSPENDED)
        parts.append(str(Organization.Status.SUSPENDED.label))
    if not parts:
        return Standing(code=ACTIVE, label=str(Organization.Status.ACTIVE.label))
    return Standing(code=codes[0], label=_("; ").join(parts),
                    blacklisted_until=blacklisted_until, exit_until=exit_until)


# --- What higher apps add to the workspace ------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceNotice:
    """A notice on the organization's workspace, rendered by `template` with `context`."""

    template: str
    context: dict


# (organization, now) -> WorkspaceNotice | None, registered by ratings (the blacklisting).
WORKSPACE_NOTICES = "workspace_notices"
hooks.declare(WORKSPACE_NOTICES, required_by="ratings")


def workspace_notices(organization: Organization, *,
                      now: dt.datetime | None = None) -> list[WorkspaceNotice]:
    now = now or timezone.now()
    return [notice for source in hooks.all_of(WORKSPACE_NOTICES)
            if (notice := source(organization, now)) is not None]
