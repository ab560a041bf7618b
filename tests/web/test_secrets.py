"""The API key never leaks (logs at DEBUG, HTML, links, snippets, errors, htmx history), hostile
values come out escaped everywhere, and the pinned client libraries are what is installed."""

from __future__ import annotations

import json
import logging
import re
from html import unescape
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from werkzeug.datastructures import MultiDict

from playground.codecs.share_token import decode_token
from playground.model.form_data import FormData
from playground.model.form_filler import form_from_body
from playground.model.form_reader import build_body
from playground.model.operations import get_operation

KEY = "sk-proj-SECRETsecret0123456789abcdef"
HOSTILE = "</script><script>alert(1)</script>"
ROOT = Path(__file__).resolve().parents[2]


def _echo(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """An upstream that echoes the Authorization header in its body and its headers."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    body = json.dumps(
        {"error": {"message": f"bad key {auth} {HOSTILE}", "type": HOSTILE, "param": None}}
    ).encode()
    start_response(
        "401 Unauthorized",
        [
            ("Content-Type", "application/json"),
            ("x-request-id", f"req_{auth}"),
            ("x-ratelimit-limit-requests", HOSTILE),
        ],
    )
    return [body]


@pytest.mark.parametrize("op", ["sessions", "client-secrets"])
def test_the_key_never_reaches_logs_html_or_errors(
    make_app, upstream, serve_wsgi, caplog, op
) -> None:
    recorder, server = upstream
    recorder.handler = _echo
    app = make_app()
    live = serve_wsgi(app)
    caplog.set_level(logging.DEBUG)  # root, urllib3, werkzeug, the app: everything
    for name in ("urllib3", "urllib3.connectionpool", "werkzeug", "playground", "requests"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    session = requests.Session()
    page = session.get(live.url + "/", timeout=5).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    headers = {
        "X-CSRFToken": token,
        "HX-Request": "true",
        "X-Playground-Gateway": quote(server.url + "/v1"),
        "X-Playground-Key": KEY,
    }
    answer = session.post(live.url + "/send", data={"op": op}, headers=headers, timeout=5)
    assert answer.status_code == 200 and "401" in answer.text
    assert KEY not in answer.text and "[your key]" in answer.text  # masked where echoed
    assert HOSTILE not in answer.text and "&lt;/script&gt;&lt;script&gt;" in answer.text
    assert recorder.requests[0]["headers"]["Authorization"] == f"Bearer {KEY}"
    # a refused send and a failed one: their messages do not repeat the key either
    bad = session.post(
        live.url + "/send",
        data={"op": op},
        headers={**headers, "X-Playground-Gateway": quote("http://127.0.0.1:1/v1")},
        timeout=5,
    )
    assert KEY not in bad.text and "refused the connection" in bad.text
    assert caplog.records, "the loggers were quiet: the test would prove nothing"
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert KEY not in logged and "SECRETsecret" not in logged
    assert server.url not in logged and f":{server.port}" not in logged


def test_htmx_keeps_no_history_of_the_page(client) -> None:
    html = client.get("/").get_data(as_text=True)
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert config
    settings = json.loads(config.group(1))
    assert settings["historyCacheSize"] == 0 and settings["allowEval"] is False
    assert settings["allowScriptTags"] is False and settings["selfRequestsOnly"] is True


def test_the_key_has_no_form_field_so_links_and_snippets_cannot_carry_it(client) -> None:
    html = client.get("/").get_data(as_text=True)
    key_input = re.search(r"<input id=\"auth-key\"[^>]*>", html)
    assert key_input and " name=" not in key_input.group(0)
    # Even posted as a form field, it goes nowhere: not in the share link, snippet or preview.
    form = {"op": "sessions", "voice": "ash", "api_key": KEY, "key": KEY, "gateway": "http://evil"}
    for url in ("/preview", "/snippet", "/share", "/"):
        text = client.post(url, data=form, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert KEY not in text and "http://evil" not in text
    share = client.post("/share", data=form, headers={"HX-Request": "true"}).get_data(as_text=True)
    link = re.search(r"/\?p=([A-Za-z0-9._-]+)", share).group(1)
    assert decode_token(link) == {"voice": "ash"}


def test_a_share_link_cannot_set_the_gateway_or_send(client, upstream) -> None:
    recorder, server = upstream
    from playground.codecs.share_token import encode_token

    token = encode_token({"voice": "ash", "gateway": server.url, "base_url": server.url})
    html = client.get(f"/?p={token}").get_data(as_text=True)
    assert recorder.requests == []  # opening a link sends nothing
    assert server.url not in html.replace("&#34;", '"').split('id="loaded-banner"')[0]
    assert 'id="auth-gateway"' in html and 'value="' + server.url not in html
    assert "gateway" in html and "base_url" in html  # named as not fitting the form


@pytest.mark.parametrize("field", ["instructions", "tools.0.name", "tools.0.description"])
def test_hostile_values_come_out_escaped_everywhere(client, field) -> None:
    form = {"op": "sessions", "tools@mode": "set", "tools.0@row": "1", "tools.0.type": "function"}
    form[field] = HOSTILE
    for url in ("/", "/preview", "/form", "/snippet", "/share"):
        for headers in ({}, {"HX-Request": "true"}):
            text = client.post(url, data=form, headers=headers).get_data(as_text=True)
            assert "<script>alert(1)" not in text, url
            assert "alert(1)" in text or url == "/share"  # it is there, escaped
    exported = client.post("/export", data=form)
    assert exported.mimetype == "application/json" and HOSTILE in exported.get_data(as_text=True)


def test_hostile_values_in_the_ga_operation_come_out_escaped_everywhere(client) -> None:
    op = get_operation("client-secrets")
    tool = {"type": "function", "name": HOSTILE, "description": HOSTILE}
    body = {"session": {"type": "realtime", "instructions": HOSTILE, "tools": [tool]}}
    pairs = [*form_from_body(op.root, body).form.items(multi=True), ("op", op.id)]
    assert build_body(op.root, FormData(pairs)).body == body  # the form carries every value
    form = MultiDict(pairs)
    for url in ("/", "/preview", "/form", "/snippet", "/share", "/convert"):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(url, data=form, headers=headers)
            text = response.get_data(as_text=True)
            assert "<script>alert(1)" not in text, url
            assert "alert(1)" in text or url in ("/share", "/convert"), url


def test_templates_reach_scripts_only_through_tojson() -> None:
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # No inline script; a JSON data block (never run) holds one value written by tojson.
        assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', text)
        for data in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', text, re.S):
            assert re.fullmatch(r"\{\{[^{}]*\|tojson \}\}", data), (path, data)
        assert not re.search(r"\son[a-z]+=", text), path  # no inline handlers
        assert "|safe" not in text.replace(" ", ""), path  # nothing marked safe by hand
        for value in re.findall(r"\{\{[^}]*\}\}", text):
            if "<script" in value:
                assert "tojson" in value, (path, value)


def test_pinned_client_libraries_are_installed() -> None:
    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", v)[:3])

    assert parts(version("requests")) >= (2, 32, 4)
    assert parts(version("urllib3")) >= (2, 6, 3)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"requests>=2.32.4"' in pyproject and '"urllib3>=2.6.3"' in pyproject


OPERATOR = {
    "key": "sk-proj-OPERATORkey0123456789",
    "org": "org-OPERATORorg42",
    "project": "proj_OPERATOR77",
}


def _esc(text: str, times: int = 1) -> str:
    """Give ``text`` with every character as a JSON \\u escape (its backslash escaped
    ``times - 1`` more times)."""
    return "".join("\\" * (2 ** (times - 1)) + f"u{ord(c):04x}" for c in text)


def _split(text: str, by: bytes) -> bytes:
    return text[:9].encode() + by + text[9:].encode()


_K, _O, _P = OPERATOR["key"], OPERATOR["org"], OPERATOR["project"]
#: Answers echoing the operator's credentials in every shape a probe tried or could try.
ECHOES: dict[str, tuple[list[tuple[str, str]], bytes]] = {
    "as a JSON key": ([], json.dumps({_K: "x", "e": {_O: [{_P: 1}]}}).encode()),
    "escaped in JSON": ([], ('{"m": "' + _esc(_K) + " " + _esc(_O) + '"}').encode()),
    "escaped twice": ([], ('{"m": "' + _esc(_K, 2) + " " + _esc(_P, 2) + '"}').encode()),
    "mixed escapes, a key": ([], ('{"' + _esc(_K[:5]) + _K[5:] + '": 1}').encode()),
    "invalid byte in a value": ([], b'{"m": "' + _split(_K, b"\xff") + b'"}'),
    "invalid byte in a key": ([], b'{"' + _split(_O, b"\xc3") + b'": 1}'),
    "invalid byte in text": ([("Content-Type", "text/plain")], b"echo " + _split(_K, b"\xfe")),
    "escaped in text": ([("Content-Type", "text/html")], ("<p>" + _esc(_K) + "</p>").encode()),
    "zero-width in text": (
        [("Content-Type", "text/plain")],
        _K[:6].encode() + "\u200b".encode() + _K[6:].encode(),
    ),
    "in header names and values": (
        [(f"x-ratelimit-{_K}", "1"), ("x-request-id", "req_" + _esc(_O)), ("retry-after", _P)],
        b"{}",
    ),
    "as the content type": ([("Content-Type", f"text/{_K}")], b"not json"),
}


@pytest.mark.parametrize(("headers", "body"), ECHOES.values(), ids=list(ECHOES))
def test_an_echo_in_any_shape_never_shows_the_operators_credentials(
    make_app, upstream, monkeypatch, reveal, headers, body
) -> None:
    recorder, server = upstream
    headers = (
        headers
        if any(n == "Content-Type" for n, _ in headers)
        else [("Content-Type", "application/json"), *headers]
    )
    recorder.reply = ("400 Bad Request", headers, body)
    monkeypatch.setenv("OPERATOR_KEY_FOR_TEST", _K)
    gateway = {
        "name": "Team",
        "base_url": server.url + "/v1",
        "key_env": "OPERATOR_KEY_FOR_TEST",
        "organization": _O,
        "project": _P,
    }
    client = make_app(GATEWAYS=[gateway]).test_client()
    html = client.post(
        "/send", data={"op": "sessions"}, headers={"X-Playground-Gateway-Name": "Team"}
    ).get_data(as_text=True)
    assert recorder.requests[0]["headers"]["Authorization"] == f"Bearer {_K}"
    assert 'data-testid="response-status"' in html and "400" in html
    shown = reveal(unescape(html)).lower()  # a header name is shown lower-cased
    for secret in OPERATOR.values():
        assert secret.lower() not in shown
    assert "[the gateway's" in unescape(html)  # masked, not dropped


@pytest.mark.parametrize("name", ["as a JSON key", "invalid byte in a value", "escaped twice"])
def test_an_echo_of_the_visitors_own_key_is_masked_the_same_way(
    client, upstream, reveal, name
) -> None:
    recorder, server = upstream
    headers, body = ECHOES[name]
    recorder.reply = ("401 Unauthorized", [("Content-Type", "application/json"), *headers], body)
    html = client.post(
        "/send",
        data={"op": "sessions"},
        headers={
            "X-Playground-Gateway": quote(server.url + "/v1"),
            "X-Playground-Key": _K,
            "X-Playground-Organization": _O,
            "X-Playground-Project": _P,
        },
    ).get_data(as_text=True)
    shown = reveal(unescape(html))
    assert not [secret for secret in OPERATOR.values() if secret in shown]
    assert "[your " in unescape(html)
