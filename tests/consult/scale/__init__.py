"""Tests for scale: the page cache, keyset pagination, the replica router."""


def forget_cached_pages() -> None:
    """Empty the cache (pages, versions, thread entries) and this process's hot pages, so a query count
    measures a render rather than a cache hit. Sessions survive: cached_db reads them from the database."""
    from django.core.cache import cache

    from consult.core.pagecache import clear_local

    clear_local()
    cache.clear()
