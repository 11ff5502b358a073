"""A user's second factor: enrolling an authenticator app (an unconfirmed device until the user
proves it with a current code), the recovery codes (shown once, replaced on request), and
removing it (password and a code; refused where it is mandatory). The code is checked before
each write's transaction, so a wrong one stays counted by the device's throttle."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts.errors import SecondFactorCodeInvalid, SecondFactorCodeRequired
from marketplace.accounts.second_factor import (
    AUTHENTICATOR_NAME,
    RECOVERY_CODES,
    RECOVERY_NAME,
    authenticator_of,
    check_may_remove_second_factor,
    check_reauthenticated,
    check_second_factor,
    normalized,
    verify_code,
)
from marketplace.audit import services as audit
from marketplace.errors import StateConflict


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; the new ones (the old stop working). Inside the
    caller's transaction."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def otp_enrollment_start(*, user, key: str | None = None) -> TOTPDevice:
    """A new, unconfirmed authenticator (its secret shown as a QR code). A setup begun earlier
    and not finished is replaced. Not audited: nothing counts until it is confirmed."""
    if authenticator_of(user) is not None:
        raise StateConflict(_("An authenticator app is already set up for this account."),
                            code="otp.already_enrolled")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    extra = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False,
                                     **extra)


def otp_enrollment_confirm(*, user, otp_code: str,
                           now: dt.datetime | None = None) -> tuple[TOTPDevice, list[str]]:
    """The user proves the app works with a current code: the device counts from now on and
    the recovery codes are made (returned to be shown once)."""
    now = now or timezone.now()
    device = authenticator_of(user, confirmed=False)
    if device is None:
        raise StateConflict(_("Start setting up an authenticator app first."),
                            code="otp.no_setup")
    if not normalized(otp_code):
        raise SecondFactorCodeRequired(field="otp_code")
    if verify_code(user, otp_code, device=device) is None:
        raise SecondFactorCodeInvalid(field="otp_code")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        audit.record(action="otp.enrolled", actor=user, obj=user,
                     data={"device": device.pk, "recovery_codes": len(codes)}, now=now)
    return device, codes


def otp_recovery_regenerate(*, user, otp_code: str,
                            now: dt.datetime | None = None) -> list[str]:
    """New recovery codes for a current code; the old ones stop working."""
    now = now or timezone.now()
    check_second_factor(user, otp_code)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record(action="otp.recovery_regenerated", actor=user, obj=user,
                     data={"recovery_codes": len(codes)}, now=now)
    return codes


def otp_remove(*, user, password: str, otp_code: str, now: dt.datetime | None = None) -> None:
    """The user turns two-step verification off (password and a code); refused to regulators
    and superusers, for whom it is mandatory."""
    now = now or timezone.now()
    check_may_remove_second_factor(user)
    check_reauthenticated(user, password, otp_code)
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        StaticDevice.objects.filter(user=user).delete()
        audit.record(action="otp.removed", actor=user, obj=user, data={"devices": removed},
                     now=now)
