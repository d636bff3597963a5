from __future__ import annotations

from django import forms


class HeadshotForm(forms.Form):
    image = forms.FileField(
        label="Headshot",
        help_text="A JPEG or PNG photo of your face. We remove location and camera data and keep a 320 px copy.",
        error_messages={"required": "Choose a photo to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
