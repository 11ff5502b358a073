"""`marketplace.bulk`: many rows written in one `executemany`, with the values the model's own
fields prepare (JSON with quotes and backslashes, defaults, nulls), as `save()` would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.bulk import insert_rows, update_rows
from marketplace.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
AWKWARD = {"text": 'a "quoted" \\ back\\slash, 引号“”', "list": [1, None, "x"], "n": 1.5}


def test_insert_rows_writes_every_row_as_save_would():
    rows = [OutboxMessage(task_name=f"t{n}", kwargs={**AWKWARD, "n": n}) for n in range(30)]

    with CaptureQueriesContext(connection) as captured:
        assert insert_rows(rows) == 30
    assert len(captured) <= 2  # one executemany (psycopg may report it as one, SQLite too)

    stored = list(OutboxMessage.objects.order_by("pk"))
    assert [m.task_name for m in stored] == [f"t{n}" for n in range(30)]
    assert stored[3].kwargs == {**AWKWARD, "n": 3}
    assert stored[0].created_at == rows[0].created_at  # the default made in memory
    assert (stored[0].attempts, stored[0].sent_at, stored[0].request_id) == (0, None, "")


def test_update_rows_writes_the_named_fields_only():
    rows = [OutboxMessage.objects.create(task_name="t", kwargs={}) for _ in range(3)]
    for n, row in enumerate(rows):
        row.kwargs, row.attempts, row.task_name = {**AWKWARD, "n": n}, n, "not written"

    assert update_rows(rows, ["kwargs", "attempts"]) == 3

    stored = list(OutboxMessage.objects.order_by("pk"))
    assert [m.attempts for m in stored] == [0, 1, 2]
    assert stored[2].kwargs == {**AWKWARD, "n": 2}
    assert {m.task_name for m in stored} == {"t"}
    with pytest.raises(ValueError):
        update_rows(rows, ["id"])


def test_nothing_to_write_is_no_query():
    with CaptureQueriesContext(connection) as captured:
        assert insert_rows([]) == 0
        assert update_rows([], ["kwargs"]) == 0
    assert len(captured) == 0
