"""Domain errors shared by every app.

A service raises one of these with a translatable message; one place maps them to HTTP for the
API (`marketplace.api.exceptions`) and for pages (`marketplace.views.render_domain_error`).
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """The action was refused for a reason the user can understand and fix (HTTP 400)."""

    status_code = 400
    default_message = _("The request could not be accepted.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message if message is not None else self.default_message
        self.field = field
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    """The actor may not do this (HTTP 403)."""

    status_code = 403
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    status_code = 404
    default_message = _("Not found.")


class StateConflict(DomainError):
    """The object's state (or the clock) does not allow the action now (HTTP 409)."""

    status_code = 409
    default_message = _("This action is not possible in the current state.")


class InvalidTransition(StateConflict):
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
