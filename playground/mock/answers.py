"""What every mock route reads and answers alike: the Bearer key, and an API-style JSON answer."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from flask import Response, request


def bearer_token() -> str:
    """Give the request's Bearer key, or an empty string when it has none."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def json_answer(status: int, payload: dict[str, Any], started: float | None = None) -> Response:
    """Give a JSON answer as the API sends it: keys in the payload's order (jsonify would sort
    them), a request id, never cached; ``started`` (monotonic) adds the processing time."""
    response = Response(json.dumps(payload), status=status, mimetype="application/json")
    response.headers["x-request-id"] = "req_" + secrets.token_hex(16)
    if started is not None:
        response.headers["openai-processing-ms"] = str(round((time.monotonic() - started) * 1000))
    response.headers["Cache-Control"] = "no-store"
    return response
