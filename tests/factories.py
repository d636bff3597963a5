"""factory-boy factories for the platform's models. Synthetic data only."""

from __future__ import annotations

import factory
from django.utils import timezone
from django.utils.text import slugify

from consult.accounts.models import Role, User
from consult.doctors.models import DoctorProfile, Specialty, VerificationStatus
from consult.questions.models import Answer, Question, Tag

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Member{n}")
    role = Role.PATIENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class ModeratorFactory(UserFactory):
    role = Role.MODERATOR


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True


class DoctorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoctorProfile

    user = factory.SubFactory(UserFactory, role=Role.DOCTOR)
    full_name = factory.Sequence(lambda n: f"Alex Testdoctor{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.full_name))
    credentials = "MD, FACS"
    specialty = Specialty.FACIAL_PLASTIC
    city = "Springfield"
    state = "IL"
    bio = "Synthetic test doctor."
    license_number = factory.Sequence(lambda n: f"TEST-{n:05d}")
    license_state = "IL"
    status = VerificationStatus.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class UnverifiedDoctorProfileFactory(DoctorProfileFactory):
    status = VerificationStatus.PENDING
    verified_at = None


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Concern {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class QuestionFactory(factory.django.DjangoModelFactory):
    """Creates rows directly (bypassing services) for fast fixtures; body_html is pre-rendered."""

    class Meta:
        model = Question

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Is my smile asymmetry normal after Bell's palsy? ({n})")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:200])
    body = "My left mouth corner droops when I smile."
    body_html = "<p>My left mouth corner droops when I smile.</p>"
    display_name = factory.Sequence(lambda n: f"Asker{n}")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    doctor = factory.SubFactory(DoctorProfileFactory)
    headline = factory.Sequence(lambda n: f"Physical therapy first, then consider Botox ({n})")
    body = "Facial retraining helps most people. **Give it time.**"
    body_html = "<p>Facial retraining helps most people. <strong>Give it time.</strong></p>"
