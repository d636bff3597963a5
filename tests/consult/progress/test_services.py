import datetime

import pytest

from consult.progress import services
from consult.progress.errors import NotYours, ProgressError
from consult.progress.models import OutcomeResponse, Treatment
from tests.consult.progress.conftest import measured_visit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW = datetime.date.today() + datetime.timedelta(days=2)


def test_treatment_log_keeps_a_trimmed_label_and_shows_as_its_title(patient):
    treatment = services.treatment_log(patient=patient, kind="botox", date=D(2026, 3, 2), label="  Botox, chin ",
                                       notes=" 4 units ")
    assert (treatment.label, treatment.notes, treatment.title) == ("Botox, chin", "4 units", "Botox, chin")
    assert str(services.treatment_log(patient=patient, kind="therapy", date=D(2026, 3, 9))) == (
        "Physical therapy / facial retraining, 2026-03-09"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"kind": "magic"}, "kind"), ({"date": TOMORROW}, "date"), ({"date": D(1850, 1, 1)}, "date")],
)
def test_treatment_log_refuses_bad_input_with_the_field_named(patient, kwargs, field):
    with pytest.raises(ProgressError) as caught:
        services.treatment_log(patient=patient, **{"kind": "botox", "date": D(2026, 3, 2), **kwargs})
    assert caught.value.field == field
    assert not Treatment.objects.exists()


def test_only_the_patient_can_delete_their_treatment(patient):
    treatment = services.treatment_log(patient=patient, kind="filler", date=D(2026, 3, 2))
    with pytest.raises(NotYours):
        services.treatment_delete(treatment=treatment, by=UserFactory())
    services.treatment_delete(treatment=treatment, by=patient)
    assert not Treatment.objects.exists()


def test_outcome_submit_scores_and_keeps_clean_integer_answers(patient):
    visit = measured_visit(patient, D(2026, 1, 10), corner_dev=1.0, total=90.0)
    answers = {f"face{i}": "5" for i in range(1, 16)}  # form data arrives as text
    response = services.outcome_submit(patient=patient, instrument="face", answers=answers,
                                       completed_on=D(2026, 1, 10), visit=visit)
    response.refresh_from_db()
    assert response.answers == {f"face{i}": 5 for i in range(1, 16)}
    assert response.scores["total"] == 100.0 and len(response.scores) == 7  # total + six domains
    assert response.visit == visit


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"instrument": "phq9"}, "Unknown questionnaire"),
        ({"answers": {f"saq{i}": 3 for i in range(1, 9)}}, "answer every question"),
        ({"answers": {f"saq{i}": 7 for i in range(1, 10)}}, "from 1 to 5"),
        ({"completed_on": TOMORROW}, "future"),
    ],
)
def test_outcome_submit_refuses_what_the_instrument_does_not_allow(patient, kwargs, message):
    base = {"instrument": "saq", "answers": {f"saq{i}": 3 for i in range(1, 10)}, "completed_on": D(2026, 1, 10)}
    with pytest.raises(ProgressError, match=message):
        services.outcome_submit(patient=patient, **{**base, **kwargs})
    assert not OutcomeResponse.objects.exists()


def test_outcome_cannot_be_tied_to_someone_elses_visit(patient):
    other_visit = measured_visit(UserFactory(), D(2026, 1, 10), corner_dev=1.0, total=90.0)
    with pytest.raises(NotYours) as caught:
        services.outcome_submit(patient=patient, instrument="saq", answers={f"saq{i}": 3 for i in range(1, 10)},
                                completed_on=D(2026, 1, 10), visit=other_visit)
    assert caught.value.field == "visit"


def test_only_the_patient_can_delete_their_answers(patient):
    response = services.outcome_submit(patient=patient, instrument="saq", completed_on=D(2026, 1, 10),
                                       answers={f"saq{i}": 3 for i in range(1, 10)})
    with pytest.raises(NotYours):
        services.outcome_delete(response=response, by=UserFactory())
    services.outcome_delete(response=response, by=patient)
    assert not OutcomeResponse.objects.exists()


def test_deleting_a_photo_set_keeps_the_questionnaire_unlinked(patient):
    visit = measured_visit(patient, D(2026, 1, 10), corner_dev=1.0, total=90.0)
    response = services.outcome_submit(patient=patient, instrument="saq", completed_on=D(2026, 1, 10),
                                       answers={f"saq{i}": 3 for i in range(1, 10)}, visit=visit)
    visit.delete()
    response.refresh_from_db()
    assert response.visit is None and response.scores == {"total": 60.0}
