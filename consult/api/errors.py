"""Errors the endpoints raise; ``consult/api/api.py`` turns each into its problem response."""

from __future__ import annotations

from typing import Any

__all__ = ["FormInvalid", "Refused"]


class Refused(Exception):
    """403: the caller may not do this; the message says why (the rules' own sentence)."""


class FormInvalid(Exception):
    """422 from a site form's or a service's own checks: ``errors`` is {field: [messages]} or Django's
    ``form.errors.get_json_data()``."""

    def __init__(self, errors: dict[str, Any]) -> None:
        self.errors = errors
        super().__init__("The request is not valid.")
