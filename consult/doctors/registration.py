"""National registration numbers: the US NPI (checked digit included) or another country's register number."""

from __future__ import annotations

import re

# ISO 3166-1 alpha-2 code, name. Countries whose doctors can say where they are registered; extend as needed.
COUNTRIES = [
    ("US", "United States"), ("CA", "Canada"), ("MX", "Mexico"), ("GB", "United Kingdom"), ("IE", "Ireland"),
    ("AU", "Australia"), ("NZ", "New Zealand"), ("DE", "Germany"), ("FR", "France"), ("NL", "Netherlands"),
    ("BE", "Belgium"), ("ES", "Spain"), ("IT", "Italy"), ("PT", "Portugal"), ("CH", "Switzerland"),
    ("AT", "Austria"), ("SE", "Sweden"), ("NO", "Norway"), ("DK", "Denmark"), ("FI", "Finland"),
    ("PL", "Poland"), ("IL", "Israel"), ("IN", "India"), ("SG", "Singapore"), ("JP", "Japan"),
    ("KR", "South Korea"), ("BR", "Brazil"), ("AR", "Argentina"), ("ZA", "South Africa"),
    ("AE", "United Arab Emirates"),
]  # fmt: skip
COUNTRY_CODES = frozenset(code for code, _ in COUNTRIES)
COUNTRY_NAMES: dict[str, str] = dict(COUNTRIES)


def country_name(code: str) -> str:
    """'DE' -> 'Germany'; an unknown code is shown as given."""
    return COUNTRY_NAMES.get(code, code)
_OTHER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-/]{2,39}$")


def npi_is_valid(number: str) -> bool:
    """A US National Provider Identifier: 10 digits whose last is the Luhn check digit computed over the
    prefix 80840 and the first nine (CMS, 'Requirements for NPI check digit')."""
    if not re.fullmatch(r"\d{10}", number):
        return False
    digits = [int(c) for c in "80840" + number]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def registration_problem(country: str, number: str) -> str | None:
    """None if ``number`` looks like a registration number of ``country``, else a sentence saying what is wrong.
    In the US the number is the NPI (optional: the state licence number is what staff check; they ask for the NPI
    before verifying); elsewhere it is the national register's number, the one staff look up, so it is required."""
    if country not in COUNTRY_CODES:
        return "Choose the country you are registered in."
    if country == "US":
        if not number:
            return None
        return None if npi_is_valid(number) else "An NPI is 10 digits (check the number on the NPI registry)."
    if not number:
        return "Enter your registration number on your country's medical register: staff look it up there."
    if not _OTHER_NUMBER.match(number):
        return "Enter the registration number as issued (letters, digits, dashes)."
    return None
