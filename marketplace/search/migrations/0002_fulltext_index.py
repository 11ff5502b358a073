"""The full-text index over SearchEntry, per database vendor.

SQLite: a contentless FTS5 table whose rowid is SearchEntry.id, kept in step by triggers. The
document type is indexed as the token 't' || hex(doc_type) in the column doc_key, so a search
intersects posting lists instead of filtering afterwards. Contentless 'delete' needs the values
that were indexed; the triggers pass the old row, which is exactly that.
NB: Django's SQLite schema editor rebuilds a table to alter it, dropping its triggers; a later
migration that alters SearchEntry must run SQLITE_TRIGGERS again.

PostgreSQL: a stored generated tsvector column (title weight A, body weight B, 'simple' config:
the tokens are already made) with a GIN index. Ranking reads every matching row's tsvector, and
an entry (tokens plus vector) is typically 2-6 kB: past the default 2 kB TOAST target it would be
compressed or moved out of line and every ranked row fetched and decompressed from TOAST (the
benchmark measured ranking 2-3x slower). toast_tuple_target keeps rows up to a page inline.
"""

from django.db import migrations

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "doc_key, title_tokens, body_tokens, content='', "
    "tokenize='unicode61 remove_diacritics 0')"
)
_SQLITE_INSERT = (
    "INSERT INTO search_fts(rowid, doc_key, title_tokens, body_tokens) "
    "VALUES (new.id, 't' || hex(new.doc_type), new.title_tokens, new.body_tokens);"
)
_SQLITE_DELETE = (
    "INSERT INTO search_fts(search_fts, rowid, doc_key, title_tokens, body_tokens) "
    "VALUES ('delete', old.id, 't' || hex(old.doc_type), old.title_tokens, old.body_tokens);"
)
SQLITE_TRIGGERS = [
    "CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN "
    + _SQLITE_INSERT + " END",
    "CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN "
    + _SQLITE_DELETE + " END",
    "CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN "
    + _SQLITE_DELETE + " " + _SQLITE_INSERT + " END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_CREATE = [
    "ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')) STORED",
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (search_vector)",
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 8160)",
]
POSTGRES_DROP = [
    "ALTER TABLE search_searchentry RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": [SQLITE_TABLE, *SQLITE_TRIGGERS], "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
