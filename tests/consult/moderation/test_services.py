"""moderation.services: who can flag and moderate, one open flag per member, audit rows, counters."""

import pytest
from django.utils import timezone

from consult.moderation.errors import (
    AlreadyFlagged,
    ContentUnavailable,
    InvalidFlag,
    InvalidTarget,
    ModerationNotAllowed,
    NothingToDo,
)
from consult.moderation.models import Flag, FlagReason, FlagStatus, ModerationAction
from consult.moderation.services import content_hide, content_unhide, flag_create, flags_dismiss
from consult.questions.models import Answer, Question
from tests.factories import (
    AnswerFactory,
    DoctorProfileFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- flag_create ---------------------------------------------------------------------------------


def test_any_member_can_flag_a_question_or_an_answer():
    question = QuestionFactory()
    answer = AnswerFactory()
    for reporter in (UserFactory(), DoctorProfileFactory().user, ModeratorFactory()):
        flag = flag_create(reporter=reporter, question=question, reason=FlagReason.SPAM, note="  buy pills  ")
        assert (flag.question, flag.answer, flag.status, flag.note) == (
            question,
            None,
            FlagStatus.OPEN,
            "buy pills",
        )
        flag = flag_create(reporter=reporter, answer=answer, reason=FlagReason.UNSAFE)
        assert (flag.question, flag.answer) == (None, answer)
    assert Flag.objects.count() == 6


def test_inactive_members_cannot_flag():
    with pytest.raises(ModerationNotAllowed):
        flag_create(reporter=UserFactory(is_active=False), question=QuestionFactory(), reason=FlagReason.SPAM)


def test_one_open_flag_per_member_per_item():
    reporter, question = UserFactory(), QuestionFactory()
    flag_create(reporter=reporter, question=question, reason=FlagReason.SPAM)
    with pytest.raises(AlreadyFlagged):
        flag_create(reporter=reporter, question=question, reason=FlagReason.OFFENSIVE)
    # Someone else may still flag it, and the same member may flag a different item.
    flag_create(reporter=UserFactory(), question=question, reason=FlagReason.SPAM)
    flag_create(reporter=reporter, question=QuestionFactory(), reason=FlagReason.SPAM)
    assert Flag.objects.count() == 3


def test_a_member_can_flag_again_after_their_flag_was_dismissed():
    reporter, answer = UserFactory(), AnswerFactory()
    flag_create(reporter=reporter, answer=answer, reason=FlagReason.SPAM)
    flags_dismiss(moderator=ModeratorFactory(), answer=answer)
    flag_create(reporter=reporter, answer=answer, reason=FlagReason.SELF_PROMOTION)
    assert Flag.objects.filter(status=FlagStatus.OPEN).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"reason": "boring"}, InvalidFlag, "reason"),
        ({"reason": FlagReason.OTHER, "note": "x" * 501}, InvalidFlag, "note"),
    ],
)
def test_flag_validates_reason_and_note(kwargs, error, field):
    with pytest.raises(error) as exc:
        flag_create(reporter=UserFactory(), question=QuestionFactory(), **kwargs)
    assert exc.value.field == field
    assert not Flag.objects.exists()


def test_flag_needs_exactly_one_target():
    with pytest.raises(InvalidTarget):
        flag_create(reporter=UserFactory(), reason=FlagReason.SPAM)
    with pytest.raises(InvalidTarget):
        flag_create(
            reporter=UserFactory(), question=QuestionFactory(), answer=AnswerFactory(), reason=FlagReason.SPAM
        )


def test_hidden_content_cannot_be_flagged():
    with pytest.raises(ContentUnavailable):
        flag_create(reporter=UserFactory(), question=QuestionFactory(is_hidden=True), reason=FlagReason.SPAM)
    with pytest.raises(ContentUnavailable):
        flag_create(reporter=UserFactory(), answer=AnswerFactory(is_hidden=True), reason=FlagReason.SPAM)
    hidden_thread_answer = AnswerFactory(question=QuestionFactory(is_hidden=True))
    with pytest.raises(ContentUnavailable):
        flag_create(reporter=UserFactory(), answer=hidden_thread_answer, reason=FlagReason.SPAM)


# --- content_hide / content_unhide / flags_dismiss ---------------------------------------------------


def _answer_with_counts():
    question = QuestionFactory(answer_count=1)
    doctor = DoctorProfileFactory(answer_count=1)
    return AnswerFactory(question=question, doctor=doctor)


def test_hide_answer_writes_audit_row_actions_flags_and_fixes_counters():
    answer = _answer_with_counts()
    flags = [flag_create(reporter=UserFactory(), answer=answer, reason=FlagReason.SPAM) for _ in range(3)]
    other = flag_create(reporter=UserFactory(), answer=AnswerFactory(), reason=FlagReason.SPAM)
    moderator = ModeratorFactory()
    before = timezone.now()

    action = content_hide(moderator=moderator, answer=answer, note="Advertising")

    assert (action.kind, action.moderator, action.answer, action.question, action.note) == (
        ModerationAction.Kind.HIDE,
        moderator,
        answer,
        None,
        "Advertising",
    )
    assert action.created_at >= before
    answer.refresh_from_db()
    assert answer.is_hidden
    assert Answer.objects.filter(pk=answer.pk).exists()  # kept for audit
    for flag in flags:
        flag.refresh_from_db()
        assert (flag.status, flag.resolved_by) == (FlagStatus.ACTIONED, moderator)
        assert flag.resolved_at >= before
    other.refresh_from_db()
    assert other.status == FlagStatus.OPEN
    answer.question.refresh_from_db()
    answer.doctor.refresh_from_db()
    assert answer.question.answer_count == 0
    assert answer.doctor.answer_count == 0


def test_hide_and_unhide_a_question():
    question = QuestionFactory()
    flag_create(reporter=UserFactory(), question=question, reason=FlagReason.OFFENSIVE)
    staff = StaffFactory()
    content_hide(moderator=staff, question=question)
    assert Question.objects.get(pk=question.pk).is_hidden
    action = content_unhide(moderator=staff, question=question, note="Edited by the asker")
    assert not Question.objects.get(pk=question.pk).is_hidden
    assert (action.kind, action.note) == (ModerationAction.Kind.UNHIDE, "Edited by the asker")
    assert list(ModerationAction.objects.order_by("id").values_list("kind", flat=True)) == ["hide", "unhide"]


def test_unhide_answer_restores_counters():
    answer = _answer_with_counts()
    moderator = ModeratorFactory()
    content_hide(moderator=moderator, answer=answer)
    content_unhide(moderator=moderator, answer=answer)
    answer.question.refresh_from_db()
    answer.doctor.refresh_from_db()
    assert (answer.question.answer_count, answer.doctor.answer_count) == (1, 1)


def test_hiding_twice_or_unhiding_visible_content_is_nothing_to_do():
    answer = _answer_with_counts()
    moderator = ModeratorFactory()
    with pytest.raises(NothingToDo):
        content_unhide(moderator=moderator, answer=answer)
    content_hide(moderator=moderator, answer=answer)
    with pytest.raises(NothingToDo):
        content_hide(moderator=moderator, answer=answer)
    assert ModerationAction.objects.count() == 1


def test_dismiss_closes_open_flags_and_keeps_content_up():
    question = QuestionFactory()
    flag = flag_create(reporter=UserFactory(), question=question, reason=FlagReason.SPAM)
    moderator = ModeratorFactory()
    action = flags_dismiss(moderator=moderator, question=question, note="Not spam")
    flag.refresh_from_db()
    question.refresh_from_db()
    assert (flag.status, flag.resolved_by) == (FlagStatus.DISMISSED, moderator)
    assert not question.is_hidden
    assert (action.kind, action.question, action.note) == (
        ModerationAction.Kind.DISMISS,
        question,
        "Not spam",
    )
    with pytest.raises(NothingToDo):
        flags_dismiss(moderator=moderator, question=question)


@pytest.mark.parametrize("who", ["patient", "verified_doctor", "inactive_moderator"])
def test_only_moderators_and_staff_can_moderate(who):
    user = {
        "patient": UserFactory,
        "verified_doctor": lambda: DoctorProfileFactory().user,
        "inactive_moderator": lambda: ModeratorFactory(is_active=False),
    }[who]()
    answer = _answer_with_counts()
    flag_create(reporter=UserFactory(), answer=answer, reason=FlagReason.SPAM)
    for service in (content_hide, flags_dismiss):
        with pytest.raises(ModerationNotAllowed):
            service(moderator=user, answer=answer)
    content_hide(moderator=ModeratorFactory(), answer=answer)
    with pytest.raises(ModerationNotAllowed):
        content_unhide(moderator=user, answer=answer)
    assert Answer.objects.get(pk=answer.pk).is_hidden
    assert ModerationAction.objects.count() == 1
