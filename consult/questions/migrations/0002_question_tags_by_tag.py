"""Tag pages: an index on the M2M table's (tag_id, question_id), walked backwards for keyset pages.

The auto-created through table cannot declare Meta.indexes, so the index is plain SQL (the same on
SQLite and PostgreSQL). On a large live PostgreSQL database build it first with
CREATE INDEX CONCURRENTLY under the same name; this migration then does nothing (IF NOT EXISTS).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS question_tags_by_tag ON questions_question_tags (tag_id, question_id)",
            "DROP INDEX IF EXISTS question_tags_by_tag",
        ),
    ]
