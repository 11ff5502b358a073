"""Keeps each logged-in session's "last seen" (and its key, which a password change cycles)
on its `UserSession` row, writing at most once a minute per session."""

import logging

from django.db import DatabaseError
from django.utils import timezone

from marketplace.accounts import services

logger = logging.getLogger(__name__)

# Kept in the session itself, so a request within the minute costs no query at all.
TRACKED_KEY = "_accounts_tracked_key"
SEEN_AT = "_accounts_seen_at"
SEEN_INTERVAL_SECONDS = 60


def client_ip(request) -> str | None:
    # REMOTE_ADDR, as contract signatures record it: a forwarded header is whatever the client
    # chose to send unless a trusted proxy sets it, and the deployment decides that.
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


def mark_seen(session, *, now) -> None:
    session[TRACKED_KEY] = session.session_key
    session[SEEN_AT] = int(now.timestamp())


class SessionActivityMiddleware:
    """After the view (so a key cycled by the view is the one recorded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        now = timezone.now()
        previous = session.get(TRACKED_KEY)
        if (previous == session.session_key
                and now.timestamp() - session.get(SEEN_AT, 0) < SEEN_INTERVAL_SECONDS):
            return response
        try:
            services.session_seen(user=user, session_key=session.session_key,
                                  previous_key=previous, ip=client_ip(request),
                                  user_agent=user_agent(request), now=now)
        except DatabaseError:
            # "Last seen" is a convenience: never fail the user's request for it.
            logger.exception("Could not record the session's activity")
            return response
        mark_seen(session, now=now)
        return response
