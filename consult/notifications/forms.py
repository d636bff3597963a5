"""Forms validate input only; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from consult.questions.models import Tag

from .models import Frequency, Kind, QuestionAlerts

#: The kinds a member can receive: everyone follows threads, sends consultation requests and is told of moderation;
#: doctors get the rest too.
PATIENT_KINDS = (Kind.ANSWER, Kind.UPDATE, Kind.CONSULTATION, Kind.ACCOUNT)
DOCTOR_KINDS = (
    Kind.ANSWER, Kind.UPDATE, Kind.VOTES, Kind.REVIEW, Kind.INVITE, Kind.NEW_QUESTION, Kind.CONSULTATION, Kind.ACCOUNT
)


class PreferencesForm(forms.Form):
    def __init__(self, data: Any = None, *, kinds: tuple[str, ...], doctor: bool, initial: dict[str, Any]) -> None:
        super().__init__(data, initial=initial)
        self.kinds = kinds
        for kind in kinds:
            self.fields[f"email_{kind}"] = forms.ChoiceField(
                label=Kind(kind).label, choices=Frequency.choices, widget=forms.RadioSelect
            )
        if doctor:
            self.fields["question_alerts"] = forms.ChoiceField(
                label="Which new questions reach your inbox",
                choices=QuestionAlerts.choices,
                widget=forms.RadioSelect,
            )
            self.fields["alert_tags"] = forms.ModelMultipleChoiceField(
                label="Concerns you pick",
                queryset=Tag.objects.order_by("name"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="Used when you chose the concerns you pick (or both).",
            )

    def emails(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"email_{kind}"] for kind in self.kinds}


class InviteForm(forms.Form):
    doctor = forms.IntegerField(min_value=1)
