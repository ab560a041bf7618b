"""Sends to this server's own mock answered in process: a ``requests`` transport adapter that
calls a WSGI app directly.

The mock's URL is the page's own host, which a visitor can name in the ``Host`` header: going
through the network would let that header pick the address the server connects to. In process,
no address is involved, the mock works behind the SSRF guard, and a single-threaded server can
send to its own mock.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from werkzeug.test import Client

#: The base URL sends to the in-process app go to (``.invalid`` never resolves).
BASE = "http://in-process.invalid"


class _Body(io.BytesIO):
    """The answer's bytes, readable like urllib3's response (``read1`` with ``decode_content``)."""

    def read1(self, size: int = -1, decode_content: bool | None = None) -> bytes:
        return super().read1(size)


class WSGIAdapter(BaseAdapter):
    """Answers requests to :data:`BASE` by calling ``wsgi_app`` in this thread."""

    def __init__(self, wsgi_app: Any) -> None:
        super().__init__()
        self.client = Client(wsgi_app, use_cookies=False)  # one client serves every visitor

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Give the app's answer to ``request`` as a ``requests`` response."""
        parts = urlsplit(request.url or "")
        body = request.body.encode() if isinstance(request.body, str) else request.body
        answer = self.client.open(
            parts.path,
            method=request.method or "GET",
            query_string=parts.query,
            headers=list(request.headers.items()),
            data=body or b"",
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.status.partition(" ")[2]
        response.headers = CaseInsensitiveDict(answer.headers.items())
        response.raw = _Body(answer.get_data())
        response.url = request.url or ""
        response.request = request
        response.encoding = answer.charset if answer.mimetype.startswith("text/") else None
        answer.close()
        return response

    def close(self) -> None:
        """Nothing to close: there are no connections."""
