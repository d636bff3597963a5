from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from consult.photos.models import Visit

from .instruments import Instrument
from .models import TreatmentKind


class TreatmentForm(forms.Form):
    kind = forms.ChoiceField(label="Treatment", choices=[("", "Choose…"), *TreatmentKind.choices])
    label = forms.CharField(label="Details", max_length=80, required=False,
                            help_text="For example: “Botox, left neck and chin”.")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label="Notes", max_length=500, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


class VisitChoiceField(forms.ModelChoiceField[Visit]):
    def label_from_instance(self, obj: Visit) -> str:
        return f"Photos of {obj.taken_on:%B %-d, %Y}"


class OutcomeForm(forms.Form):
    """Built from an instrument's data: one radio group per item, plus the date and an optional visit."""

    completed_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    visit = VisitChoiceField(label="Photo set", queryset=Visit.objects.none(), required=False,
                                   empty_label="Not linked to a photo set")

    def __init__(
        self, *args: Any, instrument: Instrument, patient: Any, for_visit: Visit | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["completed_on"].initial = timezone.localdate()
        visit_field = self.fields["visit"]
        assert isinstance(visit_field, VisitChoiceField)
        visit_field.queryset = Visit.objects.filter(patient=patient).order_by("-taken_on")
        if for_visit is not None and for_visit.patient_id == patient.pk:
            # Opened from a photo set: link it and date the answers with it (the patient can change both).
            self.fields["visit"].initial = for_visit.pk
            self.fields["completed_on"].initial = for_visit.taken_on
        for item in instrument.items:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.label, choices=instrument.choices_for(item), coerce=int, widget=forms.RadioSelect,
                error_messages={"required": "Please answer this question."},
            )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[item.key] for item in self.instrument.items]
