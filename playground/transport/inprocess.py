"""Sends to this server's own mock answered in process: a ``requests`` transport adapter that
calls a WSGI app directly.

The mock's URL is the page's own host, which a visitor can name in the ``Host`` header: going
through the network would let that header pick the address the server connects to. In process,
no address is involved, the mock works behind the SSRF guard, and a single-threaded server can
send to its own mock.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit
from wsgiref.types import WSGIApplication

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client

#: The base URL sends to the in-process app go to (``.invalid`` never resolves).
BASE = "http://in-process.invalid"


class _Body(io.BytesIO):
    """The answer's bytes, readable like urllib3's response (``read1`` with ``decode_content``)."""

    def read1(self, size: int | None = -1, /, decode_content: bool | None = None) -> bytes:
        """Give up to ``size`` bytes (the body is never encoded: ``decode_content`` changes
        nothing)."""
        return super().read1(size)


class WSGIAdapter(BaseAdapter):
    """Answers requests to :data:`BASE` by calling ``wsgi_app`` in this thread; with ``only``
    (a path prefix), only requests under it: anything else gets a JSON 404 of its own."""

    def __init__(self, wsgi_app: WSGIApplication, only: str = "") -> None:
        super().__init__()
        self.client = Client(wsgi_app, use_cookies=False)  # one client serves every visitor
        self.only = only.rstrip("/")

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Give the app's answer to ``request`` as a ``requests`` response (in this thread, at
        once: the connection options have nothing to apply to)."""
        parts = urlsplit(request.url or "")
        if self.only and not _under(parts.path, self.only):
            return self._not_here(request)
        body = request.body.encode() if isinstance(request.body, str) else request.body
        answer = self.client.open(
            parts.path,
            method=request.method or "GET",
            query_string=parts.query,
            headers=list(request.headers.items()),
            data=body or b"",
        )
        try:
            return _response(
                request, answer.status_code, list(answer.headers.items()), answer.get_data()
            )
        finally:
            answer.close()

    def _not_here(self, request: requests.PreparedRequest) -> requests.Response:
        """Give the 404 for a path outside ``only`` (the app is not asked: no other route of
        it is reached by a send)."""
        message = (
            f"This address is not the playground's mock: the mock's gateway URL ends in "
            f"{self.only} (the send panel offers it)."
        )
        error = {"message": message, "type": "invalid_request_error", "param": None, "code": None}
        body = json.dumps({"error": error}).encode()
        return _response(request, 404, [("Content-Type", "application/json")], body)

    def close(self) -> None:
        """Nothing to close: there are no connections."""


def _under(path: str, prefix: str) -> bool:
    """Give whether ``path``, as the app reads it (percent-decoded), is ``prefix`` or under it,
    with no ``..`` segment to climb out."""
    decoded = unquote(path, errors="replace")
    if ".." in decoded.split("/"):
        return False
    return decoded == prefix or decoded.startswith(prefix + "/")


def _response(
    request: requests.PreparedRequest, status: int, headers: list[tuple[str, str]], body: bytes
) -> requests.Response:
    """Give a ``requests`` response holding an answer made in process."""
    response = requests.Response()
    response.status_code = status
    response.reason = ""  # the page shows the standard phrase of the status, never this
    response.headers = CaseInsensitiveDict(headers)
    response.raw = _Body(body)
    response.url = request.url or ""
    response.request = request
    # What requests reads text with (Werkzeug 3.1 has no Response.charset: an AttributeError).
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response
