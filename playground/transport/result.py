"""What one send gave back, as plain data (:class:`Result`), and reading a gateway's answer into
it: capped in size, every secret masked, told apart as JSON, text, a redirect or too large.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import requests
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

from playground.model import strict_json
from playground.transport.explanations import explain_not_json, explain_status, explain_too_large
from playground.transport.masking import Secrets, drop_cut_secret, mask_json, mask_text

#: Response headers worth showing: request id, processing time, rate limits, retry hints.
SHOWN_HEADERS = ("x-request-id", "openai-processing-ms", "openai-version", "retry-after")
SHOWN_PREFIXES = ("x-ratelimit-",)
#: How much text of an answer that is not JSON the response pane shows.
SHOWN_TEXT_CHARS = 2000
_CHUNK = 16 * 1024


@dataclass
class Result:
    """What one send gave: an HTTP answer (``status``) or a transport ``failure``, or both."""

    status: int | None = None
    reason: str = ""
    elapsed_ms: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = ""
    #: The JSON answer, secrets masked (any JSON value: the page shows whatever came).
    data: Any = None
    is_json: bool = False
    text: str = ""
    failure: str = ""
    failure_kind: str = ""
    #: The answer's bytes as read (up to the size cap), unmasked: for a caller that takes an
    #: answer that is not JSON (a call's SDP answer). Never shown as they are.
    raw: bytes = b""
    #: The ``Location`` header, secrets masked (a created call names itself there).
    location: str = ""

    @property
    def ok(self) -> bool:
        """Give whether the gateway answered 2xx with JSON."""
        return self.status is not None and 200 <= self.status < 300 and self.is_json

    @property
    def api_error(self) -> dict[str, Any] | None:
        """Give the ``error`` object of an OpenAI-style error answer, if there is one."""
        if self.status is None or self.status < 400 or not isinstance(self.data, dict):
            return None
        error = self.data.get("error")
        return error if isinstance(error, dict) else None

    @property
    def pretty(self) -> str:
        """Give the JSON answer pretty-printed."""
        return json.dumps(self.data, indent=2, ensure_ascii=False)

    @property
    def ephemeral(self) -> dict[str, Any] | None:
        """Give the ephemeral secret ``{"value", "expires_at", "path"}`` of a success, if there
        is one.

        It is ``client_secret`` in the beta session answer and the answer itself in GA.
        """
        if not self.ok or not isinstance(self.data, dict):
            return None
        for path, candidate in (
            ("client_secret.value", self.data.get("client_secret")),
            ("value", self.data),
        ):
            if isinstance(candidate, dict) and isinstance(candidate.get("value"), str):
                expires = candidate.get("expires_at")
                return {"value": candidate["value"], "expires_at": expires, "path": path}
        return None

    @property
    def beta_shape_refused(self) -> bool:
        """Say whether the upstream refused the beta request shape (OpenAI's own API since 2026)."""
        error = self.api_error
        return error is not None and error.get("code") == "beta_api_shape_disabled"

    @property
    def hint(self) -> str:
        """Give one line that explains an HTTP status that is not a success."""
        return explain_status(self.status) if self.status is not None else ""


def read_head(result: Result, response: requests.Response, secrets: Secrets) -> None:
    """Fill ``result`` from the status line and headers of ``response``, secrets masked."""
    result.status = response.status_code
    result.reason = _reason(response.status_code)
    # Named in a failure message ("answered 200 with text/html"): a gateway sets it.
    result.content_type = mask_text(response.headers.get("Content-Type", ""), secrets)
    result.headers = _shown_headers(response.headers, secrets)
    # A call's id is read from it and handed to the browser: never a secret (see calls.py).
    result.location = mask_text(response.headers.get("Location", ""), secrets)


def read_capped(response: requests.Response, max_bytes: int) -> tuple[bytes, bool]:
    """Give up to ``max_bytes`` of the body and whether more was there."""
    chunks: list[bytes] = []
    size = 0
    for chunk in _chunks(response):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False


def read_body(result: Result, raw: bytes, cut: bool, max_bytes: int, secrets: Secrets) -> None:
    """Fill ``result`` from the body ``raw`` (``cut`` at ``max_bytes``): the JSON answer, or the
    start of the text and why it is not an answer."""
    text = raw.decode("utf-8", errors="replace")
    if cut:
        result.text = _shown_text(drop_cut_secret(text, secrets), secrets)
        result.failure_kind = "too_large"
        result.failure = explain_too_large(max_bytes)
        return
    if 300 <= (result.status or 0) < 400:
        result.text = _shown_text(text, secrets)
        result.failure_kind = "redirect"
        result.failure = explain_status(result.status or 300)
        return
    unusable = ""
    try:
        data = strict_json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        data = None
    except ValueError as exc:  # JSON, but not what a page can show (see strict_json)
        data, unusable = None, str(exc)
    if data is None:
        result.text = _shown_text(text, secrets)
        kind = result.content_type.split(";")[0].strip() or "no content type"
        result.failure_kind = "not_json"
        result.failure = explain_not_json(result.status, kind if text.strip() else "", unusable)
        return
    result.is_json = True
    result.data = mask_json(data, secrets)  # object keys as well as values


def _chunks(response: requests.Response) -> Iterator[bytes]:
    """Give the (decoded) body as it arrives: whatever the socket has, up to a chunk
    (``read1``; ``iter_content`` waits for a whole chunk when the length is known).
    urllib3's errors become the ``requests`` ones
    :func:`~playground.transport.explanations.describe_failure` knows.
    """
    raw = response.raw
    while True:
        try:
            chunk: bytes = raw.read1(_CHUNK, decode_content=True)
        except ProtocolError as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from exc
        except ReadTimeoutError as exc:
            raise requests.exceptions.ReadTimeout(exc) from exc
        except DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc) from exc
        if not chunk:
            return
        yield chunk


def _shown_headers(headers: Mapping[str, str], secrets: Secrets) -> list[tuple[str, str]]:
    """Give the headers worth showing (:data:`SHOWN_HEADERS`), names lower-case, masked."""
    shown = []
    for name, value in headers.items():
        lower = name.lower()
        if lower in SHOWN_HEADERS or lower.startswith(SHOWN_PREFIXES):
            shown.append((mask_text(lower, secrets), mask_text(value, secrets)))
    return shown


def _shown_text(text: str, secrets: Secrets) -> str:
    """Give the start of an answer that is not JSON, as the response pane shows it."""
    return mask_text(text, secrets)[:SHOWN_TEXT_CHARS]  # masked first: a cut could split one


def _reason(status: int) -> str:
    """Give the standard phrase of a status (the gateway's own wording is not shown)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
