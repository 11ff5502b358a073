"""The second factor (django-otp): an authenticator app (TOTP, `otp_totp`) with recovery codes
(`otp_static`). Who must have one, whether a user has one, and the `check_*` rules that verify a
code: at the login's second step, for the API token, and for re-authentication (signing a
contract, a regulator's sanction). See docs/decisions.md "Second factor (issue 13 §2)".

A code is verified outside the caller's transaction where possible: a wrong code counts
against the device's throttle (django-otp's ThrottlingMixin), and a rollback would forget it."""

import re
from base64 import b32encode

import segno
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.errors import (
    SecondFactorCodeInvalid,
    SecondFactorCodeRequired,
    SecondFactorEnrollmentRequired,
    SecondFactorMandatory,
    SecondFactorThrottled,
)
from marketplace.actors import acting_organization
from marketplace.errors import NotAllowed

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"
WRONG_PASSWORD = _("The password is not correct.")


# --- Reads ----------------------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Mandatory for regulators and the Django superuser (issue 13 §2); optional for anyone
    else, organization administrators included."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    organization = acting_organization(user)
    return organization is not None and organization.is_regulator


def authenticator_of(user, *, confirmed: bool = True) -> TOTPDevice | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (TOTPDevice.objects.filter(user_id=user.pk, confirmed=confirmed)
            .order_by("-pk").first())


def has_second_factor(user) -> bool:
    """The user has a confirmed authenticator: every login and re-authentication asks for a
    code. An unconfirmed one (enrollment begun, not finished) does not count."""
    return authenticator_of(user) is not None


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    return device.token_set.count() if device is not None else 0


def secret_of(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The enrollment QR code as a data: URI (SVG drawn here, nothing fetched from elsewhere)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def normalized(code) -> str:
    """Spaces and dashes dropped (apps show "123 456"; recovery codes are shown in two halves),
    lower case (recovery codes are base32 in lower case)."""
    return re.sub(r"[\s-]", "", str(code or "")).lower()


# --- Verifying a code ---------------------------------------------------------------------


def verify_code(user, code: str, *, device: TOTPDevice | None = None):
    """The device that accepts `code` (a current TOTP code, or a recovery code, which is then
    used up), or None. A code is tried against one kind of device only: six digits are an
    authenticator's, anything else a recovery code. `device` (an unconfirmed authenticator
    during enrollment) restricts the check to it. Raises SecondFactorThrottled while the
    device refuses to verify after wrong codes."""
    code = normalized(code)
    if not code:
        return None
    throttled = False
    with transaction.atomic():
        if device is not None:
            candidates = TOTPDevice.objects.select_for_update().filter(pk=device.pk)
        elif code.isdigit():
            candidates = TOTPDevice.objects.select_for_update().filter(user_id=user.pk,
                                                                       confirmed=True)
        else:
            candidates = StaticDevice.objects.select_for_update().filter(user_id=user.pk,
                                                                         confirmed=True)
        for candidate in candidates:
            if not candidate.verify_is_allowed()[0]:
                throttled = True
            elif candidate.verify_token(code):
                return candidate
    if throttled:
        raise SecondFactorThrottled(field="otp_code")
    return None


def check_second_factor(user, otp_code):
    """For a user with a confirmed authenticator, `otp_code` must be a current code (or an
    unused recovery code); the device that accepted it, or None for a user without one. A
    regulator or superuser without one is told to enroll first."""
    if not has_second_factor(user):
        if second_factor_required(user):
            raise SecondFactorEnrollmentRequired(field="otp_code")
        return None
    if not normalized(otp_code):
        raise SecondFactorCodeRequired(field="otp_code")
    device = verify_code(user, otp_code)
    if device is None:
        raise SecondFactorCodeInvalid(field="otp_code")
    return device


def check_login_second_factor(request, user, otp_code):
    """`check_second_factor` at a login (the page's second step, the API token): a wrong code
    is a failed login for django-axes, counted against the user name and the address (so is
    one the device refuses to check while it throttles guesses)."""
    try:
        return check_second_factor(user, otp_code)
    except (SecondFactorCodeInvalid, SecondFactorThrottled):
        user_login_failed.send(sender=__name__, request=request,
                               credentials={"username": user.get_username()})
        raise


def check_password(user, password) -> None:
    if not password or not user.check_password(password):
        raise NotAllowed(WRONG_PASSWORD, field="password")


def check_reauthenticated(user, password, otp_code):
    """Re-authentication before a grave act (signing a contract, a regulator's sanction): the
    password again and, for a user with an authenticator, a current code. Called right before
    the service's transaction, so a wrong code stays counted."""
    check_password(user, password)
    return check_second_factor(user, otp_code)


def check_may_remove_second_factor(user) -> None:
    if second_factor_required(user):
        raise SecondFactorMandatory()
