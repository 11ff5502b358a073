"""API tokens: issued on a password login, slid forward by use, revoked by their user, by a
password change (any path: the pages, the API, the admin, a reset link, a command) and by
"log out everywhere".

The key itself exists only in the answer that issues it; the table keeps its hash."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import ApiToken
from marketplace.accounts.tokens import hash_key, new_key, prefix_of
from marketplace.audit import services as audit
from marketplace.errors import NotFound

# "Last used" (so the expiry) is written at most this often per token: a program that calls
# the API many times a second costs one write a minute, not one per request.
SEEN_INTERVAL = dt.timedelta(seconds=60)
USER_AGENT_MAX_LENGTH = ApiToken._meta.get_field("user_agent").max_length


@transaction.atomic
def api_token_issue(*, user, ip: str | None = None, user_agent: str = "",
                    now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the user (a login through `auth/token/` or a registration); the row and
    the key, which is never stored and cannot be shown again. Not audited: a login is traffic,
    not a decision (sessions are not audited either)."""
    now = now or timezone.now()
    key = new_key()
    token = ApiToken.objects.create(
        user=user, key_hash=hash_key(key), prefix=prefix_of(key), ip_address=ip or None,
        user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH], created_at=now, last_used_at=now)
    return token, key


def api_token_seen(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """The token authenticated a request: its expiry slides, written at most once a minute.
    The conditional update lets concurrent requests race without a lock: one of them writes."""
    now = now or timezone.now()
    if now - token.last_used_at < SEEN_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk, last_used_at__lte=now - SEEN_INTERVAL).update(
        last_used_at=now)
    token.last_used_at = now


def revoke_tokens(tokens, *, because: str, now: dt.datetime) -> list[ApiToken]:
    """Revoke the live ones among `tokens` (a queryset); the rows revoked. Called inside the
    caller's transaction, which records the audit entry."""
    rows = list(tokens.select_for_update().filter(revoked_at__isnull=True))
    ApiToken.objects.filter(pk__in=[row.pk for row in rows]).update(revoked_at=now,
                                                                    revoked_because=because)
    return rows


@transaction.atomic
def api_token_revoke(*, user, token_id: int, now: dt.datetime | None = None) -> ApiToken:
    """The user revokes one of their tokens (a lost laptop, a retired script). Programs using
    it get 401 `auth.token_expired` from then on. Someone else's token is "not found"."""
    now = now or timezone.now()
    revoked = revoke_tokens(ApiToken.objects.filter(pk=token_id, user=user),
                      because=ApiToken.Revocation.BY_USER, now=now)
    if not revoked:
        raise NotFound(_("This token no longer exists or was already revoked."))
    token = revoked[0]
    audit.record(action="user.api_token_revoked", actor=user, obj=user,
                 data={"token": token.pk, "prefix": token.prefix, "created": token.created_at},
                 now=now)
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user, because: str, by=None,
                          now: dt.datetime | None = None) -> int:
    """Every live token of the user; the number revoked. Audited when there was one."""
    now = now or timezone.now()
    revoked = revoke_tokens(ApiToken.objects.filter(user=user), because=because, now=now)
    if revoked:
        audit.record(action="user.api_tokens_revoked", actor=by or user, obj=user,
                     data={"count": len(revoked), "because": because,
                           "prefixes": [token.prefix for token in revoked]}, now=now)
    return len(revoked)
