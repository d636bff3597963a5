"""Which concerns (question tags) belong to which specialty, for doctors' new-question alerts.

A doctor who chose "my specialty" (the default) hears of new questions tagged with one of their specialty's
concerns; the settings page lists them, so the promise is concrete. Tags not listed here reach doctors who
picked them by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["SPECIALTY_TAGS", "specialties_for", "tags_for"]

SPECIALTY_TAGS: dict[str, tuple[str, ...]] = {
    "facial-plastic": (
        "facelift", "fillers", "botox", "brow-lift", "eyelid-surgery", "asymmetry", "scars", "smile-reanimation",
    ),
    "plastic": ("facelift", "fillers", "botox", "brow-lift", "eyelid-surgery", "asymmetry", "scars", "smile-reanimation"),
    "oculoplastic": ("eyelid-surgery", "brow-lift", "dry-eye", "botox"),
    "dermatology": ("botox", "fillers", "scars"),
    "ent-facial-nerve": (
        "facial-paralysis", "bells-palsy", "ramsay-hunt", "acoustic-neuroma", "facial-nerve-surgery", "synkinesis",
        "smile-reanimation",
    ),
    "neurology": ("facial-paralysis", "bells-palsy", "ramsay-hunt", "synkinesis", "acoustic-neuroma"),
    "physiatry": ("physical-therapy", "synkinesis", "facial-paralysis", "bells-palsy"),
}


def tags_for(specialty: str) -> tuple[str, ...]:
    return SPECIALTY_TAGS.get(specialty, ())


def specialties_for(tag_slugs: Iterable[str]) -> set[str]:
    slugs = set(tag_slugs)
    return {specialty for specialty, tags in SPECIALTY_TAGS.items() if slugs.intersection(tags)}
