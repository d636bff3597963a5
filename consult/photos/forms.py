"""Forms validate input only; the services decide what is allowed.

File fields run the upload checks (:func:`consult.photos.images.process_upload`) in ``clean`` so a bad file
becomes a form error next to its field, and the checked, re-encoded image is handed to the service.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from .errors import BadPhoto
from .images import MAX_BYTES, ProcessedImage, process_upload
from .models import Expression

FILE_ATTRS = {"accept": "image/*", "capture": "user"}


def _checked(upload: Any) -> ProcessedImage | None:
    if not upload:
        return None
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise forms.ValidationError(f"The photo is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return process_upload(upload)
    except BadPhoto as error:
        raise forms.ValidationError(str(error)) from error


def photo_field_name(expression: str) -> str:
    return f"photo_{expression}"


QUOTABLE_LABEL = "Doctors may quote my measurements in their public answers"
QUOTABLE_HELP = (
    "Off unless you tick it. Doctors' answers are public: anyone can read them. If you allow it, a doctor may "
    "write numbers such as “left mouth corner height 3.1 mm lower at rest” into an answer; never your photos "
    "and no link to them. You can change this later on the photo set's page."
)


class QuotableField(forms.BooleanField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(label=QUOTABLE_LABEL, required=False, help_text=QUOTABLE_HELP, **kwargs)


class PhotoSetForm(forms.Form):
    """One optional file input per expression (the ones this visit does not have yet). A new set
    (``existing`` not given) also asks whether doctors may quote its measurements publicly (default no)."""

    taken_on = forms.DateField(
        label="Date the photos were taken",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
    )

    def __init__(self, *args: Any, existing: set[str] | None = None, with_date: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_date:
            del self.fields["taken_on"]
        else:
            self.fields["taken_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if existing is None:
            self.fields["quotable"] = QuotableField()
        for value, label in Expression.choices:
            if existing and value in existing:
                continue
            self.fields[photo_field_name(value)] = forms.FileField(
                label=label, required=False, widget=forms.FileInput(attrs=FILE_ATTRS)
            )

    @property
    def photo_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("photo_")]

    @property
    def allows_quoting(self) -> bool:
        """The patient allowed doctors to quote this new set's measurements (False unless ticked)."""
        return bool(getattr(self, "cleaned_data", {}).get("quotable"))

    def clean_taken_on(self) -> datetime.date | None:
        taken_on = self.cleaned_data.get("taken_on")
        if taken_on and taken_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return taken_on

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in list(self.fields):
            if name.startswith("photo_") and name not in self.errors:
                try:
                    cleaned[name] = _checked(cleaned.get(name))
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def photos(self) -> dict[str, ProcessedImage]:
        """The checked photos by expression value (only those given)."""
        out = {}
        for value in Expression.values:
            processed = self.cleaned_data.get(photo_field_name(value))
            if isinstance(processed, ProcessedImage):
                out[value] = processed
        return out


class PhotoUploadForm(forms.Form):
    """A single labelled photo (adding one to a visit, or retaking one)."""

    expression = forms.ChoiceField(choices=[("", "Choose the expression"), *Expression.choices])
    image = forms.FileField(label="Photo", widget=forms.FileInput(attrs=FILE_ATTRS))

    def clean_image(self) -> ProcessedImage | None:
        return _checked(self.cleaned_data.get("image"))


class QuotableForm(forms.Form):
    """Change, on the set's page, whether doctors may quote its measurements."""

    quotable = QuotableField()
