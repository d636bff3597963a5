"""Placeholder: filled in with the engine adapter."""

from __future__ import annotations


def measure_photo(photo_id: int) -> str:
    return "todo"


def grade_visit(visit_id: int) -> str:
    return "todo"
