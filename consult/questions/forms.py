"""Forms validate input only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from .models import Sex, Tag

MAX_TAGS = 5


class AskForm(forms.Form):
    # "Ask Dr. X" from a profile: the doctor's slug, carried through the form; the view looks them up and ignores
    # anything that is not a verified doctor's (a hidden field's error would be one the asker cannot fix).
    doctor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    title = forms.CharField(
        min_length=15,
        max_length=200,
        help_text="One sentence that says what you want to know.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label="Details",
        min_length=30,
        max_length=10_000,
        help_text="Describe what you notice, since when, and what you have tried. Markdown works.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    tags = forms.ModelMultipleChoiceField(
        label="Concerns",
        queryset=Tag.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=f"Pick 1 to {MAX_TAGS}.",
        error_messages={"required": "Pick at least one concern so the right doctors see your question."},
    )
    display_name = forms.CharField(
        label="Name shown with your question",
        max_length=60,
        help_text="A first name or a pseudonym is fine.",
    )
    age = forms.IntegerField(
        required=False,
        validators=[MinValueValidator(13), MaxValueValidator(120)],
        help_text="In years. It helps doctors; leave it empty if you prefer.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(
        required=False, choices=[("", "Prefer not to say"), *Sex.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["age"].widget.attrs.update({"min": 13, "max": 120})

    def clean_tags(self) -> Any:
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"Pick at most {MAX_TAGS} concerns.")
        return tags

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not any(ch.isalpha() for ch in title):
            raise forms.ValidationError("Write your question in words.")
        return title


class AnswerForm(forms.Form):
    headline = forms.CharField(
        max_length=160,
        min_length=10,
        help_text="Your answer in one sentence; it is shown in bold above your answer.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label="Answer",
        min_length=30,
        max_length=20_000,
        help_text="Markdown works: **bold**, *italic*, lists, links.",
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class PreviewForm(forms.Form):
    text = forms.CharField(required=False, max_length=20_000, strip=False)


class UpdateForm(forms.Form):
    body = forms.CharField(
        label="Your update",
        max_length=5000,
        help_text="How it went, what changed, what you decided. Shown under your question with today's date. Markdown works.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what has changed before posting an update."},
    )
