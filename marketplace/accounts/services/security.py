"""A user's own security: the sessions the user is logged in with (tracked on login, seen by
the middleware, ended by the user), logging out everywhere (sessions and API tokens), and a
password set through a reset link (the API tokens go with any password change:
`receivers.revoke_api_tokens_on_password_change`).

Ending a session deletes the Django session itself, through the configured session engine,
so the device is logged out on its next request whatever the engine is."""

import datetime as dt

from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import ApiToken, UserSession
from marketplace.accounts.selectors import session_is_live, session_store
from marketplace.accounts.services.tokens import revoke_tokens
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotFound

USER_AGENT_MAX_LENGTH = UserSession._meta.get_field("user_agent").max_length


def end_sessions(*, user, keep_key: str | None = None) -> int:
    """Delete the user's tracked sessions (all but `keep_key`) and their Django sessions; the
    number ended. Called inside the caller's transaction."""
    rows = list(UserSession.objects.filter(user=user).exclude(session_key=keep_key or ""))
    for row in rows:
        session_store(row.session_key).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


# --- Tracking (the login signals and the middleware; not audited: a login is not a decision) --


@transaction.atomic
def session_started(*, user, session_key: str, ip: str | None, user_agent: str,
                    now: dt.datetime | None = None) -> UserSession:
    """On login: the new session is recorded and the user's rows whose session has ended
    elsewhere (expired, logged out by a password change) are dropped."""
    now = now or timezone.now()
    for row in UserSession.objects.filter(user=user).exclude(session_key=session_key):
        if not session_is_live(row.session_key, user):
            row.delete()
    tracked, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "ip_address": ip or None,
                  "user_agent": (user_agent or "")[:USER_AGENT_MAX_LENGTH],
                  "created_at": now, "last_seen_at": now})
    return tracked


@transaction.atomic
def session_seen(*, user, session_key: str, previous_key: str | None, ip: str | None,
                 user_agent: str, now: dt.datetime | None = None) -> None:
    """The middleware saw the session (at most once a minute). A session whose key was cycled
    (a password change cycles it) keeps its row under the new key."""
    now = now or timezone.now()
    values = {"ip_address": ip or None, "last_seen_at": now,
              "user_agent": (user_agent or "")[:USER_AGENT_MAX_LENGTH]}
    if UserSession.objects.filter(session_key=session_key, user=user).update(**values):
        if previous_key and previous_key != session_key:
            UserSession.objects.filter(session_key=previous_key, user=user).delete()
        return
    if previous_key and UserSession.objects.filter(session_key=previous_key, user=user).update(
            session_key=session_key, **values):
        return
    # A session from before tracking began, or a row lost to a race: record it now.
    UserSession.objects.get_or_create(session_key=session_key,
                                      defaults={"user": user, "created_at": now, **values})


def session_ended(*, session_key: str | None) -> None:
    """On logout."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


# --- What the user does on the security page ------------------------------------------------


@transaction.atomic
def user_session_end(*, user, session_id: int, current_session_key: str | None,
                     now: dt.datetime | None = None) -> None:
    """The user logs out one of their other sessions (a lost phone, a shared computer)."""
    now = now or timezone.now()
    row = UserSession.objects.select_for_update().filter(pk=session_id, user=user).first()
    if row is None:
        raise NotFound(_("This session has already ended."))
    if row.session_key == current_session_key:
        raise DomainError(_("This is the session you are using; log out to end it."))
    session_store(row.session_key).delete()
    row.delete()
    audit.record(action="user.session_ended", actor=user, obj=user,
                 data={"ip": row.ip_address, "user_agent": row.user_agent,
                       "logged_in_at": row.created_at}, now=now)


@transaction.atomic
def user_sessions_end_others(*, user, current_session_key: str | None,
                             now: dt.datetime | None = None) -> int:
    """Log out everywhere but here; the number of sessions ended."""
    now = now or timezone.now()
    ended = end_sessions(user=user, keep_key=current_session_key)
    if ended:
        audit.record(action="user.other_sessions_ended", actor=user, obj=user,
                     data={"count": ended}, now=now)
    return ended


@transaction.atomic
def user_log_out_everywhere(*, user, current_session_key: str | None,
                            now: dt.datetime | None = None) -> tuple[int, int]:
    """Every other session ends and every API token is revoked (the one making an API call
    included); the session making the request, if any, stays. The numbers ended and revoked."""
    now = now or timezone.now()
    ended = end_sessions(user=user, keep_key=current_session_key)
    revoked = revoke_tokens(ApiToken.objects.filter(user=user),
                      because=ApiToken.Revocation.LOGGED_OUT_EVERYWHERE, now=now)
    audit.record(action="user.logged_out_everywhere", actor=user, obj=user,
                 data={"sessions_ended": ended, "tokens_revoked": len(revoked),
                       "prefixes": [token.prefix for token in revoked]}, now=now)
    return ended, len(revoked)


@transaction.atomic
def password_change(*, user, password: str, now: dt.datetime | None = None):
    """The user changed their password through the API (the form checked the old one and the
    rules). Other sessions stop authenticating (Django's session hash); the API tokens are
    revoked by the password-change receiver."""
    now = now or timezone.now()
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(action="user.password_changed", actor=user, obj=user, data={}, now=now)
    return user


@transaction.atomic
def password_reset_complete(*, user, password: str, current_session_key: str | None = None,
                            now: dt.datetime | None = None):
    """The user set a new password through an e-mailed reset link (validated by the form).
    Every session of the account ends: whoever knew the old password is out. The browser that
    set it keeps its session row (the reset view still writes to it); if it was logged in as
    this user, the new password's hash logs it out on its next request."""
    now = now or timezone.now()
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = end_sessions(user=user, keep_key=current_session_key)
    # Whoever read the e-mail holds the account: a lockout of its name ends with the old
    # password (the failures from an address stay counted).
    AxesProxyHandler.reset_attempts(username=user.get_username())
    audit.record(action="user.password_reset", actor=user, obj=user,
                 data={"sessions_ended": ended}, now=now)
    return user
