"""What may be sent to a gateway: its base URL and the credentials that go in headers.

Each refusal is a :class:`RequestRefused` whose message is safe to show: it never repeats what
was typed (a key, or a URL that may hold one).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: What a credential may hold to go in a header: printable ASCII, no space. A regular
#: expression in a syntax Python and JavaScript read alike (one character; the callers anchor
#: it); the page gets it too (``web/constants.py``), so static/auth.js lets through the same.
HEADER_VALUE_CHAR = r"[\x21-\x7e]"
_PRINTABLE = re.compile(HEADER_VALUE_CHAR + "+")  # what static/auth.js lets through
#: Said of a URL that ``urlsplit`` refuses here or the transport refuses later.
NOT_A_URL = "The gateway URL is not a valid URL."


class RequestRefused(ValueError):
    """A gateway URL or credential that must not be sent; the message is safe to show."""


def invalid_credential(what: str) -> RequestRefused:
    """Give the refusal of a credential (``what``: "key", "organization", ...) that holds a
    character a header cannot carry; the browser's own check refuses with it too."""
    return RequestRefused(
        f"Invalid {what} format: it contains a space, a line break or another character "
        f"that cannot be sent; paste the {what} again."
    )


def check_gateway_url(url: str) -> str:
    """Give the gateway base URL without a trailing slash, or raise :class:`RequestRefused`."""
    url = url.strip()
    if not url:
        raise RequestRefused("Enter a gateway URL.")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise RequestRefused("The gateway URL must not contain spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RequestRefused(NOT_A_URL) from None
    if parts.scheme not in ("http", "https"):
        raise RequestRefused("The gateway URL must start with http:// or https://.")
    if not parts.hostname:
        raise RequestRefused("The gateway URL has no host name.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise RequestRefused(
            "The gateway URL must not contain a user name or password (they would replace "
            "the API key): put the key in the API key field."
        )
    if parts.query or url.rstrip().endswith("?"):
        raise RequestRefused("The gateway URL must not contain a query (?…): give the base URL.")
    if parts.fragment or "#" in url:
        raise RequestRefused("The gateway URL must not contain a fragment (#…).")
    if port == 0:
        raise RequestRefused("The gateway URL has an invalid port.")
    return url.rstrip("/")


def check_credential(value: str, what: str) -> str:
    """Give ``value`` if it can go in a header (printable, no whitespace), or refuse it."""
    if value and not _PRINTABLE.fullmatch(value):
        raise invalid_credential(what)
    return value
