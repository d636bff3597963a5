"""Doctor headshots go through the photos' upload checks (allow-listed formats, EXIF stripped) and show on
the profile; only the doctor changes theirs; the file is public once the doctor is verified."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from consult.practice.errors import HeadshotNotAllowed, InvalidHeadshot
from consult.practice.models import Headshot
from consult.practice.services import headshot_remove, headshot_set
from tests.consult.doctors.test_query_counts import _queries
from tests.consult.photos.conftest import jpeg_bytes
from tests.factories import DoctorProfileFactory, StaffFactory, UnverifiedDoctorProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        # consuming the stream closes the response (the test client's wrapper): a second close() would fire
        # request_finished, whose close_old_connections drops the test's connection on PostgreSQL
        response.content_bytes = b"".join(response.streaming_content)
    return response


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x010E] = "Taken at 51.5N 0.1W"  # ImageDescription
    return jpeg_bytes(size=(900, 1200), exif=exif.tobytes())


def test_upload_strips_metadata_and_shows_on_the_profile(client):
    doctor = DoctorProfileFactory()
    client.force_login(doctor.user)
    upload = SimpleUploadedFile("me.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("practice:headshot_edit"), {"image": upload})
    assert response.status_code == 302
    shot = Headshot.objects.get(doctor=doctor)
    client.logout()
    page = client.get(f"/doctors/{doctor.slug}/").content.decode()
    assert f'src="/practice/headshots/{shot.pk}.jpg"' in page and f'alt="Photo of {doctor.display_name}"' in page
    file = _get(client, shot.get_absolute_url())
    data = file.content_bytes
    assert file["Content-Type"] == "image/jpeg" and "immutable" in file["Cache-Control"]
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) <= 320 and not image.getexif() and b"PhoneMaker" not in data and b"51.5N" not in data


@pytest.mark.parametrize(
    "payload",
    [b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"%PDF-1.4 not an image", b"GIF89a broken"],
)
def test_files_that_are_not_allowed_images_get_a_message_and_nothing_is_stored(client, payload):
    doctor = DoctorProfileFactory()
    client.force_login(doctor.user)
    response = client.post(reverse("practice:headshot_edit"), {"image": SimpleUploadedFile("x.jpg", payload)})
    assert response.status_code == 200 and "JPEG" in response.content.decode()
    assert not Headshot.objects.exists()


def test_only_the_doctor_changes_their_headshot_and_a_new_upload_replaces_the_old(tmp_path):
    doctor = DoctorProfileFactory()
    with pytest.raises(HeadshotNotAllowed):
        headshot_set(profile=doctor, uploaded_by=UserFactory(), upload=io.BytesIO(jpeg_bytes()))
    with pytest.raises(InvalidHeadshot):
        headshot_set(profile=doctor, uploaded_by=doctor.user, upload=io.BytesIO(b"nope"))
    first = headshot_set(profile=doctor, uploaded_by=doctor.user, upload=io.BytesIO(jpeg_bytes()))
    second = headshot_set(profile=doctor, uploaded_by=doctor.user, upload=io.BytesIO(jpeg_bytes(color=(1, 2, 3))))
    assert list(Headshot.objects.values_list("pk", flat=True)) == [second.pk] and first.pk != second.pk
    assert headshot_remove(profile=doctor, removed_by=doctor.user) is True
    assert not Headshot.objects.exists()


def test_pages_refuse_other_roles_and_an_unverified_doctors_file_is_private(client):
    client.force_login(UserFactory())
    assert client.get(reverse("practice:headshot_edit")).status_code == 403
    pending = UnverifiedDoctorProfileFactory()
    shot = headshot_set(profile=pending, uploaded_by=pending.user, upload=io.BytesIO(jpeg_bytes()))
    assert client.get(shot.get_absolute_url()).status_code == 404
    client.force_login(pending.user)
    assert _get(client, shot.get_absolute_url())["Cache-Control"] == "private, no-store"
    client.force_login(StaffFactory())
    assert _get(client, shot.get_absolute_url()).status_code == 200


def test_the_headshot_costs_the_profile_no_query(client):
    doctor = DoctorProfileFactory()
    url = f"/doctors/{doctor.slug}/"
    without = _queries(client, url)
    headshot_set(profile=doctor, uploaded_by=doctor.user, upload=io.BytesIO(jpeg_bytes()))
    assert _queries(client, url) == without
