"""Filters and "newest first" windows inside the full-text index, and a vocabulary for "did you mean".

PostgreSQL: the tsvector ``vector`` gains two sets of lexemes that no typed word can produce (they contain
``:`` or ``~``): the document's ``facets`` (``kind:question``, ``answered:no``, ``specialty:neurology``,
``tag:12``) and the buckets of its id at seven sizes (``~a<id >> 12>`` ... ``~g<id >> 24>``: 4 096 to 16M
documents). One GIN lookup then applies words, filters and a window of the newest documents together
(``backends.PostgresBackend``); ``search_window(top, k)`` is window ``k``'s tsquery (four lexemes at most:
a window is two buckets without the previous window's two, so the index checks each item cheaply). A generated column cannot be altered in place (PostgreSQL 15), so ``vector`` is dropped,
``facets`` filled while no tsvector has to be recomputed, and ``vector`` added again: two rewrites of the
table. ``search_searchword`` gets a trigram GiST index; the one on question titles is dropped (similar
questions now rank full-text candidates, see docs/search.md).

SQLite: the table copy that adds ``facets`` drops the FTS5 triggers, which are created again; the vocabulary
gets an FTS5 trigram table with external content, kept in step by triggers.
"""

import importlib

from django.db import migrations, models

previous = importlib.import_module("consult.search.migrations.0002_fulltext")

LEVELS = 7  # bucket lexemes per document: ~a (4 096 documents) to ~g (16M), each 4 times the one before
VECTOR = """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, title), 'A')
    || setweight(to_tsvector('english'::regconfig, tags), 'B')
    || setweight(to_tsvector('english'::regconfig, left(body, 20000)), 'D')
    || array_to_tsvector(array_remove(string_to_array(facets, ' '), '') || ARRAY[
        '~a' || (id >> 12)::text, '~b' || (id >> 14)::text, '~c' || (id >> 16)::text, '~d' || (id >> 18)::text,
        '~e' || (id >> 20)::text, '~f' || (id >> 22)::text, '~g' || (id >> 24)::text])
) STORED"""

# The two newest buckets of a level as tsquery text: 'level' 0-6 is ~a-~g, 'top' the newest document's id.
PAIR_FUNCTION = r"""CREATE OR REPLACE FUNCTION search_buckets(top bigint, level integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '''~' || chr(97 + level) || (top >> (12 + 2 * level))::text || ''' | ''~' || chr(97 + level)
        || ((top >> (12 + 2 * level)) - 1)::text || ''''
$$"""
# Window k (0-7) of the documents up to id 'top', newest first: window 0 is the two newest ~a buckets
# (4 097 to 8 192 documents), window k the two newest buckets of level k without window k-1 (four times
# more), window 7 everything older than window 6. NULL (nothing) once an earlier window reached id 0.
WINDOW_FUNCTION = r"""CREATE OR REPLACE FUNCTION search_window(top bigint, k integer) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN k > 0 AND (top >> (10 + 2 * k)) <= 1 THEN NULL
        WHEN k = 0 THEN search_buckets(top, 0)::tsquery
        WHEN k = 7 THEN ('!(' || search_buckets(top, 6) || ')')::tsquery
        ELSE ('(' || search_buckets(top, k) || ') & !(' || search_buckets(top, k - 1) || ')')::tsquery
    END
$$"""


def _facets_sql(aggregate: str) -> str:
    return (
        "UPDATE search_searchdocument SET facets = 'kind:' || kind"  # noqa: S608 - constant SQL
        " || CASE WHEN answered THEN ' answered:yes' ELSE ' answered:no' END"
        " || CASE WHEN specialty <> '' THEN ' specialty:' || specialty ELSE '' END"
        f" || COALESCE((SELECT ' ' || {aggregate} FROM questions_question_tags qt"
        " WHERE qt.question_id = search_searchdocument.question_id AND kind IN ('question', 'answer')), '')"
    )


POSTGRES_DROP_VECTOR = [
    "DROP INDEX IF EXISTS search_doc_vector",
    # similar questions rank full-text candidates by trigram similarity: the trigram index on every title goes
    "DROP INDEX IF EXISTS search_doc_title_trgm",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]
POSTGRES_FORWARD = [
    _facets_sql("string_agg('tag:' || qt.tag_id::text, ' ' ORDER BY qt.tag_id)"),
    VECTOR,
    "CREATE INDEX search_doc_vector ON search_searchdocument USING gin (vector)",
    PAIR_FUNCTION,
    WINDOW_FUNCTION,
    "CREATE INDEX search_word_trgm ON search_searchword USING gist (word gist_trgm_ops)",
    # The vocabulary: words of titles and tags, with the number of documents they occur in.
    """INSERT INTO search_searchword (word, documents)
       SELECT word, ndoc FROM ts_stat('SELECT to_tsvector(''simple'', title || '' '' || tags) FROM search_searchdocument')
       WHERE length(word) BETWEEN 3 AND 64 AND word ~ '^[[:alpha:]]+$'""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP FUNCTION IF EXISTS search_window(bigint, integer)",
    "DROP FUNCTION IF EXISTS search_buckets(bigint, integer)",
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]
POSTGRES_RESTORE_VECTOR = previous.POSTGRES_FORWARD[1:]

SQLITE_WORDS = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_word_fts USING fts5(
        word, content='search_searchword', content_rowid='id', tokenize='trigram'
    )""",
    """CREATE TRIGGER IF NOT EXISTS search_word_fts_insert AFTER INSERT ON search_searchword BEGIN
        INSERT INTO search_word_fts(rowid, word) VALUES (new.id, new.word);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_word_fts_delete AFTER DELETE ON search_searchword BEGIN
        INSERT INTO search_word_fts(search_word_fts, rowid, word) VALUES ('delete', old.id, old.word);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_word_fts_update AFTER UPDATE ON search_searchword BEGIN
        INSERT INTO search_word_fts(search_word_fts, rowid, word) VALUES ('delete', old.id, old.word);
        INSERT INTO search_word_fts(rowid, word) VALUES (new.id, new.word);
    END""",
]
SQLITE_FORWARD = [
    *previous.SQLITE_FORWARD,  # the table copy dropped the triggers
    _facets_sql("group_concat('tag:' || qt.tag_id, ' ')"),
    *SQLITE_WORDS,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_word_fts_update",
    "DROP TRIGGER IF EXISTS search_word_fts_delete",
    "DROP TRIGGER IF EXISTS search_word_fts_insert",
    "DROP TABLE IF EXISTS search_word_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def _sqlite_words(apps, schema_editor):  # type: ignore[no-untyped-def]
    """SQLite has no ts_stat: the vocabulary is counted in Python (the embedded default is small)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    import re
    from collections import Counter

    document = apps.get_model("search", "SearchDocument")
    word_model = apps.get_model("search", "SearchWord")
    counts: Counter[str] = Counter()
    for title, tags in document.objects.values_list("title", "tags").iterator():
        counts.update({w for w in re.findall(r"[^\W\d_]+", f"{title} {tags}".lower()) if 3 <= len(w) <= 64})
    word_model.objects.bulk_create([word_model(word=w, documents=n) for w, n in counts.items()], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_DROP_VECTOR}),
            _run({"postgresql": POSTGRES_RESTORE_VECTOR, "sqlite": previous.SQLITE_FORWARD}),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=64, unique=True)),
                ("documents", models.PositiveIntegerField(default=1)),
            ],
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.CharField(blank=True, default="", max_length=600),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.RunPython(_sqlite_words, migrations.RunPython.noop),
    ]
