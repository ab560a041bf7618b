"""Which operation starts a WebRTC call, where, and with which part of its body: the
``x-playground.call`` block of its OpenAPI document, read here (no Flask, no HTTP).

    "call": {"path": "/realtime/calls", "session": "session",
             "sdk": {"python": "realtime.calls.create"}}

``path`` is where the offer goes, ``session`` the body key sent as the call's session (the rest
of the body is the client secret's own), ``sdk`` the SDK method per snippet language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from playground.model.operations import Operation

#: A call id as it may go back into a URL path (``/realtime/calls/{call_id}/hangup``).
CALL_ID = re.compile(r"[A-Za-z0-9_-]{1,200}")
#: The largest SDP offer a call takes, in UTF-8 bytes: the page's ``/call`` sends none longer and
#: the mock reads none longer (``CALL_MAX_OFFER_BYTES`` changes both). A browser's offer is a few
#: KB; a long one only buys the peer work (its candidates are paired one by one).
MAX_OFFER_BYTES = 64 * 1024


@dataclass(frozen=True)
class CallSpec:
    """How an operation's configuration starts a call (its ``x-playground.call`` block)."""

    path: str
    #: The body key whose value is the call's ``session`` (the rest of the body is not sent).
    session_key: str
    #: The SDK method per language, as in ``x-playground.sdk``.
    sdk: dict[str, str] = field(default_factory=dict)

    def session_of(self, body: Any) -> Any | None:
        """Give the session a call sends for ``body`` (None when the body has none)."""
        return body.get(self.session_key) if isinstance(body, dict) else None

    def hangup_path(self, call_id: str) -> str:
        """Give the path that ends the call ``call_id``; raise ``ValueError`` for what is not a
        call id (it goes into the URL's path: see :data:`CALL_ID`)."""
        if not CALL_ID.fullmatch(call_id):
            raise ValueError("not a call id")
        return f"{self.path}/{call_id}/hangup"


def call_spec(op: Operation) -> CallSpec | None:
    """Give how ``op`` starts a call, or None when it cannot."""
    block = op.extra.get("call")
    if not isinstance(block, dict) or not isinstance(block.get("path"), str):
        return None
    sdk = block.get("sdk", {})
    return CallSpec(
        path=block["path"],
        session_key=str(block.get("session", "session")),
        sdk={str(k): str(v) for k, v in sdk.items()} if isinstance(sdk, dict) else {},
    )


def where_calls_start(op: Operation, ops: dict[str, Operation]) -> str:
    """Give what is said when ``op`` cannot start a call: where a call starts instead, among
    ``ops``."""
    callable_ops = [o for o in ops.values() if call_spec(o) is not None]
    if not callable_ops:
        return "This server has no operation that starts a call."
    name = callable_ops[0].label.split(" — ")[0]
    successor = ops.get(op.extra.get("successor") or "")
    if successor is not None and call_spec(successor) is not None:
        name = successor.label.split(" — ")[0]
        return f"A call starts from {name}: use “Open as {name}” above to convert this form."
    return f"A call starts from {name}: choose it above."
