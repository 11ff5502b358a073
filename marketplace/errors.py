"""Domain errors shared by every app.

A service raises one of these with a translatable message and a stable, machine-readable
`code` (`bid.deadline_passed`, `org.blacklisted`, …); one place maps them to HTTP for the API
(`marketplace.api.exceptions`, which answers `{"detail", "code"}`) and pages show the message
(`marketplace.web`). A code names the refusal, not the wording: it never changes when the
message is reworded or translated. Each class has a default code; a raise site may name a more
precise one with `code=`.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """The action was refused for a reason the user can understand and fix (HTTP 400)."""

    status_code = 400
    code = "invalid"
    default_message = _("The request could not be accepted.")

    def __init__(self, message=None, *, field: str | None = None, code: str | None = None):
        self.message = message if message is not None else self.default_message
        self.field = field
        if code is not None:
            self.code = code
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    """The actor may not do this (HTTP 403)."""

    status_code = 403
    code = "not_allowed"
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_message = _("Not found.")


class StateConflict(DomainError):
    """The object's state (or the clock) does not allow the action now (HTTP 409)."""

    status_code = 409
    code = "state.conflict"
    default_message = _("This action is not possible in the current state.")


class InvalidTransition(StateConflict):
    code = "state.invalid_transition"

    def __init__(self, current, target):
        self.current = current
        self.target = target
        super().__init__(
            _("Cannot move from “%(current)s” to “%(target)s”.")
            % {
                "current": getattr(current, "label", current),
                "target": getattr(target, "label", target),
            }
        )


class WrongState(InvalidTransition):
    """A rule's refusal of an action that the object's state does not allow, in the rule's own
    words ("Only a draft can be published; …"). Same code as the state table's refusal unless
    the raise site names a more precise one."""

    def __init__(self, message, *, code: str | None = None):
        self.current = self.target = None
        StateConflict.__init__(self, message, code=code)


def refusal_of(check, /, *args, **kwargs) -> DomainError | None:
    """What a `check_*` rule says about an action: None when it is allowed, else its refusal.
    The "what can I do now" panels ask the rules through this, so they show the very message
    the service would answer with."""
    try:
        check(*args, **kwargs)
    except DomainError as refusal:
        return refusal
    return None
