import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from marketplace.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    OrganizationNameChange,
    UserSession,
)
from marketplace.accounts.rules import may_sign_contracts
from marketplace.actors import acting_membership, acting_organization

# Who is acting is resolved once, by the kernel (`marketplace.actors`); these names stay for
# the pages and selectors that read "the user's membership / organization".
membership_of = acting_membership
organization_of = acting_organization


def members_of(organization: Organization):
    return (
        get_user_model()
        .objects.filter(membership__organization=organization, is_active=True)
        .select_related("membership")
        .order_by("membership__role", "username")
    )


def open_invitations(organization: Organization):
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


def signatories_of(organization_id: int) -> list:
    """The active members who may sign contracts for the organization: its administrators and
    the staff granted the right (the rule decides, `may_sign_contracts`)."""
    memberships = (Membership.objects.filter(organization_id=organization_id,
                                             user__is_active=True)
                   .select_related("user").order_by("role", "user__username"))
    return [m.user for m in memberships if may_sign_contracts(m)]


def former_names(organization: Organization) -> QuerySet[OrganizationNameChange]:
    """The organization's earlier names (曾用名), the most recent first."""
    return organization.name_changes.all()


# --- The security page ------------------------------------------------------------------------


def session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def session_is_live(session_key: str, user) -> bool:
    """The Django session exists, has not expired and still authenticates `user` (a password
    change elsewhere makes its hash stale, which logs it out)."""
    data = session_store(session_key).load()
    if str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    stored = data.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(stored, wanted) for wanted in hashes)


@dataclass(frozen=True)
class SessionRow:
    id: int
    device: str
    user_agent: str
    ip_address: str | None
    created_at: datetime
    last_seen_at: datetime
    current: bool


_BROWSERS = [("Edg", "Edge"), ("OPR", "Opera"), ("MicroMessenger", "WeChat"),
             ("Firefox", "Firefox"), ("Chrome", "Chrome"), ("Safari", "Safari")]
_SYSTEMS = [("HarmonyOS", "HarmonyOS"), ("Android", "Android"), ("iPhone", "iOS"),
            ("iPad", "iPadOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"),
            ("Linux", "Linux")]


def describe_user_agent(user_agent: str) -> str:
    """A short "browser · system" for people (the full string is shown beside it); "" when
    nothing is recognized, e.g. a script."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    if browser:
        version = re.search(rf"{'Version' if browser == 'Safari' else browser}/(\d+)",
                            user_agent.replace("Edg/", "Edge/").replace("OPR/", "Opera/"))
        browser = f"{browser} {version.group(1)}" if version else browser
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)


def active_sessions(user, *, current_key: str | None) -> list[SessionRow]:
    """The user's sessions that still log them in, the current one first. A row whose Django
    session has ended (expired, logged out elsewhere) is left out."""
    rows = [SessionRow(id=row.pk, device=describe_user_agent(row.user_agent),
                       user_agent=row.user_agent, ip_address=row.ip_address,
                       created_at=row.created_at, last_seen_at=row.last_seen_at,
                       current=row.session_key == current_key)
            for row in UserSession.objects.filter(user=user)
            if row.session_key == current_key or session_is_live(row.session_key, user)]
    return sorted(rows, key=lambda row: not row.current)


def api_tokens(user, *, now: datetime | None = None) -> QuerySet[ApiToken]:
    """The user's tokens that still authenticate (neither revoked nor expired), newest first.
    Each row has only the key's prefix: the key itself is not stored."""
    now = now or timezone.now()
    oldest_live_use = now - timedelta(days=settings.API_TOKEN_TTL_DAYS)
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True,
                                   last_used_at__gt=oldest_live_use).order_by("-created_at",
                                                                               "-pk")
