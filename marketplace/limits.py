"""How long a free text a person may type: one table, read by the forms (`maxlength` on the
input), the API serializers and the rules the services ask (so a client that skips the form
still meets it). A 1 MB proposal is a probe, not a proposal. Counted in characters."""

from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError

TEXT_LIMITS = {
    "title": 200,
    "description": 20_000,
    "proposal": 20_000,
    "question": 2_000,
    "answer": 5_000,
    "objection": 5_000,
    "statement": 10_000,
    "comment": 2_000,
    "reason": 2_000,
    "note": 5_000,
}


class TextTooLong(DomainError):
    code = "text.too_long"


def check_text_length(value: str | None, *, kind: str, field: str) -> None:
    """Refuse a text longer than TEXT_LIMITS[kind] (400 `text.too_long` on `field`)."""
    limit = TEXT_LIMITS[kind]
    if value is not None and len(value) > limit:
        raise TextTooLong(_("At most %(limit)s characters (this has %(length)s).")
                          % {"limit": limit, "length": len(value)}, field=field)
