"""Login throttling (django-axes): when a login is refused, until when, and what the refused
person sees. Axes counts the failures per user name and per IP address
(`AXES_LOCKOUT_PARAMETERS`) and calls `lockout_response` for the request it refuses, whether
it came through the login page, the console's login or `POST /api/v1/auth/token/`."""

import math

from axes.attempts import get_user_attempts
from axes.helpers import get_client_username, get_cool_off
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

LOCKED_OUT = "auth.locked_out"


def retry_at(request, credentials=None):
    """When the login opens again: the cool-off after the latest failure that counts (a failed
    attempt while locked counts too, so it starts the wait again)."""
    latest = max((attempts.aggregate(latest=Max("attempt_time"))["latest"]
                  for attempts in get_user_attempts(request, credentials)
                  if attempts is not None), default=None, key=lambda at: at or timezone.now())
    start = latest or getattr(request, "axes_attempt_time", None) or timezone.now()
    return start + get_cool_off(request)


def lockout_message(until) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _("Too many failed log-in attempts. Logging in is paused until %(time)s (about "
             "%(minutes)s minutes); each attempt before then starts the wait again. Forgot "
             "your password? Reset it instead.") % {
        "time": date_format(timezone.localtime(until), "H:i"), "minutes": minutes}


def lockout_response(request, credentials=None):
    """429 for the refused login: the API answers `{detail, code, retry_after}` (seconds) with
    a `Retry-After` header; a page shows the login form with the message."""
    until = retry_at(request, credentials)
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    message = lockout_message(until)
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": LOCKED_OUT,
                                 "retry_after": seconds, "retry_at": until.isoformat()},
                                status=429)
    else:
        from marketplace.accounts.forms import LoginForm

        username = get_client_username(request, credentials) or ""
        response = render(request, "accounts/login.html", {
            "form": LoginForm(request, initial={"username": username}),
            "lockout": message,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        }, status=429)
    response["Retry-After"] = str(seconds)
    return response
