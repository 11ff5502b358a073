"""Numbers typed with a Chinese input method: full-width digits are the same number.

`１２３４５．５０` (full-width digits and point, as an IME in full-width mode types them) is
read as `12345.50`, on the pages and the API alike: NFKC folds the full-width forms into ASCII
before the field parses. What NFKC does not turn into a number stays refused ("Enter a
number."). See docs/decisions.md "Bad input".
"""

import unicodedata


def normalize_number_input(value):
    """`value` with full-width digits, signs and point folded to ASCII (NFKC); non-strings
    unchanged."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def fold_number_field(field) -> None:
    """Make a form's number field read full-width input (once)."""
    parse = field.to_python
    if getattr(parse, "folds_full_width", False):
        return

    def to_python(value):
        return parse(normalize_number_input(value))

    to_python.folds_full_width = True
    field.to_python = to_python
