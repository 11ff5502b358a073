"""What the ratings services share. Who is acting (a regulator, an organization's
administrator) is the kernel's `marketplace.actors`."""

from marketplace.errors import DomainError


def required_text(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value
