"""Security headers on every response: strict CSP, no framing, no sniffing, same-origin referrer."""

from __future__ import annotations

from flask import Flask, Response

# No inline script, no eval, no inline style: every script and style is a file the app serves.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        # An opened call bundle's recordings play from the page's own object URLs.
        "media-src 'self' blob:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Share tokens sit in the query string: never tell other sites where a visitor came from.
    # (no-referrer would break Flask-WTF's referrer check on HTTPS.)
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response of ``app``."""
    app.after_request(_headers)
