"""Tests for scale: the page cache, keyset pagination, the replica router."""


def forget_cached_pages() -> None:
    """Drop cached pages, thread rows and answer cards from the (locmem) test cache, keeping sessions,
    so a query count measures a render rather than a cache hit."""
    from django.core.cache import cache

    from consult.core.pagecache import clear_local

    clear_local()  # and the hot pages held in this process's memory

    store, expiry = cache._cache, cache._expire_info  # type: ignore[attr-defined]
    for key in list(store):
        if key.split(":", 2)[-1].startswith(("page:", "pagever:", "thread:", "frag:")):
            store.pop(key, None)
            expiry.pop(key, None)
