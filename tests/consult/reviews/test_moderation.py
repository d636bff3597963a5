"""Reviews are reported and moderated through the moderation queue: hidden only with a recorded reason,
by moderators; the doctor can report but not hide; the figures follow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consult.doctors.models import DoctorProfile
from consult.moderation.models import Flag, FlagStatus, ModerationAction
from consult.moderation.services import content_hide, flag_create, flags_dismiss
from consult.reviews.models import Review, WorthIt
from tests.consult.reviews.conftest import write_review
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _flag_url(review):
    return reverse("moderation:flag", kwargs={"kind": "review", "pk": review.pk})


def _act_url(review, action):
    return reverse("moderation:act", kwargs={"kind": "review", "pk": review.pk, "action": action})


def test_a_member_reports_a_review_and_a_moderator_hides_it_with_a_reason(client, doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment, rating=1, worth_it=WorthIt.NOT_WORTH_IT,
                          title="Names another patient")
    reporter = UserFactory()
    client.force_login(reporter)
    profile = client.get(f"/doctors/{doctor.slug}/").content.decode()
    assert "Report<span class=\"visually-hidden\"> this review" in profile
    response = client.post(_flag_url(review), {"reason": "other", "note": "It names my neighbour"})
    assert response.status_code == 302 and response["Location"].endswith(f"#review-{review.pk}")
    assert Flag.objects.get().review == review

    client.force_login(doctor.user)  # the doctor may report, never hide
    assert client.post(_act_url(review, "hide"), {"note": "I dislike it"}).status_code == 403
    assert not Review.objects.get(pk=review.pk).is_hidden

    client.force_login(ModeratorFactory())
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Names another patient" in queue and "It names my neighbour" in queue
    client.post(_act_url(review, "hide"), {"note": ""})
    assert not Review.objects.get(pk=review.pk).is_hidden  # no reason: not hidden
    client.post(_act_url(review, "hide"), {"note": "Personal data about a third person"})
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_reason == "Personal data about a third person"
    assert Flag.objects.get().status == FlagStatus.ACTIONED
    assert ModerationAction.objects.get(review=review).note == "Personal data about a third person"
    assert DoctorProfile.objects.get(pk=doctor.pk).review_count == 0
    assert "Names another patient" in client.get(reverse("moderation:queue"), {"tab": "hidden"}).content.decode()
    assert "Review:" in client.get(reverse("moderation:queue"), {"tab": "log"}).content.decode()

    client.post(_act_url(review, "unhide"), {"note": "Edited by the author"})
    assert not Review.objects.get(pk=review.pk).is_hidden
    assert DoctorProfile.objects.get(pk=doctor.pk).review_count == 1


def test_a_negative_review_that_breaks_no_rule_is_dismissed_and_stays(doctor, treatment):
    review = write_review(doctor=doctor, treatment=treatment, rating=1, worth_it=WorthIt.NOT_WORTH_IT)
    flag_create(reporter=doctor.user, review=review, reason="other", note="Unfair")
    flags_dismiss(moderator=ModeratorFactory(), review=review, note="Negative is not against the rules")
    assert not Review.objects.get(pk=review.pk).is_hidden
    assert Flag.objects.get().status == FlagStatus.DISMISSED


def test_queue_query_count_with_reviews_is_constant(client, doctor, treatment):
    moderator = ModeratorFactory()
    client.force_login(moderator)

    def activity(n):
        for _ in range(n):
            flagged = write_review(doctor=doctor, treatment=treatment)
            flag_create(reporter=UserFactory(), review=flagged, reason="spam")
            hidden = write_review(doctor=doctor, treatment=treatment)
            content_hide(moderator=moderator, review=hidden, note="Spam")

    def count(tab):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("moderation:queue"), {"tab": tab}).status_code == 200
        return len(ctx.captured_queries)

    activity(1)
    few = [count(tab) for tab in ("flags", "hidden", "log")]
    activity(8)
    assert [count(tab) for tab in ("flags", "hidden", "log")] == few
    assert max(few) <= 6
