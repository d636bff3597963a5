"""Before/after galleries (issue 13): a verified doctor posts a pair of one treatment with the patient's recorded
consent; the background worker measures both photos with the real engine (through consult.photos.engine) and
publishes them blurred or cropped; the gallery shows the measured change on the profile and the treatment page;
withdrawing consent takes the pair down and deletes its files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageStat

from consult.practice import services, work
from consult.practice.errors import GalleryNotAllowed, InvalidGalleryPair
from consult.practice.models import FacePrivacy, GalleryPair, PairStatus
from tests.consult.doctors.test_query_counts import _queries
from tests.consult.photos.conftest import face_bytes, jpeg_bytes, stored_files
from tests.consult.reviews.conftest import make_treatment
from tests.factories import DoctorProfileFactory, StaffFactory, UnverifiedDoctorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)


def small_face() -> bytes:
    """The public-domain test portrait at 640 px: measured in a fraction of the full size's time."""
    with Image.open(io.BytesIO(face_bytes())) as image:
        image = image.convert("RGB")
        image.thumbnail((640, 640))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _post_data(treatment, **overrides):
    data = {
        "treatment": str(treatment.pk),
        "expression": "neutral",
        "before": SimpleUploadedFile("before.jpg", small_face(), "image/jpeg"),
        "after": SimpleUploadedFile("after.jpg", small_face(), "image/jpeg"),
        "privacy": "blur-eyes",
        "caption": "Three months after two sessions.",
        "consent_confirmed": "on",
        "consent_note": "Signed photo release kept in the chart",
        "consent_given_on": "2025-12-01",
    }
    data.update(overrides)
    return data


def _create(doctor, treatment, *, before=None, after=None, privacy=FacePrivacy.BLUR_EYES):
    return services.gallery_pair_create(
        doctor=doctor, posted_by=doctor.user, treatment=treatment,
        before=io.BytesIO(before or small_face()), after=io.BytesIO(after or small_face()),
        consent_confirmed=True, consent_note="Signed photo release kept in the chart",
        consent_given_on=dt.date(2025, 12, 1), privacy=privacy,
    )


def test_a_verified_doctor_posts_a_pair_the_worker_measures_it_and_it_shows_with_the_measured_change(
    client, photo_storage, django_capture_on_commit_callbacks
):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    client.force_login(doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("practice:gallery_manage"), _post_data(treatment))
    assert response.status_code == 302
    pair = GalleryPair.objects.get()
    assert pair.status == PairStatus.PENDING and pair.before_original and pair.after_original
    # queued for the background worker (django-tasks), not measured in the request
    assert DBTaskResult.objects.filter(task_path="consult.practice.tasks.measure_pair").count() == 1
    profile_url = reverse("doctors:profile", kwargs={"slug": doctor.slug})
    client.logout()
    assert f"pair-{pair.pk}" not in client.get(profile_url).content.decode()  # not public until measured

    assert work.measure_pair(pair.pk) == "done"
    assert work.measure_pair(pair.pk) == "skipped"  # a second delivery changes nothing
    pair.refresh_from_db()
    assert pair.status == PairStatus.READY and pair.measured_at
    assert not pair.before_original and not pair.after_original  # the private originals are gone
    files = {p.relative_to(photo_storage).as_posix() for p in stored_files(photo_storage)}
    assert files == {pair.before_image, pair.after_image}
    before = pair.measures["before"]["commissure_height"]["deviation"]
    after = pair.measures["after"]["commissure_height"]["deviation"]

    for url in (profile_url, treatment.get_absolute_url(), reverse("practice:doctor_gallery", kwargs={"slug": doctor.slug})):
        page = client.get(url).content.decode()
        assert f'id="pair-{pair.pk}"' in page, url
        assert "Mouth-corner height difference" in page
        assert f"{before:.1f} mm" in page and f"{after:.1f} mm" in page
    photo = client.get(pair.image_url("before"))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["Cache-Control"] == "private, no-cache"  # see test_a_withdrawn_photo_stops_serving_at_once


def test_the_published_photo_has_its_eyes_blurred_where_the_engine_found_them(photo_storage):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    pair = _create(doctor, treatment)
    original = photo_storage.joinpath(pair.before_original).read_bytes()
    record = work.engine.measure_photo(original).measurement
    assert work.measure_pair(pair.pk) == "done"
    pair.refresh_from_db()
    with Image.open(photo_storage / pair.before_image) as opened:
        published = opened.convert("L")
    with Image.open(io.BytesIO(original)) as opened:
        source = opened.convert("L")
    scale = published.width / source.width
    pupils = record["pupils"]
    box = [int(v * scale) for v in (pupils["right"]["x"] - 10, pupils["right"]["y"] - 10,
                                     pupils["right"]["x"] + 10, pupils["right"]["y"] + 10)]
    mouth_y = int((pupils["right"]["y"] + 1.2 * abs(pupils["left"]["x"] - pupils["right"]["x"])) * scale)
    eye_detail = ImageStat.Stat(published.crop(box)).stddev[0]
    source_small = source.resize(published.size)
    assert eye_detail < 0.5 * ImageStat.Stat(source_small.crop(box)).stddev[0]  # the eye is blurred
    # the rest of the face is not: the mouth region keeps its detail
    mouth = (box[0], mouth_y, box[2] + 40, mouth_y + 20)
    assert ImageStat.Stat(published.crop(mouth)).stddev[0] > 0.6 * ImageStat.Stat(source_small.crop(mouth)).stddev[0]


def test_lower_face_crop_removes_the_eyes(photo_storage):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    pair = _create(doctor, treatment, privacy=FacePrivacy.LOWER_FACE)
    with Image.open(io.BytesIO(photo_storage.joinpath(pair.before_original).read_bytes())) as original:
        original_ratio = original.height / original.width
    assert work.measure_pair(pair.pk) == "done"
    pair.refresh_from_db()
    with Image.open(photo_storage / pair.before_image) as published:
        assert published.height / published.width < 0.8 * original_ratio  # the top was cut


def test_a_photo_the_engine_cannot_measure_fails_the_pair_with_the_engines_reason_and_nothing_is_published(
    client, photo_storage
):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    pair = _create(doctor, treatment, after=jpeg_bytes((600, 600)))  # no face in it
    assert work.measure_pair(pair.pk) == "failed"
    pair.refresh_from_db()
    assert pair.status == PairStatus.FAILED and "after photo could not be measured" in pair.failure
    assert stored_files(photo_storage) == []
    client.force_login(doctor.user)
    assert pair.failure in client.get(reverse("practice:gallery_manage")).content.decode()
    client.logout()
    assert f"pair-{pair.pk}" not in client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug})).content.decode()


def test_low_confidence_numbers_are_flagged_on_the_page(client):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    GalleryPair.objects.create(
        doctor=doctor, treatment=treatment, consent_note="Signed release", consent_given_on=TODAY,
        status=PairStatus.READY, before_image="gallery/a.jpg", after_image="gallery/b.jpg", low_confidence=True,
        measures={
            "before": {"commissure_height": {"left": 40.0, "right": 44.1, "deviation": 4.1, "low": False}},
            "after": {"commissure_height": {"left": 41.0, "right": 42.2, "deviation": 1.2, "low": True}},
        },
    )
    page = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug})).content.decode()
    assert "4.1 mm" in page and "1.2 mm" in page
    assert "low confidence" in page and "flagged at least one of these numbers as uncertain" in page


def test_withdrawing_consent_takes_the_pair_down_everywhere_and_deletes_its_files(client, photo_storage,
                                                                                 django_capture_on_commit_callbacks):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    pair = _create(doctor, treatment)
    work.measure_pair(pair.pk)
    pair.refresh_from_db()
    photo_url = pair.image_url("after")
    profile_url = reverse("doctors:profile", kwargs={"slug": doctor.slug})
    assert f'id="pair-{pair.pk}"' in client.get(profile_url).content.decode()  # cached for anonymous readers
    client.force_login(doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("practice:gallery_withdraw", kwargs={"pk": pair.pk})).status_code == 302
    client.logout()
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN and pair.consent_withdrawn_at and pair.measures == {}
    assert pair.consent_note  # the record of consent and its withdrawal stays
    assert stored_files(photo_storage) == []
    assert f'id="pair-{pair.pk}"' not in client.get(profile_url).content.decode()  # the cached page was bumped
    assert f'id="pair-{pair.pk}"' not in client.get(treatment.get_absolute_url()).content.decode()
    assert client.get(photo_url).status_code == 404


def test_a_withdrawn_photo_stops_serving_at_once_and_no_shared_cache_may_keep_it(
    client, photo_storage, django_capture_on_commit_callbacks
):
    """Issue 13 review: photos were 'public, max-age=300', so a CDN or proxy could serve a withdrawn photo for five
    minutes. Now no shared cache may store them and browsers revalidate before every reuse (a 304 while the pair
    is published, the 404 as soon as consent is withdrawn)."""
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    pair = _create(doctor, treatment)
    work.measure_pair(pair.pk)
    pair.refresh_from_db()
    urls = [pair.image_url("before"), pair.image_url("after")]
    etags = {}
    for url in urls:
        photo = client.get(url)
        assert photo.status_code == 200
        directives = {part.strip() for part in photo["Cache-Control"].split(",")}
        assert {"private", "no-cache"} <= directives and "public" not in directives
        assert not any(d.startswith(("max-age", "s-maxage")) for d in directives - {"max-age=0"})
        assert "noimageindex" in photo["X-Robots-Tag"]
        etags[url] = photo["ETag"]
        # a browser revalidating its copy: 304, no body, same rules
        again = client.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert again.status_code == 304 and again.content == b"" and again["Cache-Control"] == "private, no-cache"
    assert etags[urls[0]] != etags[urls[1]]
    client.force_login(doctor.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("practice:gallery_withdraw", kwargs={"pk": pair.pk}))
    client.logout()
    for url in urls:  # the very next request, revalidating or not, gets nothing
        assert client.get(url, HTTP_IF_NONE_MATCH=etags[url]).status_code == 404
        assert client.get(url).status_code == 404


def test_consent_withdrawn_while_measuring_publishes_nothing(photo_storage, monkeypatch):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    pair = _create(doctor, treatment)
    real = work.publishable_jpeg

    def withdraw_meanwhile(*args, **kwargs):
        GalleryPair.objects.filter(pk=pair.pk).update(status=PairStatus.WITHDRAWN, consent_withdrawn_at=timezone.now())
        return real(*args, **kwargs)

    monkeypatch.setattr(work, "publishable_jpeg", withdraw_meanwhile)
    assert work.measure_pair(pair.pk) == "skipped"
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN and not pair.before_image
    assert {p.name for p in stored_files(photo_storage)} == {pair.before_original.split("/")[-1], pair.after_original.split("/")[-1]}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent_confirmed": ""}, "consent_confirmed", "written consent"),
        ({"consent_note": "ok"}, "consent_note", "how the consent was recorded"),
        ({"consent_given_on": "2999-01-01"}, "consent_given_on", "cannot be in the future"),
        ({"before_taken_on": "2025-06-01", "after_taken_on": "2025-01-01"}, "after_taken_on", "after the before photo"),
        ({"before": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")}, "before", "Before photo:"),
    ],
)
def test_bad_input_gets_a_form_error_and_nothing_is_saved(client, photo_storage, overrides, field, message):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    client.force_login(doctor.user)
    response = client.post(reverse("practice:gallery_manage"), _post_data(treatment, **overrides))
    assert response.status_code == 200
    assert message.lower() in " ".join(response.context["form"].errors.get(field, [])).lower()
    assert not GalleryPair.objects.exists()
    assert stored_files(photo_storage) == []


def test_who_may_post_withdraw_and_see_pairs(client, photo_storage):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    unverified, other_doctor, patient, staff = UnverifiedDoctorProfileFactory(), DoctorProfileFactory(), UserFactory(), StaffFactory()
    for user in (unverified.user, patient, staff):
        client.force_login(user)
        assert client.get(reverse("practice:gallery_manage")).status_code == 403
    with pytest.raises(GalleryNotAllowed):
        services.gallery_pair_create(doctor=doctor, posted_by=other_doctor.user, treatment=treatment,
                                     before=io.BytesIO(small_face()), after=io.BytesIO(small_face()),
                                     consent_confirmed=True, consent_note="Signed release on file", consent_given_on=TODAY)
    pair = _create(doctor, treatment)
    work.measure_pair(pair.pk)
    # another doctor cannot withdraw or remove it (404: not theirs); staff can, on the patient's behalf
    client.force_login(other_doctor.user)
    assert client.post(reverse("practice:gallery_withdraw", kwargs={"pk": pair.pk})).status_code == 404
    assert client.post(reverse("practice:gallery_remove", kwargs={"pk": pair.pk})).status_code == 404
    client.force_login(staff)
    profile = client.get(reverse("doctors:profile", kwargs={"slug": doctor.slug})).content.decode()
    assert reverse("practice:gallery_withdraw", kwargs={"pk": pair.pk}) in profile
    assert client.post(reverse("practice:gallery_withdraw", kwargs={"pk": pair.pk})).status_code == 302
    assert GalleryPair.objects.get(pk=pair.pk).status == PairStatus.WITHDRAWN
    with pytest.raises(InvalidGalleryPair):
        services.gallery_pair_create(doctor=doctor, posted_by=doctor.user, treatment=treatment,
                                     before=io.BytesIO(small_face()), after=io.BytesIO(small_face()),
                                     consent_confirmed=False, consent_note="Signed release on file", consent_given_on=TODAY)


def test_a_pair_stops_showing_when_its_doctor_loses_verification(client, photo_storage):
    from consult.doctors.services import doctor_reject

    doctor, treatment = DoctorProfileFactory(), make_treatment()
    pair = _create(doctor, treatment)
    work.measure_pair(pair.pk)
    pair.refresh_from_db()
    assert client.get(pair.image_url("before")).status_code == 200
    doctor_reject(profile=doctor, decided_by=StaffFactory(), note="Licence lapsed")
    assert client.get(pair.image_url("before")).status_code == 404
    assert f'id="pair-{pair.pk}"' not in client.get(treatment.get_absolute_url()).content.decode()


def test_gallery_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    doctor, treatment = DoctorProfileFactory(), make_treatment()

    def grow(n):
        for _ in range(n):
            GalleryPair.objects.create(
                doctor=doctor, treatment=treatment, consent_note="Signed release", consent_given_on=TODAY,
                status=PairStatus.READY, before_image="gallery/a.jpg", after_image="gallery/b.jpg",
                measures={"before": {"brow_height": {"left": 1, "right": 2, "deviation": 1, "low": False}},
                          "after": {"brow_height": {"left": 1, "right": 1.5, "deviation": 0.5, "low": False}}},
            )

    url = reverse("practice:doctor_gallery", kwargs={"slug": doctor.slug})
    grow(1)
    with django_assert_num_queries(2):  # the doctor, the page of pairs with their treatments
        client.get(url)
    grow(20)
    with django_assert_num_queries(2):
        client.get(url, {"page": 2})
    client.force_login(doctor.user)
    # the user with their profile, the profile with its headshot, the form's treatments, the pairs
    assert _queries(client, reverse("practice:gallery_manage")) == 4


def test_pairs_a_killed_worker_left_behind_are_queued_again_by_the_workers_sweep(photo_storage):
    from consult.core import sweeps

    doctor, treatment = DoctorProfileFactory(), make_treatment()
    lost = _create(doctor, treatment)  # its task row never ran
    dying = _create(doctor, treatment)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    GalleryPair.objects.filter(pk=lost.pk).update(created_at=long_ago)
    # a worker claimed this one, then was killed: measuring, lease expired
    GalleryPair.objects.filter(pk=dying.pk).update(status=PairStatus.MEASURING, lease_until=long_ago, attempts=1)
    DBTaskResult.objects.all().delete()
    assert "gallery_pairs" in sweeps.registered()
    assert sweeps.run_all()["gallery_pairs"] == 2
    queued = DBTaskResult.objects.filter(task_path="consult.practice.tasks.measure_pair")
    assert sorted(row.args_kwargs["args"][0] for row in queued) == sorted([lost.pk, dying.pk])
    assert work.recover_stalled_pairs() == 1  # the pending one now holds a lease; the dying one waits to be claimed
    assert work.measure_pair(dying.pk) == "done"  # an expired lease is taken over
    assert work.measure_pair(lost.pk) == "done"
    assert work.recover_stalled_pairs() == 0
