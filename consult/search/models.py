"""The search index: one row per searchable thing (a visible question, answer, verified doctor, treatment).

Rows are derived data, written only by ``consult.search.index`` (from the domain events, inside the
writer's transaction) and by ``manage.py search_rebuild``. Hidden content has no row, so it cannot be
found. The full-text structures live beside the table and are kept by the database itself:

- PostgreSQL: ``vector``, a generated ``tsvector`` column (title weight A, tags B, body D, plus the
  ``facets`` and the document's id buckets as extra lexemes, so filters and "newest first" windows are
  answered by the same GIN index) with a GIN index, and ``search_window()`` (migrations 0002, 0003);
- SQLite: ``search_fts``, an FTS5 table over (title, tags, context, body) with external content, synced
  by triggers (migration 0002).

Neither is a Django field: the backends (``consult.search.backends``) query them in SQL.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    QUESTION = "question", "Questions"
    ANSWER = "answer", "Answers"
    DOCTOR = "doctor", "Doctors"
    TREATMENT = "treatment", "Treatments"


class SearchDocument(models.Model):
    # "question:12", "answer:40", "doctor:3", "treatment:1": one row per thing, upserted by key.
    key = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The thing's question: the question itself, or the question an answer belongs to (tag filters).
    # Cascades: deleting the source row (admin, account erasure) deletes its document too.
    question = models.ForeignKey("questions.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    answer = models.ForeignKey("questions.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The doctor: the profile itself, or the doctor who wrote an answer (specialty filter).
    doctor = models.ForeignKey("doctors.DoctorProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    treatment = models.ForeignKey("reviews.Treatment", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=300)
    tags = models.CharField(max_length=600, blank=True)
    context = models.CharField(max_length=300, blank=True, help_text="Shown under the title: the question of an answer, a doctor's specialty and city")
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    specialty = models.CharField(max_length=32, blank=True)
    answered = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    # The filters as words, e.g. "kind:question answered:no tag:12 tag:40" (kind, answered, the doctor's
    # specialty, the question's concern tags by id). PostgreSQL indexes them in ``vector`` so one GIN
    # lookup applies words and filters together; SQLite filters by the columns above.
    facets = models.CharField(max_length=600, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["kind", "specialty"], name="search_doc_kind")]

    def __str__(self) -> str:
        return self.key


class SearchWord(models.Model):
    """The vocabulary of the index (words of titles and tags, lower case, unstemmed), for "did you mean":
    a search that finds nothing is tried again with each unknown word replaced by the closest known one.

    Written by ``index`` (each document's words, never removed: a word may outlive the document it came
    from, so a correction is only shown when the corrected search finds something visible) and refilled
    by a rebuild with document counts. PostgreSQL finds close words with a trigram GiST index; SQLite
    with an FTS5 trigram table (migration 0003).
    """

    word = models.CharField(max_length=64, unique=True)
    documents = models.PositiveIntegerField(default=1)  # documents containing it at the last rebuild (ties)

    def __str__(self) -> str:
        return self.word
