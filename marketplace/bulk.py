"""Writing many rows at once where Django's `bulk_update` and `bulk_create` are too slow.

`bulk_update` builds one `CASE WHEN pk = … THEN …` expression per field and row, and resolving
those costs milliseconds of Python per dozen rows (the opening of 20 bids spent most of its time
there). `update_rows` sends one parameterized UPDATE per row in a single `executemany`: psycopg
pipelines them in one round trip, SQLite runs them natively; values are prepared by the model's
own fields, exactly as `save()` prepares them.

`insert_rows` is the same for new rows with large JSON values: `bulk_create` on PostgreSQL sends
each column as one array (`UNNEST`), and psycopg escapes every quote inside a JSON element of a
text array with a Python callback (a fifth of a deadline's openings went there, in the OCDS
releases); one INSERT per row in an `executemany` has each value quoted by libpq instead.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model


def update_rows(objs: Sequence[Model], fields: Sequence[str]) -> int:
    """Write `fields` of `objs` (saved instances of one model) from their values in memory.
    Like `bulk_update`: no `save()`, no signals, no `auto_now`. Returns how many rows."""
    if not objs:
        return 0
    meta, connection = _target(objs)
    columns = [meta.get_field(name) for name in fields]
    if any(not field.concrete or field.primary_key or field.many_to_many for field in columns):
        raise ValueError("update_rows writes concrete, non-key columns only")
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET "
           + ", ".join(f"{quote(field.column)} = %s" for field in columns)
           + f" WHERE {quote(meta.pk.column)} = %s")
    return _execute_each(connection, sql, [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [meta.pk.get_db_prep_value(obj.pk, connection)]
        for obj in objs])


def insert_rows(objs: Sequence[Model]) -> int:
    """Insert `objs` (new instances of one model, with an automatic primary key) in one
    `executemany`. Like `bulk_create`: no `save()`, no signals; unlike it, the instances get
    no id back (for rows nobody reads again in the same transaction). Returns how many."""
    if not objs:
        return 0
    meta, connection = _target(objs)
    columns = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ("
           + ", ".join(quote(field.column) for field in columns) + ") VALUES ("
           + ", ".join(["%s"] * len(columns)) + ")")
    return _execute_each(connection, sql, [
        [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in columns]
        for obj in objs])


def _target(objs: Sequence[Model]):
    """The model's options and the connection its writes go to."""
    model = type(objs[0])
    return model._meta, connections[router.db_for_write(model)]


def _execute_each(connection, sql: str, rows: list[list]) -> int:
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)
