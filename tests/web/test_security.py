"""Security headers on every kind of response."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/"),
        ("get", "/?op=client-secrets"),
        ("post", "/preview"),
        ("post", "/form"),
        ("get", "/static/app.css"),
        ("get", "/nope"),
    ],
)
def test_every_response_carries_the_security_headers(client, method, url) -> None:
    response = getattr(client, method)(url)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "media-src 'self' blob:" in csp  # an opened bundle's audio, nothing from elsewhere
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    response.close()


def test_pages_have_no_inline_script_style_or_handlers(client) -> None:
    for url in ("/", "/?op=client-secrets"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert " onclick=" not in html and " onload=" not in html and "javascript:" not in html
