"""The public project list's order (bidding.selectors.projects_for_viewer: published_at descending
with drafts' empty dates last, then created_at, then id) as an index, so that its first page is
read in index order instead of sorting every project (issue 14 §1 "Pages under load").

Written per database rather than in Project.Meta.indexes: PostgreSQL needs NULLS LAST in the
index to match the query's order, and SQLite refuses NULLS LAST in an index (descending already
puts NULLs last there)."""

from django.db import migrations

NAME = "project_public_order"


def create(apps, schema_editor):
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {NAME} ON bidding_project "
        f"(published_at DESC{nulls_last}, created_at DESC, id DESC)")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("bidding", "0009_bid_client_identity"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
