"""The checks before a send: a credential the browser flags and one the server finds are refused
with one message, and a URL refused before the send or by the transport is told alike."""

from __future__ import annotations

from html import escape

import pytest
import requests

from playground.transport.checks import (
    RequestRefused,
    check_credential,
    check_gateway_url,
    invalid_credential,
)
from playground.transport.explanations import describe_failure


@pytest.mark.parametrize("what", ["key", "organization", "project"])
def test_the_browser_flag_and_the_server_check_refuse_with_one_message(
    upstream, client, what
) -> None:
    app, server = upstream
    with pytest.raises(RequestRefused) as found:
        check_credential("has a space", what)
    message = str(found.value)
    assert message == str(invalid_credential(what)) and f"Invalid {what} format" in message
    sent = {"X-Playground-Gateway": server.url, "X-Playground-Invalid": what}
    html = client.post("/send", data={"op": "sessions"}, headers=sent).get_data(as_text=True)
    assert escape(message) in html and not app.requests


def test_a_url_refused_before_the_send_and_by_the_transport_reads_alike() -> None:
    with pytest.raises(RequestRefused) as found:
        check_gateway_url("http://[::1/v1")
    kind, line = describe_failure(requests.exceptions.InvalidURL("http://[::1/v1"))
    assert kind == "invalid" and line == str(found.value)
