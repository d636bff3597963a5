from __future__ import annotations

from decimal import Decimal

from django import forms

from consult.practice.models import FacePrivacy, PairExpression
from consult.reviews.models import Treatment


class HeadshotForm(forms.Form):
    image = forms.FileField(
        label="Headshot",
        help_text="A JPEG or PNG photo of your face. We remove location and camera data and keep a 320 px copy.",
        error_messages={"required": "Choose a photo to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class GalleryPairForm(forms.Form):
    treatment = forms.ModelChoiceField(
        label="Treatment", queryset=Treatment.objects.order_by("name"), empty_label="Choose the treatment"
    )
    expression = forms.ChoiceField(
        label="Both photos show", choices=PairExpression.choices, initial=PairExpression.NEUTRAL,
        widget=forms.RadioSelect,
        help_text="The same expression in both, so the engine compares like with like.",
    )
    before = forms.FileField(
        label="Before photo", error_messages={"required": "Choose the before photo."},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    after = forms.FileField(
        label="After photo", error_messages={"required": "Choose the after photo."},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    before_taken_on = forms.DateField(label="Before photo taken on", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    after_taken_on = forms.DateField(label="After photo taken on", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    privacy = forms.ChoiceField(
        label="How much of the face to show", choices=FacePrivacy.choices, initial=FacePrivacy.BLUR_EYES,
        widget=forms.RadioSelect,
        help_text="The blur or crop is placed from the engine's eye positions before anything is published.",
    )
    caption = forms.CharField(label="Caption", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def crop(self, side: str) -> tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
        """The four crop values of one photo (x, y, width, height in percent), None where left empty."""
        x, y, w, h = (self.cleaned_data.get(f"{side}_crop_{part}") for part in CROP_PARTS)
        return x, y, w, h

    @staticmethod
    def crop_field(service_field: str | None) -> str | None:
        """Where a service error about a crop shows: on its first value (the fieldset holds all four)."""
        if service_field in ("before_crop", "after_crop"):
            return f"{service_field}_x"
        return service_field
    consent_confirmed = forms.BooleanField(
        label="The patient gave written consent to publishing these photos on Consult",
        required=False,
    )
    consent_note = forms.CharField(
        label="How the consent was recorded", max_length=300,
        help_text="e.g. “Signed photo release, kept in the patient's chart”. Not shown publicly.",
    )
    consent_given_on = forms.DateField(label="Consent given on", widget=forms.DateInput(attrs={"type": "date"}))


CROP_PARTS = ("x", "y", "w", "h")
_CROP_LABELS = {"x": "Left edge (%)", "y": "Top edge (%)", "w": "Width (%)", "h": "Height (%)"}


def _crop_field(side: str, part: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=_CROP_LABELS[part],
        required=False,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal", f"data-crop-{part}": side}),
    )


for _side in ("before", "after"):
    for _part in CROP_PARTS:
        GalleryPairForm.base_fields[f"{_side}_crop_{_part}"] = _crop_field(_side, _part)


class ConsultationForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=120)
    message = forms.CharField(
        label="Your message", max_length=3000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you would like to discuss. Only the practice and Consult staff can read it; "
        "do not include anything you would not tell a receptionist.",
    )
    contact_by = forms.ChoiceField(
        label="How should the practice contact you?", widget=forms.RadioSelect,
        choices=[("site", "A reply here on Consult"), ("email", "E-mail (the practice sees your account's address)"),
                 ("phone", "Phone")],
        initial="site",
    )
    contact_detail = forms.CharField(label="Phone number (for a call)", required=False, max_length=40,
                                     widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))


class ConsultationReplyForm(forms.Form):
    reply = forms.CharField(label="Your reply", max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
                            help_text="Seen only by the member who wrote and Consult staff. You can reply once.")
