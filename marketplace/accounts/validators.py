from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalize_uscc(value: str) -> str:
    """Validate a unified social credit code (GB 32100-2015) and return it in upper case.

    Raises a ValidationError whose message says what is wrong: length, characters, or check
    character.
    """
    compact = stdnum_uscc.compact(value or "")
    if not compact:
        raise ValidationError(_("Enter the unified social credit code."), code="required")
    try:
        return stdnum_uscc.validate(compact)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(compact)},
        )
    except InvalidChecksum:
        raise ValidationError(
            _("The check character (the 18th) of this unified social credit code is wrong: "
              "please check the code for a typing error."),
            code="uscc_checksum",
        )
    except (InvalidComponent, StdnumError):
        raise ValidationError(
            _("This is not a valid unified social credit code: it may contain only digits and "
              "the capital letters used by GB 32100 (no I, O, Z, S, V)."),
            code="uscc_format",
        )


# Django 5.2 changed this message of MinimumLengthValidator and its zh_Hans catalog does not
# have the new text yet; naming it here keeps it in our catalog, which takes precedence.
DJANGO_PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
