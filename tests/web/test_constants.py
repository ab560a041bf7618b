"""The names the server and the page's scripts share come from one module, as the page gives
them (a JSON data block) and as the Python side uses them."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from playground.transport.checks import RequestRefused, check_credential
from playground.web.constants import STORAGE_PREFIX, page_constants

HX = {"HX-Request": "true"}


def _block(html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="playground-constants">(.*?)</script>', html, re.S
    )
    assert found, "the page has no constants block"
    return json.loads(unescape(found.group(1)))


@pytest.mark.parametrize("url", ["/", "/?op=client-secrets", "/nope-404"])
def test_every_page_gives_the_scripts_the_same_constants(client, url) -> None:
    assert _block(client.get(url).get_data(as_text=True)) == page_constants()


def test_storage_keys_share_a_prefix_and_differ() -> None:
    keys = list(page_constants()["storage"].values())
    assert all(key.startswith(STORAGE_PREFIX) for key in keys)
    assert len(set(keys)) == len(keys)


def test_the_send_reads_the_headers_the_page_is_told_to_set(upstream, client) -> None:
    app, server = upstream
    named = page_constants()["headers"]
    sent = {named["gateway"]: server.url + "/v1", named["key"]: "sk-named-1"}
    sent |= {named["organization"]: "org-named", named["project"]: "proj_named"}
    assert client.post("/send", data={"op": "sessions"}, headers=sent).status_code == 200
    (seen,) = app.requests
    assert seen["headers"]["Authorization"] == "Bearer sk-named-1"
    assert seen["headers"]["Openai-Organization"] == "org-named"
    assert seen["headers"]["Openai-Project"] == "proj_named"
    refused = client.post(
        "/send", data={"op": "sessions"}, headers={**sent, named["invalid"]: "key"}
    )
    assert "Invalid key format" in refused.get_data(as_text=True) and len(app.requests) == 1


def test_csrf_uses_the_headers_the_page_is_told(app, client) -> None:
    named = page_constants()["headers"]
    client.csrf = False
    token = client.token()
    ok = client.post("/update", data={"op": "sessions"}, headers={named["csrfToken"]: token})
    assert ok.status_code == 200
    refused = client.post("/update", data={"op": "sessions"}, headers=HX)
    assert refused.status_code == 400 and refused.headers[named["freshCsrfToken"]]


@pytest.mark.parametrize(
    "value", ["sk-abc_123", "a" * 200, "with space", "tab\there", "ñ", "sk-\x7f", "\x21\x7e", ""]
)
def test_the_server_refuses_exactly_what_the_page_rule_refuses(value) -> None:
    page_ok = re.fullmatch(page_constants()["headerValueChar"] + "*", value) is not None
    try:
        check_credential(value, "key")
        server_ok = True
    except RequestRefused:
        server_ok = False
    assert page_ok == server_ok
