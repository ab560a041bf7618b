"""The names the server and the page's scripts share, written once.

The page gets them as a JSON data block (``<script type="application/json"
id="playground-constants">``, which the browser never runs, so the CSP allows it) that
``static/playground.js`` reads; the web modules import them from here. The rule for a header
value is the transport's (:mod:`playground.transport.checks`): given to the page from there.
"""

from __future__ import annotations

from typing import Any

from playground.transport.checks import HEADER_VALUE_CHAR

#: Every browser-storage key starts with this.
STORAGE_PREFIX = "playground."
#: Browser-storage keys: the gateway URL, the configured gateway chosen, "Remember on this
#: device", the Forget announcement to other tabs, the credentials, the snippet tab.
STORAGE_KEYS = {
    "gateway": STORAGE_PREFIX + "gateway",
    "gatewayName": STORAGE_PREFIX + "gatewayName",
    "remember": STORAGE_PREFIX + "remember",
    "forgotten": STORAGE_PREFIX + "forgotten",
    "key": STORAGE_PREFIX + "key",
    "organization": STORAGE_PREFIX + "organization",
    "project": STORAGE_PREFIX + "project",
    "snippetTab": STORAGE_PREFIX + "snippetTab",
}

#: The request headers ``static/auth.js`` sets on a send or a call only.
KEY_HEADER = "X-Playground-Key"
ORGANIZATION_HEADER = "X-Playground-Organization"
PROJECT_HEADER = "X-Playground-Project"
GATEWAY_HEADER = "X-Playground-Gateway"
GATEWAY_NAME_HEADER = "X-Playground-Gateway-Name"
INVALID_HEADER = "X-Playground-Invalid"
#: A call started with a key a client secret send minted (never in a URL or a form field).
EPHEMERAL_KEY_HEADER = "X-Playground-Ephemeral-Key"
#: The header htmx sends the CSRF token in, and the one a refused htmx request gets a fresh
#: token in (``static/request-headers.js``).
CSRF_TOKEN_HEADER = "X-CSRFToken"
FRESH_CSRF_TOKEN_HEADER = "X-Playground-CSRF-Token"


#: Form fields the page adds to its live-update request: the snippet tab shown (highlighted
#: first) and whether the visitor has a gateway URL (never the URL itself).
SNIPPET_LANG_FIELD = "_snippet_lang"
GATEWAY_FLAG_FIELD = "_gateway"


def page_constants() -> dict[str, Any]:
    """Give what ``static/playground.js`` reads from the page's JSON data block."""
    return {
        "storage": STORAGE_KEYS,
        "headers": {
            "key": KEY_HEADER,
            "organization": ORGANIZATION_HEADER,
            "project": PROJECT_HEADER,
            "gateway": GATEWAY_HEADER,
            "gatewayName": GATEWAY_NAME_HEADER,
            "invalid": INVALID_HEADER,
            "ephemeralKey": EPHEMERAL_KEY_HEADER,
            "csrfToken": CSRF_TOKEN_HEADER,
            "freshCsrfToken": FRESH_CSRF_TOKEN_HEADER,
        },
        "headerValueChar": HEADER_VALUE_CHAR,
        "fields": {"snippetLang": SNIPPET_LANG_FIELD, "gatewayFlag": GATEWAY_FLAG_FIELD},
    }
