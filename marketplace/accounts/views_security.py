"""The user's security page: the sessions they are logged in with and their API tokens, each
of which they can end, or all at once ("log out everywhere"). Actions are POSTs to services;
refusals show on the page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from marketplace.accounts import second_factor, selectors, services
from marketplace.web import refusal_as_message


def _page(request, *, status=200):
    return render(request, "accounts/security.html", {
        "sessions": selectors.active_sessions(request.user,
                                              current_key=request.session.session_key),
        "tokens": selectors.api_tokens(request.user),
        "token_ttl_days": settings.API_TOKEN_TTL_DAYS,
        "membership": selectors.membership_of(request.user),
        "second_factor": second_factor.has_second_factor(request.user),
    }, status=status)


@login_required
@require_GET
def security(request):
    return _page(request)


def _action(request, perform, done):
    with refusal_as_message(request) as attempt:
        result = perform()
    if not attempt.succeeded:
        return _page(request, status=attempt.status)
    messages.success(request, done(result) if callable(done) else done)
    return redirect("accounts:security")


@login_required
@require_POST
def session_end(request, session_id: int):
    return _action(
        request,
        lambda: services.user_session_end(user=request.user, session_id=session_id,
                                          current_session_key=request.session.session_key),
        _("That session has been logged out."))


@login_required
@require_POST
def sessions_end_others(request):
    return _action(
        request,
        lambda: services.user_sessions_end_others(
            user=request.user, current_session_key=request.session.session_key),
        lambda ended: ngettext("%(count)s other session has been logged out.",
                               "%(count)s other sessions have been logged out.", ended)
        % {"count": ended} if ended else _("You were not logged in anywhere else."))


@login_required
@require_POST
def token_revoke(request, token_id: int):
    return _action(
        request,
        lambda: services.api_token_revoke(user=request.user, token_id=token_id),
        _("The API token has been revoked; programs using it can no longer sign in."))


@login_required
@require_POST
def log_out_everywhere(request):
    return _action(
        request,
        lambda: services.user_log_out_everywhere(
            user=request.user, current_session_key=request.session.session_key),
        lambda counts: _("Logged out everywhere. Other sessions ended: %(sessions)s; API "
                         "tokens revoked: %(tokens)s. You stay logged in here.")
        % {"sessions": counts[0], "tokens": counts[1]})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; the form learns which session is this browser's, so that ending the
    account's sessions does not pull this one from under the view that still writes to it."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "current_session_key": self.request.session.session_key}
