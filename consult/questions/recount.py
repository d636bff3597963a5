"""Recompute every denormalised counter from the rows it counts: the one place that knows how.

The services keep the counters exact as they write (F() updates in the same transaction); this module
is for everything else: the demo loader and the benchmark generator, which insert rows in bulk and then
count once, and ``manage.py recount``, which repairs drift (a hand edit, a restored backup, a bug).
It counts what the services count, visible content only:

==============================  =====================================================================
counter                         counts
==============================  =====================================================================
``Question.answer_count``       the question's answers that are not hidden
``Answer.helpful_count``        every helpful vote on the answer (hiding an answer keeps its votes)
``DoctorProfile.answer_count``  the doctor's answers that are not hidden, on questions not hidden
``DoctorProfile.helpful_count`` helpful votes on those answers (the directory's "helpful votes" sort)
``Tag.question_count``          the tag's questions that are not hidden
``DoctorProfile.rating_avg``,   the doctor's reviews that are not hidden: mean stars (one decimal, half
``review_count``                up) and count (``consult.reviews.figures``)
``Treatment`` figures           its reviews that are not hidden: count, Worth It count, reported costs'
                                count, mean, minimum and maximum (``consult.reviews.figures``)
==============================  =====================================================================

Each counter is one set-based ``UPDATE ... SET n = (SELECT count(*) ...) WHERE n <> (SELECT ...)`` made
by the ORM, so only rows that are wrong are written (a recount of a correct database writes nothing) and
it runs as fast as the indexes on the counted foreign keys allow (1M questions: see bench/generate.py).
The review figures are a grouped aggregate compared in Python with the stored values (averages are
rounded the one way ``consult.reviews.figures`` rounds them, on every database); only wrong rows are written.
A write racing with a recount can leave its own row off by the one change it made; run it again.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from consult.doctors.models import DoctorProfile
from consult.reviews.figures import refresh_doctor_figures, refresh_treatment_figures

from .models import Answer, HelpfulVote, Question, Tag

__all__ = [
    "COUNTERS",
    "recount_all",
    "recount_answer_helpful_counts",
    "recount_doctor_answer_counts",
    "recount_doctor_helpful_counts",
    "recount_question_answer_counts",
    "recount_review_doctor_figures",
    "recount_review_treatment_figures",
    "recount_tag_question_counts",
]


def _count_per_row(rows: QuerySet[Model], *, key: str) -> Coalesce:
    """``count(*)`` of ``rows`` whose ``key`` is the outer row, 0 when there are none."""
    counted = (
        rows.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _fix(rows: QuerySet[Model], *, field: str, true_count: Coalesce) -> int:
    """Set ``field`` to the true count on the rows where it differs; return how many rows changed."""
    return rows.exclude(**{field: true_count}).update(**{field: true_count})


def recount_question_answer_counts() -> int:
    return _fix(
        Question.objects.all(),
        field="answer_count",
        true_count=_count_per_row(Answer.objects.filter(is_hidden=False), key="question"),
    )


def recount_answer_helpful_counts() -> int:
    return _fix(
        Answer.objects.all(), field="helpful_count", true_count=_count_per_row(HelpfulVote.objects.all(), key="answer")
    )


def recount_doctor_answer_counts() -> int:
    visible = Answer.objects.filter(is_hidden=False, question__is_hidden=False)
    return _fix(DoctorProfile.objects.all(), field="answer_count", true_count=_count_per_row(visible, key="doctor"))


def recount_doctor_helpful_counts() -> int:
    visible = Answer.objects.filter(is_hidden=False, question__is_hidden=False)
    summed = (
        visible.filter(doctor=OuterRef("pk")).order_by().values("doctor").annotate(n=Sum("helpful_count")).values("n")
    )
    true_count = Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))
    return _fix(DoctorProfile.objects.all(), field="helpful_count", true_count=true_count)


def recount_tag_question_counts() -> int:
    tagged = Question.tags.through.objects.filter(question__is_hidden=False)
    return _fix(Tag.objects.all(), field="question_count", true_count=_count_per_row(tagged, key="tag"))


def recount_review_doctor_figures() -> int:
    return refresh_doctor_figures()


def recount_review_treatment_figures() -> int:
    return refresh_treatment_figures()


# In the order they are recounted; the names are what `manage.py recount` prints and the generator records.
COUNTERS: dict[str, Callable[[], int]] = {
    "helpful counts": recount_answer_helpful_counts,
    "answer counts": recount_question_answer_counts,
    "doctor answer counts": recount_doctor_answer_counts,
    "doctor helpful counts": recount_doctor_helpful_counts,
    "tag counts": recount_tag_question_counts,
    "doctor review figures": recount_review_doctor_figures,
    "treatment review figures": recount_review_treatment_figures,
}


@transaction.atomic
def recount_all() -> dict[str, int]:
    """Recount every counter in one transaction. Returns the number of rows corrected per counter."""
    return {name: recount() for name, recount in COUNTERS.items()}
