"""The full-text structures beside ``search_searchdocument``, one set per database (see models.py).

PostgreSQL: ``vector``, a generated tsvector (title A, tags B, body D; "english" stemming and stop
words) with a GIN index, and pg_trgm with a trigram GiST index on question titles (similar questions,
typo-tolerant, nearest-first). SQLite: an FTS5 table with external content and the three triggers
that keep it in step.

On SQLite, Django alters a table by copying it, which drops its triggers: a later migration that
alters ``search_searchdocument`` must recreate them (run ``SQLITE_FORWARD`` again) and then
``manage.py search_rebuild``.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, tags), 'B')
        || setweight(to_tsvector('english'::regconfig, left(body, 20000)), 'D')
    ) STORED""",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (vector)",
    "CREATE INDEX search_doc_title_trgm ON search_searchdocument USING gist (title gist_trgm_ops) WHERE kind = 'question'",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_title_trgm",
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title, tags, body, content='search_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, tags, body) VALUES (new.id, new.title, new.tags, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, tags, body) VALUES ('delete', old.id, old.title, old.tags, old.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, tags, body) VALUES ('delete', old.id, old.title, old.tags, old.body);
        INSERT INTO search_fts(rowid, title, tags, body) VALUES (new.id, new.title, new.tags, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
