"""Forms for flagging and moderating. Shape only; the rules are in services.py."""

from __future__ import annotations

from django import forms

from consult.moderation.models import FlagReason
from consult.moderation.services import NOTE_MAX_LENGTH


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label="Reason", choices=FlagReason.choices)
    note = forms.CharField(label="Details", required=False, max_length=NOTE_MAX_LENGTH)


class ModerationActionForm(forms.Form):
    note = forms.CharField(label="Note", required=False, max_length=NOTE_MAX_LENGTH)
