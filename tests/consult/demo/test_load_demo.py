from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, F

from consult.accounts.models import Role, User
from consult.doctors.models import DoctorProfile, VerificationStatus
from consult.questions.models import Answer, HelpfulVote, Question, Tag

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        User.objects.count(),
        DoctorProfile.objects.count(),
        Question.objects.count(),
        Answer.objects.count(),
        HelpfulVote.objects.count(),
        Tag.objects.count(),
    )


def test_loads_the_promised_content_with_exact_counters():
    call_command("load_demo", stdout=StringIO())
    assert DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED).count() >= 30
    assert DoctorProfile.objects.filter(status=VerificationStatus.PENDING).count() == 2
    assert DoctorProfile.objects.values("specialty").distinct().count() >= 5
    assert Question.objects.count() == 200 + 1  # + the classic case (content.CLASSIC_CASE)
    per_question = Question.objects.annotate(n=Count("answers")).values_list("n", "answer_count")
    assert all(n == count for n, count in per_question)
    # Up to 4 answers a thread: as many as the topic has distinct headlines and unused paragraphs.
    assert {n for n, _ in per_question} <= set(range(5)) and max(n for n, _ in per_question) >= 3
    for question in Question.objects.prefetch_related("answers"):
        answers = list(question.answers.all())
        headlines = [a.headline for a in answers]
        assert len(headlines) == len(set(headlines)), question.title
        blocks = [b for a in answers for b in a.body.split("\n\n") if not b.startswith("- ")]
        assert len(blocks) == len(set(blocks)), question.title
    assert all(a.helpful_count == a.n for a in Answer.objects.annotate(n=Count("votes")))
    assert all(d.answer_count == d.n for d in DoctorProfile.objects.annotate(n=Count("answers")))
    assert all(t.question_count == t.n for t in Tag.objects.annotate(n=Count("questions")))
    assert not Answer.objects.filter(doctor__status=VerificationStatus.PENDING).exists()
    # no doctor voted on their own answer
    assert not HelpfulVote.objects.filter(user=F("answer__doctor__user")).exists()
    assert {"facial-paralysis", "bells-palsy", "synkinesis", "botox", "fillers", "facelift"} <= set(
        Tag.objects.values_list("slug", flat=True)
    )
    # every asker follows their question; the demo patient's inbox has the answers to theirs (issue 14)
    from consult.notifications.models import Notification
    from consult.questions.models import Follow

    assert Follow.objects.count() == Question.objects.count()
    robin = User.objects.get(email="patient@example.com")
    answers_to_robin = Answer.objects.filter(question__author=robin).count()
    assert answers_to_robin > 0
    assert Notification.objects.filter(user=robin, kind="answer").count() == answers_to_robin
    assert robin.unread_notifications == answers_to_robin


def test_second_run_adds_nothing_and_reset_reloads():
    call_command("load_demo", stdout=StringIO())
    first = _snapshot()
    call_command("load_demo", stdout=StringIO())
    assert _snapshot() == first
    call_command("load_demo", "--reset", stdout=StringIO())
    assert _snapshot() == first


@pytest.mark.parametrize(
    "email,role",
    [
        ("patient@example.com", Role.PATIENT),
        ("doctor@example.com", Role.DOCTOR),
        ("moderator@example.com", Role.MODERATOR),
        ("staff@example.com", Role.STAFF),
    ],
)
def test_fixed_demo_sign_ins_work(email, role):
    call_command("load_demo", stdout=StringIO())
    user = authenticate(username=email, password="demo-pass-123")
    assert user is not None and user.role == role
    if role == Role.DOCTOR:
        assert user.doctor_profile.is_verified
    if role == Role.STAFF:
        assert user.is_staff and user.is_superuser


def test_demo_reviews_compute_the_bylines_and_treatment_figures():
    """Stars and review counts come from real demo reviews (not set by hand); some doctors have none."""
    from decimal import ROUND_HALF_UP, Decimal

    from django.db.models import Avg

    from consult.reviews.models import Review, Treatment, WorthIt

    call_command("load_demo", stdout=StringIO())
    assert Review.objects.count() >= 60
    doctors = DoctorProfile.objects.filter(status=VerificationStatus.VERIFIED).annotate(
        n=Count("reviews"), avg=Avg("reviews__rating")
    )
    assert any(d.n == 0 and d.review_count == 0 and d.rating_avg is None for d in doctors)
    for d in doctors:
        assert d.review_count == d.n
        if d.n:
            assert d.rating_avg == Decimal(str(d.avg)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    for t in Treatment.objects.all():
        rows = Review.objects.filter(treatment=t)
        assert t.review_count == rows.count() > 0
        assert t.worth_it_count == rows.filter(worth_it=WorthIt.WORTH_IT).count()
        assert t.cost_count == rows.exclude(cost=None).count()
    assert Review.objects.filter(author__email="patient@example.com", doctor__slug="morgan-ellery").exists()


def test_demo_credentials_fit_each_specialty():
    call_command("load_demo", stdout=StringIO())
    surgical = {"facial-plastic", "plastic", "oculoplastic", "ent-facial-nerve"}
    for doctor in DoctorProfile.objects.all():
        parts = set(doctor.credentials.split(", "))
        assert parts & {"MD", "DO", "MBBS", "MBChB"}, doctor.credentials  # the last two: UK and Australian degrees
        if doctor.country != "US":  # fellowships of the country's own colleges, never the American ones
            assert not parts & {"FACS", "FAAD", "DO"}, (doctor.full_name, doctor.credentials)
            assert "American" not in doctor.board_certification, doctor.full_name
        if parts & {"FRCS", "FRACS", "FRCSC"}:  # surgical fellowships (UK, Australasia, Canada)
            assert doctor.specialty in surgical, (doctor.full_name, doctor.specialty)
        if "FACS" in parts:
            assert doctor.specialty in surgical, (doctor.full_name, doctor.specialty, doctor.credentials)
        if "FAAD" in parts:
            assert doctor.specialty == "dermatology", (doctor.full_name, doctor.credentials)
        assert "invented" not in doctor.bio.lower() and "demo profile" not in doctor.bio.lower()


def test_the_demo_has_doctors_outside_the_us_with_national_registration_numbers():
    call_command("load_demo", stdout=StringIO())
    abroad = DoctorProfile.objects.exclude(country="US")
    assert {d.country for d in abroad} >= {"DE", "GB", "CA", "AU", "FR"}
    for doctor in abroad:
        assert doctor.registration_country == doctor.country and doctor.registration_number.startswith("DEMO-")
        assert doctor.license_number == ""
        assert not (doctor.practice_phone or "").startswith("+1 555 01")
    assert abroad.filter(status="verified", country="DE").exists()  # a German doctor in the directory
    assert abroad.filter(status="pending").exists()  # and one in the staff queue


def test_the_classic_case_is_answered_by_several_doctors_in_their_own_words():
    from consult.demo.content import CLASSIC_CASE

    call_command("load_demo", stdout=StringIO())
    question = Question.objects.get(title=CLASSIC_CASE["title"])
    answers = list(question.answers.select_related("doctor"))
    assert question.answer_count == len(answers) == 3 and question.age == 32
    assert len({a.doctor_id for a in answers}) == 3 and len({a.headline for a in answers}) == 3
    paragraphs = [p for a in answers for p in a.body.split("\n\n")]
    assert len(paragraphs) == len(set(paragraphs))
    assert {"synkinesis", "facelift"} <= set(question.tags.values_list("slug", flat=True))


def test_the_demo_doctor_has_a_measured_gallery_and_a_consultation_request():
    from consult.practice.models import ConsultationRequest, GalleryPair, PairStatus

    call_command("load_demo", stdout=StringIO())
    pairs = list(GalleryPair.objects.filter(doctor__user__email="doctor@example.com"))
    assert len(pairs) == 2 and all(p.status == PairStatus.READY for p in pairs)
    at_rest = next(p for p in pairs if p.expression == "neutral")
    # Robin's composites: the mouth corner was lowered 3.5 mm before and 1.5 mm after; the engine sees less droop
    before = at_rest.measures["before"]["commissure_height"]["deviation"]
    after = at_rest.measures["after"]["commissure_height"]["deviation"]
    assert after < before
    assert ConsultationRequest.objects.filter(doctor__user__email="doctor@example.com").count() == 1
    call_command("load_demo", stdout=StringIO())  # idempotent
    assert GalleryPair.objects.count() == 2 and ConsultationRequest.objects.count() == 1
    call_command("load_demo", reset=True, stdout=StringIO())
    assert GalleryPair.objects.count() == 2
