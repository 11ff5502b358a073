"""DRF's tokens (`authtoken_token`, key as primary key, stored in clear) become ApiToken rows
holding the key's SHA-256, so every program that had a token keeps it; the clear keys are then
deleted. `rest_framework.authtoken` is no longer installed, so its table is read by name when
it exists (a database made before this change) and skipped otherwise (a new one).

Each copied token starts its period of validity now (`last_used_at`): DRF never recorded a
use, and a token made long ago may be in daily use."""

import datetime as dt
import hashlib

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"


def _aware(value, default):
    """A raw cursor gives SQLite's stored text or naive UTC, PostgreSQL an aware time."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return default
    return timezone.make_aware(value, dt.timezone.utc) if timezone.is_naive(value) else value


def copy_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT {quote('key')}, {quote('user_id')}, {quote('created')} "
                       f"FROM {quote(OLD_TABLE)}")
        rows = cursor.fetchall()
    ApiToken.objects.using(connection.alias).bulk_create([
        ApiToken(user_id=user_id, key_hash=hashlib.sha256(key.encode()).hexdigest(),
                 prefix=key[:8], created_at=_aware(created, now), last_used_at=now)
        for key, user_id, created in rows])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(OLD_TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_api_tokens"),
    ]

    operations = [
        migrations.RunPython(copy_drf_tokens, migrations.RunPython.noop),
    ]
