"""Forms for reviews. They check shape; services.py holds the rules and their messages."""

from __future__ import annotations

from django import forms

from consult.reviews.models import Treatment, WorthIt
from consult.reviews.services import BODY_MAX, REPLY_MAX, TITLE_MAX

STAR_CHOICES = [(5, "5 stars: excellent"), (4, "4 stars: good"), (3, "3 stars: fair"), (2, "2 stars: poor"), (1, "1 star: bad")]


class ReviewForm(forms.Form):
    treatment = forms.ModelChoiceField(
        label="Treatment",
        queryset=Treatment.objects.order_by("name"),
        empty_label="Choose the treatment",
        error_messages={"invalid_choice": "Choose a treatment from the list."},
    )
    rating = forms.TypedChoiceField(
        label="Your rating",
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose from 1 to 5 stars.", "invalid_choice": "Choose from 1 to 5 stars."},
    )
    worth_it = forms.ChoiceField(
        label="Was it worth it?",
        choices=WorthIt.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether it was worth it."},
    )
    title = forms.CharField(label="Title", max_length=TITLE_MAX, help_text="One line, e.g. “Careful, honest, and it helped”.")
    body = forms.CharField(
        label="Your review",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="What was done, how you were treated, how it turned out. Please leave out other people's names.",
    )
    cost = forms.IntegerField(
        label="Approximate total cost (US dollars)",
        required=False,
        help_text="Optional. Shown as part of the treatment's cost range, which is kept in US dollars: if you paid "
        "in another currency, convert it roughly.",
        error_messages={"invalid": "Enter the cost as a whole number of dollars, e.g. 450."},
    )
    treated_on = forms.DateField(
        label="When (approximately)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date like 2025-03-14."},
    )


class ReviewEditForm(ReviewForm):
    """The author's edit: the doctor and treatment stay as they were."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["treatment"]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your public reply",
        required=False,
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One reply per review, shown under it. Save an empty reply to withdraw it. Never mention health details.",
    )

