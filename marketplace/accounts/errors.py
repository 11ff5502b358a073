"""The accounts kernel's refusals, each mapped to HTTP by its base class (marketplace.errors)."""

from django.utils.translation import gettext_lazy as _

from marketplace.errors import NotAllowed, StateConflict


class LastAdministrator(StateConflict):
    """Removing or demoting this member would leave the organization without an administrator,
    and then nobody could invite, sign or manage it again."""

    code = "org.last_administrator"
    default_message = _("An organization must keep at least one administrator. Make another "
                        "member an administrator first.")


class NotSignatory(NotAllowed):
    code = "contract.not_a_signatory"
    default_message = _("Only an administrator or a member granted the right to sign contracts "
                        "can sign for your organization. Ask your administrator for this right.")


# --- Sanctions: what a blacklisted, suspended or exited organization is refused -------------


class Blacklisted(NotAllowed):
    code = "org.blacklisted"
    default_message = _("Your organization is on the blacklist and cannot do this while it is "
                        "listed.")


class Suspended(NotAllowed):
    code = "org.suspended"
    default_message = _("Your organization has been suspended by a regulator and cannot do this "
                        "until it is reinstated.")


class Exited(NotAllowed):
    code = "org.exited"
    default_message = _("Your organization has been removed from the market and cannot do "
                        "this.")


# --- Second factor (docs/decisions.md "Second factor (issue 13 §2)") ------------------------


class SecondFactorCodeRequired(NotAllowed):
    code = "otp.code_required"
    default_message = _("Enter the current code from your authenticator app (or a recovery "
                        "code).")


class SecondFactorCodeInvalid(NotAllowed):
    code = "otp.code_invalid"
    default_message = _("That code is not correct or has already been used. Enter the current "
                        "code from your authenticator app (or an unused recovery code).")


class SecondFactorThrottled(NotAllowed):
    code = "otp.throttled"
    default_message = _("Too many wrong codes. Wait a minute, then enter the current code "
                        "from your authenticator app.")


class SecondFactorEnrollmentRequired(NotAllowed):
    code = "otp.enrollment_required"
    default_message = _("Regulators and platform administrators must use two-step "
                        "verification. Set up an authenticator app first, under Sessions and "
                        "API tokens → Two-step verification.")


class SecondFactorMandatory(NotAllowed):
    code = "otp.mandatory"
    default_message = _("Two-step verification is mandatory for regulators and platform "
                        "administrators; it cannot be removed from this account.")
