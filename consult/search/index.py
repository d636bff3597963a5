"""Writes to the search index: one document per visible question, answer, verified doctor and treatment.

Called by the receivers of the domain events (``receivers.py``) inside the writer's transaction, so
the index commits or rolls back with the change it follows, and by :func:`rebuild` (``manage.py
search_rebuild``, the demo loader, ``bench/generate.py``). A thing that may not be shown (a hidden
question or answer, an answer on a hidden question, a doctor who is not verified) has no document:
``refresh_*`` deletes it. Every write bumps :data:`consult.core.pagecache.SEARCH`, so cached search
pages never show a hidden thing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.urls import reverse

from consult.core import pagecache
from consult.doctors.models import DoctorProfile, Specialty, VerificationStatus
from consult.questions.models import Answer, Question
from consult.reviews.models import Treatment

from .models import Kind, SearchDocument, SearchWord

__all__ = [
    "facets",
    "rebuild",
    "refresh_answer",
    "refresh_doctor",
    "refresh_question",
    "refresh_question_answers",
    "refresh_treatment",
    "vocabulary",
]


def _key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def facets(kind: str, *, answered: bool = False, specialty: str = "", tag_ids: Iterable[int] = ()) -> str:
    """The filters as words for PostgreSQL's index (models.SearchDocument.facets): kind, answered, the
    specialty and the concern tags by id. None contains a space; the search backend builds the same words."""
    words = [f"kind:{kind}", "answered:yes" if answered else "answered:no"]
    if specialty:
        words.append(f"specialty:{''.join(specialty.split())}")
    words += [f"tag:{pk}" for pk in sorted(set(tag_ids))]
    return " ".join(words)


_WORD = re.compile(r"[^\W\d_]+")


def vocabulary(*texts: str) -> set[str]:
    """The words of ``texts`` the "did you mean" vocabulary keeps: letters only, lower case, 3-64 long."""
    return {w for w in _WORD.findall(" ".join(texts).lower()) if 3 <= len(w) <= 64}


def _put(kind: str, pk: int, **fields: Any) -> None:
    fields["facets"] = facets(
        kind,
        answered=bool(fields.get("answered")),
        specialty=str(fields.get("specialty", "")),
        tag_ids=fields.pop("tag_ids", ()),
    )
    SearchDocument.objects.update_or_create(key=_key(kind, pk), defaults={"kind": kind, **fields})
    words = vocabulary(str(fields.get("title", "")), str(fields.get("tags", "")))
    if words:  # new words only; a rebuild recounts them
        SearchWord.objects.bulk_create([SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True)


def _drop(kind: str, pk: int) -> None:
    SearchDocument.objects.filter(key=_key(kind, pk)).delete()


def _doctor_keywords(profile: DoctorProfile) -> str:
    parts = [
        Specialty(profile.specialty).label if profile.specialty in Specialty.values else profile.specialty,
        profile.city,
        profile.state,
        profile.country_name if profile.country != "US" else "",
        profile.credentials,
        profile.practice_name,
        profile.board_certification,
        profile.languages.replace(",", " "),
    ]
    return " ".join(part for part in parts if part)


def _doctor_context(profile: DoctorProfile) -> str:
    label = Specialty(profile.specialty).label if profile.specialty in Specialty.values else profile.specialty
    return f"{label} · {profile.place}"


def refresh_question(question_id: int) -> None:
    """The question's document, from its row: written if visible, deleted if hidden or gone."""
    question = Question.objects.filter(pk=question_id).prefetch_related("tags").first()
    if question is None or question.is_hidden:
        _drop(Kind.QUESTION, question_id)
    else:
        _put(
            Kind.QUESTION,
            question.pk,
            question=question,
            title=question.title,
            tags=" ".join(tag.name for tag in question.tags.all()),
            tag_ids=[tag.pk for tag in question.tags.all()],
            body=question.body,
            url=question.get_absolute_url(),
            answered=question.answer_count > 0,
            created_at=question.created_at,
        )
    pagecache.bump(pagecache.SEARCH)


def refresh_answer(answer_id: int, *, tag_ids: list[int] | None = None) -> None:
    """The answer's document: written if it and its question are visible, else deleted. ``tag_ids``: its
    question's concern tags when the caller has them (else read)."""
    answer = Answer.objects.filter(pk=answer_id).select_related("question", "doctor").first()
    if answer is None or answer.is_hidden or answer.question.is_hidden:
        _drop(Kind.ANSWER, answer_id)
    else:
        if tag_ids is None:
            tag_ids = list(answer.question.tags.values_list("pk", flat=True))
        _put(
            Kind.ANSWER,
            answer.pk,
            question=answer.question,
            answer=answer,
            doctor=answer.doctor,
            title=answer.headline,
            tags="",
            context=answer.question.title,
            body=answer.body,
            url=answer.get_absolute_url(),
            specialty=answer.doctor.specialty,
            tag_ids=tag_ids,
            answered=True,
            created_at=answer.created_at,
        )
    pagecache.bump(pagecache.SEARCH)


def refresh_question_answers(question_id: int) -> None:
    """Every answer of a question (after it was hidden, restored, retitled or retagged)."""
    answer_ids = list(Answer.objects.filter(question_id=question_id).values_list("pk", flat=True))
    if answer_ids:
        tag_ids = list(
            Question.tags.through.objects.filter(question_id=question_id).values_list("tag_id", flat=True)
        )
        for answer_id in answer_ids:
            refresh_answer(answer_id, tag_ids=tag_ids)


def refresh_doctor(profile_id: int) -> None:
    """A doctor is found while verified; pending, rejected and departed profiles are not."""
    profile = DoctorProfile.objects.filter(pk=profile_id).first()
    if profile is None or profile.status != VerificationStatus.VERIFIED:
        _drop(Kind.DOCTOR, profile_id)
    else:
        _put(
            Kind.DOCTOR,
            profile.pk,
            doctor=profile,
            title=profile.display_name,
            tags=_doctor_keywords(profile),
            context=_doctor_context(profile),
            body=profile.bio,
            url=reverse("doctors:profile", kwargs={"slug": profile.slug}),
            specialty=profile.specialty,
            created_at=profile.created_at,
        )
    pagecache.bump(pagecache.SEARCH)


def refresh_treatment(treatment_id: int) -> None:
    treatment = Treatment.objects.filter(pk=treatment_id).select_related("tag").first()
    if treatment is None:
        _drop(Kind.TREATMENT, treatment_id)
    else:
        _put(
            Kind.TREATMENT,
            treatment.pk,
            treatment=treatment,
            title=treatment.name,
            tags=treatment.tag.name if treatment.tag else "",
            context=treatment.summary,
            body=f"{treatment.summary}\n\n{treatment.description}",
            url=treatment.get_absolute_url(),
            created_at=_EPOCH,
        )
    pagecache.bump(pagecache.SEARCH)


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # treatments have no date; they sort last


# -- rebuilding everything, set-based -----------------------------------------------------------


def _pieces(url: str, *markers: str) -> list[str]:
    """``url`` cut at each marker in turn: a URL pattern's fixed parts, for building URLs in SQL (reversing
    with markers keeps the SQL in step with the URLconf)."""
    pieces = []
    for marker in markers:
        head, url = url.split(marker, 1)
        pieces.append(head)
    return [*pieces, url]


def _sql_text(expression: str) -> str:
    return f"CAST({expression} AS TEXT)" if connection.vendor == "postgresql" else expression


def _group_concat(expression: str, *, prefix: str = "") -> str:
    value = f"'{prefix}' || {_sql_text(expression)}" if prefix else expression
    if connection.vendor == "postgresql":
        return f"string_agg({value}, ' ' ORDER BY {expression})"
    return f"group_concat({value}, ' ')"


def _statements(question_range: tuple[int, int] | None) -> list[tuple[str, list[Any]]]:
    """INSERT ... SELECT statements filling the index from the source tables (visible rows only)."""
    pk_marker, slug_marker = "987654321", "search-slug-marker"
    q_first, q_middle, q_last = _pieces(
        reverse("questions:detail", kwargs={"pk": pk_marker, "slug": slug_marker}), pk_marker, slug_marker
    )
    q_range, q_params = "", []
    if question_range is not None:
        q_range, q_params = " AND q.id BETWEEN %s AND %s", list(question_range)
    question_url = f"%s || {_sql_text('q.id')} || %s || q.slug || %s"
    tags = (
        f"COALESCE((SELECT {_group_concat('t.name')} FROM questions_question_tags qt "  # noqa: S608
        "JOIN questions_tag t ON t.id = qt.tag_id WHERE qt.question_id = q.id), '')"
    )
    tag_facets = (
        f"COALESCE((SELECT ' ' || {_group_concat('qt.tag_id', prefix='tag:')} "  # noqa: S608
        "FROM questions_question_tags qt WHERE qt.question_id = q.id), '')"
    )
    columns = (
        "key, kind, question_id, answer_id, doctor_id, treatment_id, title, tags, context, body, url, specialty, answered,"
        " created_at, facets"
    )
    null = "CAST(NULL AS BIGINT)"  # typed: a UNION of untyped NULLs would be text on PostgreSQL
    questions = (
        f"SELECT 'question:' || {_sql_text('q.id')}, 'question', q.id, {null}, {null}, {null}, q.title, {tags}, '', q.body, "  # noqa: S608
        f"{question_url}, '', q.answer_count > 0, q.created_at, "
        f"'kind:question' || CASE WHEN q.answer_count > 0 THEN ' answered:yes' ELSE ' answered:no' END || {tag_facets} "
        f"FROM questions_question q WHERE NOT q.is_hidden{q_range}"
    )
    answers = (
        f"SELECT 'answer:' || {_sql_text('a.id')}, 'answer', q.id, a.id, a.doctor_id, {null}, a.headline, '', q.title, a.body, "  # noqa: S608
        f"{question_url} || '#answer-' || {_sql_text('a.id')}, d.specialty, TRUE, a.created_at, "
        "'kind:answer answered:yes' || CASE WHEN d.specialty <> '' THEN ' specialty:' || d.specialty ELSE '' END "
        f"|| {tag_facets} "
        "FROM questions_answer a JOIN questions_question q ON q.id = a.question_id "
        f"JOIN doctors_doctorprofile d ON d.id = a.doctor_id WHERE NOT a.is_hidden AND NOT q.is_hidden{q_range}"
    )
    # One statement, questions and answers in the order they were written (column 14 is created_at): ids
    # then follow the content's age, as they do when documents are written one by one, which the
    # PostgreSQL backend's newest-first windows rely on (backends.WINDOWS).
    return [
        (
            f"INSERT INTO search_searchdocument ({columns}) SELECT * FROM ({questions} UNION ALL {answers}) docs "  # noqa: S608
            "ORDER BY 14",
            [q_first, q_middle, q_last, *q_params, q_first, q_middle, q_last, *q_params],
        )
    ]


def rebuild(*, question_chunk: int = 0) -> dict[str, int]:
    """Empty the index and fill it again from the source tables. Returns the documents per kind.

    Questions and answers are copied set-based in SQL (``question_chunk`` > 0 splits them into
    transactions of that many question ids, for big databases); doctors and treatments, a few
    thousand rows, go through the same ``refresh_*`` functions as the events.
    """
    # TRUNCATE and dropping indexes need a table without pending constraint checks: only outside a
    # caller's transaction (the command, bench/generate.py); inside one (tests, the demo) rows are deleted.
    postgres = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if postgres:
            _truncate()
        else:
            SearchDocument.objects.all().delete()
    if postgres:  # filling an index row by row costs far more than building it once at the end
        _execute([f"DROP INDEX IF EXISTS {name}" for name in _POSTGRES_INDEXES])
    # Doctors and treatments first: ids then follow the content's age, which the PostgreSQL backend's
    # "newest matches" candidate scan relies on (backends.CANDIDATES).
    with transaction.atomic():
        for pk in DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED).values_list("pk", flat=True):
            refresh_doctor(pk)
        for pk in Treatment.objects.values_list("pk", flat=True):
            refresh_treatment(pk)
    bounds = Question.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = (bounds["low"], bounds["high"]) if bounds["low"] is not None else (0, -1)
    step = question_chunk or max(high - low + 1, 1)
    with connection.cursor() as cursor:
        for start in range(low, high + 1, step):
            with transaction.atomic():
                for sql, params in _statements((start, start + step - 1)):
                    cursor.execute(sql, params)
    if postgres:
        _execute(
            [
                "SET maintenance_work_mem = '256MB'",
                *_POSTGRES_INDEXES.values(),
                "ANALYZE search_searchdocument",
            ]
        )
    with transaction.atomic():
        _rebuild_vocabulary()
    pagecache.bump(pagecache.SEARCH)
    counts = {kind: 0 for kind in Kind.values}
    for kind, count in _counts():
        counts[kind] = count
    return counts


# The full-text index (migrations 0002, 0003), dropped and built again around a rebuild on PostgreSQL.
_POSTGRES_INDEXES = {
    "search_doc_vector": "CREATE INDEX IF NOT EXISTS search_doc_vector ON search_searchdocument USING gin (vector)",
}


def _rebuild_vocabulary() -> None:
    """The "did you mean" words: every word of the documents' titles and tags, with its document count."""
    SearchWord.objects.all().delete()
    if connection.vendor == "postgresql":
        _execute(
            [
                "INSERT INTO search_searchword (word, documents) SELECT word, ndoc FROM ts_stat("
                "'SELECT to_tsvector(''simple'', title || '' '' || tags) FROM search_searchdocument') "
                "WHERE length(word) BETWEEN 3 AND 64 AND word ~ '^[[:alpha:]]+$'"
            ]
        )
        return
    counts: Counter[str] = Counter()
    for title, tags in SearchDocument.objects.values_list("title", "tags").iterator():
        counts.update(vocabulary(title, tags))
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, documents=n) for w, n in sorted(counts.items())], batch_size=500
    )


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_searchdocument")


def _counts() -> list[tuple[str, int]]:
    rows = SearchDocument.objects.order_by().values_list("kind").annotate(n=Count("id"))
    return [(kind, n) for kind, n in rows]
