"""The credit table (one row per agency and owner) as CSV and JSON, streamed.

Score, grade and blacklisting come from the credit columns of `Organization`, the one place the
ratings services write them, read with one query and an iterator (no per-row lookups).
"""

import json
from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone

from marketplace import csvsafe
from marketplace.accounts.models import Organization

COLUMNS = ("id", "name", "uscc", "kind", "score", "grade", "blacklisted", "blacklisted_until",
           "status")
BOM = "\ufeff"


def rows(*, now=None) -> Iterator[dict]:
    now = now or timezone.now()
    organizations = (Organization.objects
                     .filter(kind__in=(Organization.Kind.AGENCY, Organization.Kind.OWNER))
                     .order_by("id")
                     .values_list("pk", "name", "uscc", "kind", "credit_score", "credit_grade",
                                  "blacklisted_until", "status"))
    for pk, name, uscc, kind, score, grade, until, status in organizations.iterator(
            chunk_size=2000):
        listed = until is not None and until > now
        yield {"id": pk, "name": name, "uscc": uscc, "kind": kind, "score": str(score),
               "grade": grade, "blacklisted": listed,
               "blacklisted_until": until.isoformat() if listed else None, "status": status}


class _Echo:
    def write(self, value):
        return value


def csv_chunks(*, now=None) -> Iterator[str]:
    """UTF-8 with a BOM first, so that Excel opens the Chinese names correctly. Text cells
    that start like a formula are quoted (`marketplace.csvsafe`); the score is written as the
    number it is, so a negative score stays a number."""
    writer = csvsafe.writer(_Echo())
    yield BOM + writer.writerow(COLUMNS)
    for row in rows(now=now):
        yield writer.writerow([
            row["id"], row["name"], row["uscc"], row["kind"], Decimal(row["score"]), row["grade"],
            "true" if row["blacklisted"] else "false", row["blacklisted_until"] or "",
            row["status"]])


def json_chunks(*, now=None) -> Iterator[str]:
    """One JSON array, written element by element."""
    yield "["
    for i, row in enumerate(rows(now=now)):
        yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
    yield "]"
