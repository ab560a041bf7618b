"""The one cache of drawn text: bounded by bytes, shared by the snippet tabs and highlighting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from playground.model.operations import Operation
from playground.snippets.highlight import MAX_HIGHLIGHT_CHARS, highlight
from playground.snippets.text_cache import DRAWN, TextCache, text_bytes
from playground.web.snippet_views import snippet_views


@pytest.fixture
def small_drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[TextCache]:
    """Give the process's cache, emptied and bounded to 2 MB for the test."""
    DRAWN.clear()
    monkeypatch.setattr(DRAWN, "max_bytes", 2 * 1024 * 1024)
    yield DRAWN
    DRAWN.clear()


def test_many_distinct_bodies_keep_the_cache_within_its_bytes(
    small_drawn: TextCache, sessions_op: Operation
) -> None:
    """Distinct bodies of 40 KB (tabs and highlighting, 200 of them) fill the cache to its
    bound and no further; the latest body is still kept."""
    for i in range(200):
        body = {"instructions": f"{i} " + "x" * 40_000}
        views = snippet_views(sessions_op, body)
        assert small_drawn.bytes <= small_drawn.max_bytes
    assert small_drawn.bytes > small_drawn.max_bytes // 2
    assert snippet_views(sessions_op, body) == views
    assert len(small_drawn) < 200


def test_a_value_larger_than_an_eighth_is_not_kept() -> None:
    cache = TextCache(max_bytes=8000)
    cache.put("big", "x", 1001)
    cache.put("small", "y", 999)
    assert cache.get("big") is None
    assert cache.get("small") == "y"
    assert cache.bytes == 999


def test_the_least_recently_used_goes_first() -> None:
    cache = TextCache(max_bytes=8000)
    for key in "abcdefgh":
        cache.put(key, key, 1000)
    cache.get("a")
    cache.put("i", "i", 1000)
    assert cache.get("b") is None
    assert cache.get("a") == "a"
    assert cache.bytes == 8000


def test_text_bytes_counts_the_strings() -> None:
    assert text_bytes(["x" * 1000]) >= 1000


def test_a_long_text_is_not_coloured() -> None:
    """Past the limit a snippet is shown plain (escaped), its text the same."""
    text = 'x = "a"\n' * (MAX_HIGHLIGHT_CHARS // 8 + 1)
    assert "<span" not in highlight("python", text)
    assert "<span" in highlight("python", 'x = "a"\n')
