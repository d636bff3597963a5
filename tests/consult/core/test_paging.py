from __future__ import annotations

import pytest

from consult.core.paging import LAST_PAGE, page_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 1), ("", 1), ("3", 3), ("0", 1), ("-4", 1), ("x", 1), ("²", 1), ("1e3", 1), (str(10**12), LAST_PAGE)],
)
def test_page_numbers_from_the_query_string(raw: str | None, expected: int) -> None:
    assert page_number(raw) == expected
