from __future__ import annotations

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
    consent_confirmed = forms.BooleanField(
        label="The patient gave written consent to publishing these photos on Consult",
        required=False,
    )
    consent_note = forms.CharField(
        label="How the consent was recorded", max_length=300,
        help_text="e.g. “Signed photo release, kept in the patient's chart”. Not shown publicly.",
    )
    consent_given_on = forms.DateField(label="Consent given on", widget=forms.DateInput(attrs={"type": "date"}))


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
