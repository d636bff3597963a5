"""The gallery's free-form crop (issue 13 review): the doctor picks a rectangle of each photo (dragged on the preview
or typed as percentages); it is cut out with Pillow before the photo is stored and measured, checked to lie inside
the photo and to keep enough pixels to measure."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from PIL import Image

from consult.photos.images import MIN_CROP_SIDE, BadCrop, Crop, process_upload
from consult.practice import services, work
from consult.practice.errors import InvalidGalleryPair
from consult.practice.models import GalleryPair, PairStatus
from tests.consult.photos.conftest import stored_files
from tests.consult.practice.test_gallery import _create, _post_data, small_face
from tests.consult.reviews.conftest import make_treatment
from tests.factories import DoctorProfileFactory

pytestmark = pytest.mark.django_db


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _create_cropped(doctor, treatment, **crops):
    return services.gallery_pair_create(
        doctor=doctor, posted_by=doctor.user, treatment=treatment,
        before=io.BytesIO(small_face()), after=io.BytesIO(small_face()),
        consent_confirmed=True, consent_note="Signed photo release kept in the chart",
        consent_given_on=dt.date(2025, 12, 1), **crops,
    )


def test_the_crop_is_cut_out_before_the_photo_is_stored_and_measured(photo_storage):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    full_width, full_height = _size(process_upload(io.BytesIO(small_face())).jpeg)
    pair = _create_cropped(doctor, treatment, before_crop=(10, 5, 80, 90))
    stored = photo_storage.joinpath(pair.before_original).read_bytes()
    width, height = _size(stored)
    assert abs(width - 0.8 * full_width) <= 1 and abs(height - 0.9 * full_height) <= 1
    assert _size(photo_storage.joinpath(pair.after_original).read_bytes()) == (full_width, full_height)  # no crop
    assert pair.crops == {"before": {"x": 10.0, "y": 5.0, "w": 80.0, "h": 90.0}}
    # the engine measures the cropped photo (the face is inside it) and the published one has its proportions
    assert work.measure_pair(pair.pk) == "done"
    pair.refresh_from_db()
    assert pair.status == PairStatus.READY and pair.measures["before"]
    published = _size(photo_storage.joinpath(pair.before_image).read_bytes())
    assert abs(published[0] / published[1] - width / height) < 0.02


@pytest.mark.parametrize(
    ("crop", "message"),
    [
        ((10, 10, None, 50), "all four crop values"),
        ((50, 0, 60, 50), "inside the photo"),
        ((0, 30, 50, 80), "inside the photo"),
        ((-5, 0, 50, 50), "0 to 100"),
        ((0, 0, 0, 50), "0 to 100"),
        ((0, 0, 101, 50), "0 to 100"),
        ((0, 0, 5, 50), "too small"),  # 5 % of a 640 px photo: 32 px
    ],
)
def test_a_crop_outside_the_photo_or_too_small_to_measure_is_refused_and_nothing_is_stored(photo_storage, crop, message):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    with pytest.raises(InvalidGalleryPair) as caught:
        _create_cropped(doctor, treatment, before_crop=crop)
    assert caught.value.field == "before_crop" and message in caught.value.message
    assert caught.value.message.startswith("Before photo:")
    assert not GalleryPair.objects.exists() and stored_files(photo_storage) == []


def test_the_minimum_is_in_pixels_of_the_photo_itself():
    width, _height = _size(process_upload(io.BytesIO(small_face())).jpeg)
    with pytest.raises(BadCrop, match="too small"):
        process_upload(io.BytesIO(small_face()), crop=Crop(0, 0, (MIN_CROP_SIDE - 1) / width, 0.9))
    assert process_upload(io.BytesIO(small_face()), crop=Crop(0, 0, MIN_CROP_SIDE / width, 0.9)).width == MIN_CROP_SIDE


def test_the_crop_fields_work_without_the_script(client, photo_storage):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    client.force_login(doctor.user)
    page = client.get(reverse("practice:gallery_manage")).content.decode()
    for side in ("before", "after"):
        for part in ("x", "y", "w", "h"):
            assert f'name="{side}_crop_{part}"' in page
    assert "Crop the before photo" in page and "js/crop" in page
    response = client.post(
        reverse("practice:gallery_manage"),
        _post_data(treatment, after_crop_x="0", after_crop_y="10", after_crop_w="100", after_crop_h="80.5"),
    )
    assert response.status_code == 302
    pair = GalleryPair.objects.get()
    assert pair.crops == {"after": {"x": 0.0, "y": 10.0, "w": 100.0, "h": 80.5}}
    page = client.get(reverse("practice:gallery_manage")).content.decode()
    assert "Cropped before publishing: after photo to 100 % wide and 80.5 % high, from 0 % left and 10 % down" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"before_crop_x": "60", "before_crop_y": "0", "before_crop_w": "60", "before_crop_h": "50"}, "inside the photo"),
        ({"before_crop_x": "10"}, "all four crop values"),
        ({"before_crop_x": "abc"}, "number"),
        ({"before_crop_x": "150"}, "100"),
    ],
)
def test_a_bad_crop_is_a_form_error_on_the_crop_and_nothing_is_saved(client, photo_storage, overrides, message):
    doctor, treatment = DoctorProfileFactory(), make_treatment()
    client.force_login(doctor.user)
    response = client.post(reverse("practice:gallery_manage"), _post_data(treatment, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors.get("before_crop_x", []))
    assert not GalleryPair.objects.exists() and stored_files(photo_storage) == []


def test_a_pair_without_a_crop_is_unchanged(photo_storage):
    pair = _create(DoctorProfileFactory(), make_treatment())
    assert pair.crops == {}
