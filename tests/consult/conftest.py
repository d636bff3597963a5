from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Each test starts with an empty cache so cached fragments never leak between tests."""
    from django.core.cache import cache, caches

    from consult.core.pagecache import clear_local

    cache.clear()
    caches["ratelimit"].clear()
    clear_local()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory) -> None:
    """Files in the default storage (doctors' headshots, consult.practice) go to a temporary directory."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
