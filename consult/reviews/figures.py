"""The review figures the pages show, computed from the visible reviews: the one place that knows how.

``DoctorProfile.rating_avg`` (mean stars, one decimal, half up) and ``review_count``; per treatment,
``review_count``, ``worth_it_count`` (Worth-It % = worth_it_count / review_count), and the reported
costs' count, mean (whole dollars, half up), minimum and maximum. Hidden reviews count nowhere.

``refresh_*`` read one grouped aggregate and write only the rows whose figures are wrong. The review
services call them for the one doctor and treatment a write touched, in the write's transaction after
locking those rows (so two reviews written at once cannot both miss each other); ``consult.questions.
recount`` calls them for every row (``manage.py recount``, the demo loader, bench/generate.py).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from consult.doctors.models import DoctorProfile
from consult.reviews.models import Review, Treatment, WorthIt

__all__ = ["rating_average", "refresh_doctor_figures", "refresh_treatment_figures"]

_BATCH = 500


def rating_average(total: int, count: int) -> Decimal | None:
    """Mean of ``count`` star ratings summing to ``total``, to one decimal, half up (4.25 -> 4.3)."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _visible() -> QuerySet[Review]:
    return Review.objects.filter(is_hidden=False).order_by()


def refresh_doctor_figures(*, doctor_ids: Collection[int] | None = None) -> int:
    """Set rating_avg / review_count of the given doctors (None: all) from their visible reviews.
    Returns how many profiles were corrected."""
    reviews = _visible()
    profiles = DoctorProfile.objects.order_by("pk")
    if doctor_ids is not None:
        reviews = reviews.filter(doctor_id__in=doctor_ids)
        profiles = profiles.filter(pk__in=doctor_ids)
    truth = {
        doctor_id: (count, rating_average(total, count))
        for doctor_id, count, total in reviews.values("doctor").annotate(n=Count("id"), s=Sum("rating"))
        .values_list("doctor", "n", "s")
    }
    wrong = []
    for pk, count, avg in profiles.values_list("pk", "review_count", "rating_avg"):
        want = truth.get(pk, (0, None))
        if (count, avg) != want:
            wrong.append(DoctorProfile(pk=pk, review_count=want[0], rating_avg=want[1]))
    DoctorProfile.objects.bulk_update(wrong, ["review_count", "rating_avg"], batch_size=_BATCH)
    return len(wrong)


def _mean(total: int, count: int) -> int:
    return (2 * total + count) // (2 * count)  # whole dollars, half up


def refresh_treatment_figures(*, treatment_ids: Collection[int] | None = None) -> int:
    """Set the counters of the given treatments (None: all) from their visible reviews."""
    reviews = _visible()
    treatments = Treatment.objects.order_by("pk")
    if treatment_ids is not None:
        reviews = reviews.filter(treatment_id__in=treatment_ids)
        treatments = treatments.filter(pk__in=treatment_ids)
    fields = ["review_count", "worth_it_count", "cost_count", "cost_avg", "cost_min", "cost_max"]
    truth: dict[int, tuple[object, ...]] = {}
    grouped = reviews.values("treatment").annotate(
        n=Count("id"),
        worth=Count("id", filter=Q(worth_it=WorthIt.WORTH_IT)),
        costs=Count("cost"),
        cost_sum=Sum("cost"),
        low=Min("cost"),
        high=Max("cost"),
    )
    for row in grouped:
        costs = row["costs"]
        truth[row["treatment"]] = (
            row["n"],
            row["worth"],
            costs,
            _mean(row["cost_sum"], costs) if costs else None,
            row["low"],
            row["high"],
        )
    empty = (0, 0, 0, None, None, None)
    wrong = []
    for pk, *current in treatments.values_list("pk", *fields):
        want = truth.get(pk, empty)
        if tuple(current) != want:
            wrong.append(Treatment(pk=pk, **dict(zip(fields, want, strict=True))))
    Treatment.objects.bulk_update(wrong, fields, batch_size=_BATCH)
    return len(wrong)

