"""CSV cells a spreadsheet will not run as formulas (CSV injection, OWASP "CSV Injection").

Every CSV the product writes goes through `writer` (or `safe_cell` per cell): a text value that
begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, so
Excel, LibreOffice and WPS show `=HYPERLINK(...)` as the text it is instead of evaluating it.

Only text is escaped. Numbers the code writes (int, float, Decimal) are left as they are: a
number cannot carry a formula, and `-12.5` must stay a number in the column (docs/decisions.md
"CSV cells that start like a formula"). A number the code turned into text itself (a score
written `str(Decimal)`) should be passed as the number.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose rows are made safe cell by cell; same `writerow` / `writerows`."""

    def __init__(self, stream, *args, **kwargs):
        self._writer = csv.writer(stream, *args, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for row in rows:
            self.writerow(row)


def writer(stream, *args, **kwargs) -> SafeWriter:
    return SafeWriter(stream, *args, **kwargs)
