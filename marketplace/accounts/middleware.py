"""Keeps each logged-in session's "last seen" (and its key, which a password change cycles)
on its `UserSession` row, writing at most once a minute per session; and keeps the console and
Django's admin closed to a session the second factor has not verified."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts import second_factor, services

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


# The console (Wagtail's admin) and Django's admin; their login and logout stay open.
GUARDED_PREFIXES = ("/console/", "/django-admin/")
OPEN_PREFIXES = ("/console/login/", "/console/logout/", "/django-admin/login/",
                 "/django-admin/logout/")


class SecondFactorMiddleware:
    """A session of a user with an authenticator app must have passed its code to enter the
    console or Django's admin (it has, after our login; a login through Wagtail's or Django's
    own form has not); a regulator or superuser without one is sent to set one up first.
    After django_otp's OTPMiddleware and the messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(GUARDED_PREFIXES) and not path.startswith(OPEN_PREFIXES):
            refused = self._refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def _refusal(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        query = urlencode({"next": request.get_full_path()})
        if second_factor.has_second_factor(user):
            return redirect(f"{reverse('accounts:login_code')}?{query}")
        if second_factor.second_factor_required(user):
            messages.info(request, _(
                "The console needs two-step verification for regulators and platform "
                "administrators. Set up an authenticator app on your phone, then continue."))
            return redirect(f"{reverse('accounts:second_factor')}?{query}")
        return None
