"""Two-step verification pages: the login's second step (a code after a correct password), the
same step for a session that must be verified to enter the console, and the user's own
enrollment (QR code, confirmation, recovery codes) and removal.

After a correct password, a user with an authenticator is not logged in yet: the session holds
who is waiting for the code (`PENDING`) for a few minutes. A wrong code counts as a failed
login for django-axes (`second_factor.check_login_second_factor`)."""

import time
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from marketplace.accounts import second_factor, services
from marketplace.accounts.forms import LoginForm, SecondFactorCodeForm, SecondFactorRemoveForm
from marketplace.web import refusal_on

PENDING = "_accounts_otp_pending"
PENDING_SECONDS = 300


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse("workspace")


class LoginView(auth_views.LoginView):
    """Django's login; a user with an authenticator goes on to the code instead of being
    logged in."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor.has_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk, "backend": user.backend, "at": int(time.time()),
            "next": self.get_redirect_url()}
        return redirect("accounts:login_code")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _locked_out(request, username: str) -> HttpResponse | None:
    """Axes' verdict on this user name and address: locked, the middleware answers its 429."""
    credentials = {"username": username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return HttpResponse(status=429)


@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second step: after the password (a pending login), or for a logged-in session that
    has not been verified yet (the console sends it here)."""
    stepping_up = request.user.is_authenticated
    if stepping_up:
        user, pending = request.user, None
        if not second_factor.has_second_factor(user):
            return redirect("accounts:second_factor")
        next_url = request.POST.get("next") or request.GET.get("next")
    else:
        user, pending = _pending_user(request)
        if user is None:
            request.session.pop(PENDING, None)
            messages.info(request, _("Your login took too long; enter your password again."))
            return redirect("accounts:login")
        next_url = pending.get("next")
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        locked = _locked_out(request, user.get_username())
        if locked is not None:
            return locked
        with refusal_on(form, statuses=None) as attempt:
            device = second_factor.check_login_second_factor(request, user,
                                                             form.cleaned_data["otp_code"])
        if getattr(request, "axes_locked_out", False):
            return HttpResponse(status=429)  # the middleware answers the lockout
        if attempt.succeeded:
            if stepping_up:
                otp_login(request, device)
            else:
                request.session.pop(PENDING, None)
                user.otp_device = device  # django_otp's login signal keeps it in the session
                auth_login(request, user, backend=pending["backend"])
            return redirect(_safe_next(request, next_url))
        status = attempt.status
    return render(request, "accounts/login_code.html", {
        "form": form, "next": next_url or "", "stepping_up": stepping_up}, status=status)


# --- The user's own second factor ---------------------------------------------------------


def _settings_page(request, *, form=None, remove_form=None, status=200):
    user = request.user
    device = second_factor.authenticator_of(user)
    setup = None if device else second_factor.authenticator_of(user, confirmed=False)
    return render(request, "accounts/second_factor.html", {
        "device": device, "setup": setup,
        "qr": second_factor.qr_data_uri(setup) if setup else None,
        "secret": second_factor.secret_of(setup) if setup else None,
        "form": form or SecondFactorCodeForm(),
        "remove_form": remove_form or SecondFactorRemoveForm(prefix="remove"),
        "mandatory": second_factor.second_factor_required(user),
        "codes_left": second_factor.recovery_codes_left(user) if device else 0,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }, status=status)


def _codes_page(request, codes, *, title):
    return render(request, "accounts/recovery_codes.html", {
        "codes": codes, "title": title,
        "next": _safe_next(request, request.POST.get("next")) if request.POST.get("next")
        else reverse("accounts:second_factor")})


@login_required
@require_http_methods(["GET"])
def second_factor_settings(request):
    return _settings_page(request)


@login_required
@require_POST
def second_factor_start(request):
    form = SecondFactorCodeForm()
    with refusal_on(form, statuses=None) as attempt:
        services.otp_enrollment_start(user=request.user)
    if not attempt.succeeded:
        return _settings_page(request, form=form, status=attempt.status)
    query = urlencode({"next": request.POST["next"]}) if request.POST.get("next") else ""
    return redirect(reverse("accounts:second_factor") + (f"?{query}" if query else ""))


@login_required
@require_POST
def second_factor_confirm(request):
    form = SecondFactorCodeForm(request.POST)
    if form.is_valid():
        with refusal_on(form, statuses=None) as attempt:
            device, codes = services.otp_enrollment_confirm(
                user=request.user, otp_code=form.cleaned_data["otp_code"])
        if attempt.succeeded:
            otp_login(request, device)  # this session has just proved the code
            return _codes_page(request, codes,
                               title=_("Two-step verification is on"))
        return _settings_page(request, form=form, status=attempt.status)
    return _settings_page(request, form=form, status=400)


@login_required
@require_POST
def second_factor_recovery(request):
    form = SecondFactorCodeForm(request.POST)
    if form.is_valid():
        with refusal_on(form, statuses=None) as attempt:
            codes = services.otp_recovery_regenerate(user=request.user,
                                                     otp_code=form.cleaned_data["otp_code"])
        if attempt.succeeded:
            return _codes_page(request, codes, title=_("New recovery codes"))
        return _settings_page(request, form=form, status=attempt.status)
    return _settings_page(request, form=form, status=400)


@login_required
@require_POST
def second_factor_remove(request):
    form = SecondFactorRemoveForm(request.POST, prefix="remove")
    if form.is_valid():
        with refusal_on(form, statuses=None) as attempt:
            services.otp_remove(user=request.user, password=form.cleaned_data["password"],
                                otp_code=form.cleaned_data["otp_code"])
        if attempt.succeeded:
            messages.success(request, _("Two-step verification is off. Logging in needs "
                                        "only your password again."))
            return redirect("accounts:security")
        return _settings_page(request, remove_form=form, status=attempt.status)
    return _settings_page(request, remove_form=form, status=400)
