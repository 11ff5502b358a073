"""The database's plan for a read, as text, on SQLite and PostgreSQL: for tests that hold a
page's read to its index (issue 14 §1)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def plan_of(read) -> str:
    """The plan of the last query `read()` runs (the SQL as it was sent, values included)."""
    with CaptureQueriesContext(connection) as queries:
        read()
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Test tables are nearly empty, where any plan is cheap: ask for the index's plan.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return " ".join(str(column) for row in cursor.fetchall() for column in row)
