"""Sends answered in process (the page's own mock) keep nothing between visitors."""

from __future__ import annotations

from typing import Any

from playground.inprocess import BASE
from playground.upstream import Upstream, request_headers


def test_a_cookie_the_in_process_app_sets_is_never_sent_again() -> None:
    seen: list[str | None] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ.get("HTTP_COOKIE"))
        start_response("200 OK", [("Content-Type", "application/json"), ("Set-Cookie", "s=a")])
        return [b"{}"]

    upstream = Upstream()
    upstream.mount_app(BASE, app)
    for key in ("sk-visitor-a", "sk-visitor-b"):
        assert upstream.post_json(BASE + "/x", {}, request_headers(key)).ok
    assert seen == [None, None]
