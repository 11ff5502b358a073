"""How long a free text a person may type: one table, read by the model fields (`max_length`),
the forms (`maxlength` on the input), the API serializers (`maxLength` in the schema) and one
guard on every save (`refuse_over_long_texts`), so that a client that skips the form, or a
service that forgets to ask, still meets it. A 1 MB proposal is a probe, not a proposal.
Counted in characters."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
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
    "reply": 5_000,
    "justification": 5_000,
    "basis": 5_000,
    "decision": 10_000,
    "template": 50_000,
    # What a person may type in a one-line field that has no narrower limit of its own.
    "line": 200,
    # A saved project search: the list page's query string, as captured (issue 17 §5).
    "query": 2_000,
    # A web address an organization registers (webhook endpoints).
    "url": 500,
}

# Fields the product writes itself, never typed by a person (the guard still holds them to
# any max_length they declare; tests/kernel/test_text_limits.py reads this list).
MACHINE_TEXTS = {
    "contracts.Contract.text",  # frozen from the chosen template and the award's facts
    "notifications.Notification.body",
    "outbox.OutboxMessage.last_error",
    "search.SearchEntry.title_tokens",
    "search.SearchEntry.body_tokens",
    # Ciphertext and wrapped keys (bidding.sealing), sized by what they seal.
    "bidding.Bid.sealed_contents",
    "bidding.ProjectSealKey.wrapped_key",
    # Stripe's answers and our own error records.
    "contracts.Payment.checkout_url",
    "contracts.Payment.failure_message",
    "contracts.Payment.last_error",
    "contracts.Payout.last_error",
    # The exact JSON a webhook event delivers, composed by the platform.
    "webhooks.WebhookEvent.body",
    # Certificates and sealed private keys (marketplace.pki), written by the CA and the seal.
    "pki.Certificate.certificate_pem",
    "pki.Certificate.sealed_key",
    "pki.Certificate.wrapped_key",
}

TOO_LONG = _("At most %(limit)s characters (this has %(length)s).")


class TextTooLong(DomainError):
    code = "text.too_long"


def too_long_message(limit: int, length: int) -> str:
    return TOO_LONG % {"limit": limit, "length": length}


def check_text_length(value: str | None, *, kind: str, field: str) -> None:
    """Refuse a text longer than TEXT_LIMITS[kind] (400 `text.too_long` on `field`)."""
    limit = TEXT_LIMITS[kind]
    if value is not None and len(value) > limit:
        raise TextTooLong(too_long_message(limit, len(value)), field=field)


@deconstructible
class TextLimitValidator(MaxLengthValidator):
    """Django's max-length check with our message and the code `text.too_long`, so that the
    API (`marketplace.api.exceptions`) answers the same code as the services."""

    code = "text.too_long"

    def __call__(self, value):
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if value is not None and len(value) > limit:
            raise ValidationError(too_long_message(limit, len(value)), code=self.code)


# The packages whose models the guard holds (third-party apps keep their own conventions).
OUR_PACKAGES = {"marketplace", "providers", "bidding", "contracts", "ratings", "cms", "demo"}


def _limited_fields(model) -> list[tuple[str, int]]:
    cached = getattr(model._meta, "_text_limits", None)
    if cached is None:
        ours = model.__module__.split(".")[0] in OUR_PACKAGES
        cached = [(field.attname, field.max_length) for field in model._meta.concrete_fields
                  if ours and isinstance(field, models.CharField | models.TextField)
                  and field.max_length and not field.choices]
        model._meta._text_limits = cached
    return cached


def refuse_over_long_texts(sender, instance, raw=False, **kwargs):
    """pre_save: no text longer than its field's max_length is written, whichever code path
    writes it. Django enforces max_length only in forms, and SQLite not even for CharField; the
    service's transaction rolls back with a 400 `text.too_long` naming the field."""
    if raw:
        return
    for attname, limit in _limited_fields(type(instance)):
        value = getattr(instance, attname, None)
        if isinstance(value, str) and len(value) > limit:
            raise TextTooLong(too_long_message(limit, len(value)), field=attname)
