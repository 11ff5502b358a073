"""Reaching a person who has no account: an e-mail address or a mobile number, checked by a
one-time code sent to it, and secrets (codes, link tokens) kept only as digests.

Delivery goes straight to Django's mail backend or to the SMS backend (`marketplace.sms`),
after the caller's transaction commits: never through the outbox, whose stored task arguments
would keep the code or the link in clear.
"""

import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from marketplace import sms
from marketplace.errors import DomainError

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class ContactKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Mobile phone")


def normalize_contact(value: str, *, field: str = "contact") -> tuple[str, str]:
    """(kind, contact) for what a person typed: a mainland mobile number (spaces, dashes and
    +86 allowed) or an e-mail address; else a DomainError on `field`."""
    value = (value or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address."), field=field) from None
        local, _at, domain = value.rpartition("@")
        return ContactKind.EMAIL, f"{local}@{domain.lower()}"
    digits = re.sub(r"[\s\-()]", "", value)
    digits = digits.removeprefix("+86").removeprefix("0086")
    if not _MOBILE.match(digits):
        raise DomainError(_("Enter a mobile number (11 digits) or an e-mail address."),
                          field=field)
    return ContactKind.PHONE, digits


def masked(kind: str, contact: str) -> str:
    """138****5678, z***@example.cn: enough for the person to recognise their own contact."""
    if kind == ContactKind.PHONE:
        return f"{contact[:3]}****{contact[-4:]}"
    local, _at, domain = contact.partition("@")
    return f"{local[:1]}***@{domain}"


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(code: str, *, salt: str) -> str:
    """A keyed digest: a leaked table cannot be searched through the million codes without the
    site's secret key."""
    return salted_hmac("marketplace.contacts.code", f"{salt}:{code}",
                       algorithm="sha256").hexdigest()


def code_matches(code: str, digest: str, *, salt: str) -> bool:
    return constant_time_compare(code_digest(code.strip(), salt=salt), digest)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send_after_commit(kind: str, contact: str, *, subject, body) -> None:
    """E-mail or text `contact` once the caller's transaction commits, in the platform's
    language. A delivery failure is logged, never the request's error: the person can ask
    for a new code."""
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = str(subject), str(body)

    def deliver():
        if kind == ContactKind.PHONE:
            sms.send_sms(contact, body)
        else:
            send_mail(f"[{settings.WAGTAIL_SITE_NAME}] {subject}", body,
                      settings.DEFAULT_FROM_EMAIL, [contact])

    transaction.on_commit(deliver, robust=True)
