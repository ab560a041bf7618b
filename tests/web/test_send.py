"""``POST /send`` and the send panel: real upstream servers on 127.0.0.1."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask

from playground import create_app
from playground.model.operations import all_operations
from playground.web.gateways import parse_gateways

KEY = "sk-test-key-0123456789"


def _app(**config: Any) -> Flask:
    # Unit tests of sending through the test client: CSRF is proven in test_csrf.py.
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SSRF_GUARD": False, **config})


def _send(client: Any, form: dict[str, Any], **headers: str) -> Any:
    sent = {"X-Playground-" + name.replace("_", "-").title(): v for name, v in headers.items()}
    return client.post("/send", data={"op": "sessions", **form}, headers=sent)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _error(param: str | None, message: str = "Bad value.") -> bytes:
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    return json.dumps({"error": error}).encode()


def test_send_posts_the_previewed_body_to_the_operation_path(upstream, client) -> None:
    app, server = upstream
    app.reply = ("200 OK", [("Content-Type", "application/json")], b'{"id": "sess_1"}')
    form = {"temperature": "0.9", "voice": "verse", "turn_detection@mode": "null"}
    preview = client.post("/preview", data={"op": "sessions", **form}).get_data(as_text=True)
    response = _send(
        client,
        form,
        gateway=quote(server.url + "/v1/"),
        key=KEY,
        organization="org-1",
        project="proj_2",
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    (seen,) = app.requests
    assert seen["path"] == "/v1/realtime/sessions"
    body = json.loads(seen["body"])
    assert body == {"voice": "verse", "turn_detection": None, "temperature": 0.9}
    shown = re.search(r'data-testid="request-body"[^>]*>(.*?)</pre>', preview, re.S)
    assert shown and json.loads(shown.group(1).replace("&#34;", '"')) == body
    assert seen["headers"]["Authorization"] == f"Bearer {KEY}"
    assert seen["headers"]["Openai-Organization"] == "org-1"
    assert seen["headers"]["Openai-Project"] == "proj_2"
    html = response.get_data(as_text=True)
    assert 'data-testid="response"' in html and "200 OK" in html and "sess_1" in html
    for secret in (KEY, "org-1", "proj_2", server.url, str(server.port)):
        assert secret not in html


@pytest.mark.parametrize("op", list(all_operations().values()), ids=lambda op: op.id)
def test_each_operation_posts_to_its_own_path(upstream, client, op) -> None:
    app, server = upstream
    html = client.post(
        "/send",
        data={"op": op.id},
        headers={"X-Playground-Gateway": server.url + "/v1", "X-Playground-Key": KEY},
    ).get_data(as_text=True)
    (seen,) = app.requests
    assert (seen["method"], seen["path"]) == (op.method, "/v1" + op.path)
    assert f"<code>{op.path}</code>" in html


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("400 Bad Request", "The API rejected the request"),
        ("401 Unauthorized", "did not accept the credentials"),
        ("429 Too Many Requests", "Rate limited"),
        ("500 Internal Server Error", "failed on its side"),
    ],
)
def test_api_errors_are_shown_and_explained(upstream, client, status, words) -> None:
    app, server = upstream
    app.reply = (
        status,
        [("Content-Type", "application/json"), ("x-ratelimit-remaining-requests", "0")],
        _error("voice", "Voice 'bob' is not available."),
    )
    html = _send(client, {}, gateway=server.url, key=KEY).get_data(as_text=True)
    text = _text(html)
    assert status in text and words in text
    assert "Voice 'bob' is not available." in text and "invalid_request_error" in text
    assert "x-ratelimit-remaining-requests" in text


def test_the_param_of_an_api_error_is_marked_in_the_form(upstream, client, slot_messages) -> None:
    app, server = upstream
    app.reply = ("400 Bad Request", [("Content-Type", "application/json")], _error("temperature"))
    html = _send(client, {"temperature": "0.9"}, gateway=server.url, key=KEY).get_data(as_text=True)
    assert slot_messages(html) == {"e-f-temperature": "The API says: Bad value."}
    assert 'href="#f-temperature"' in html


def test_a_param_in_an_array_row_finds_its_field(upstream, client, slot_messages) -> None:
    app, server = upstream
    app.reply = ("400 Bad Request", [("Content-Type", "application/json")], _error("tools[0].name"))
    form = {"tools@mode": "set", "tools.0@row": "1", "tools.0.name": "lookup"}
    html = _send(client, form, gateway=server.url, key=KEY).get_data(as_text=True)
    assert "e-f-tools-0-name" in slot_messages(html)


def test_a_form_with_errors_says_send_anyway_and_still_sends(upstream, client) -> None:
    app, server = upstream
    preview = client.post("/preview", data={"op": "sessions", "temperature": "9"})
    html = preview.get_data(as_text=True)
    assert '<span id="send-label" hx-swap-oob="true">Send anyway</span>' in html
    check = re.search(r'<div id="send-check".*?</div>', html, re.S)
    assert check and "temperature" in check.group(0) and "0.6" in check.group(0)
    page = client.get("/").get_data(as_text=True)
    assert '<span id="send-label">Send</span>' in page
    sent = _send(client, {"temperature": "9"}, gateway=server.url, key=KEY)
    assert json.loads(app.requests[0]["body"]) == {"temperature": 9}
    assert "Sent anyway, with 1 problem in the form." in _text(sent.get_data(as_text=True))


def test_a_clean_form_says_send(client) -> None:
    html = client.post("/preview", data={"op": "sessions", "temperature": "1"}).get_data(True)
    assert '<span id="send-label" hx-swap-oob="true">Send</span>' in html
    assert re.search(r'<div id="send-check"[^>]*></div>', html)  # empty: CSS hides it


@pytest.mark.parametrize("key", ["sk-with space", "sk-tab\there", "sk-\x7f"])
def test_invalid_key_format_is_refused_before_any_request(upstream, client, key) -> None:
    app, server = upstream
    html = _send(client, {}, gateway=server.url, key=key).get_data(as_text=True)
    assert "invalid key format" in html.lower() and not app.requests
    assert key not in html


def test_the_browser_flags_a_key_it_cannot_send(upstream, client) -> None:
    app, server = upstream
    html = _send(client, {}, gateway=server.url, invalid="key").get_data(as_text=True)
    assert "Invalid key format" in html and not app.requests


@pytest.mark.parametrize("organization", ["org 1", "org\u00e91"])
def test_invalid_organization_is_refused(upstream, client, organization) -> None:
    app, server = upstream
    sent = {"X-Playground-Gateway": server.url, "X-Playground-Organization": organization}
    html = client.post("/send", data={"op": "sessions"}, headers=sent).get_data(as_text=True)
    assert "Invalid organization format" in html and not app.requests


@pytest.mark.parametrize(
    "url",
    ["http://user:pw@127.0.0.1:9/v1", "http://127.0.0.1:9/v1?key=x", "http://127.0.0.1:9/v1#a"],
)
def test_gateway_urls_with_credentials_or_query_are_refused(upstream, client, url) -> None:
    app, _ = upstream
    html = _send(client, {}, gateway=quote(url), key=KEY).get_data(as_text=True)
    assert "Not sent." in html and not app.requests
    assert "user:pw" not in html and "key=x" not in html


def test_a_plain_form_post_cannot_choose_the_gateway(upstream, client) -> None:
    """Only headers pick the target, so a cross-site form (which cannot set them) sends nothing."""
    app, server = upstream
    form = {"op": "sessions", "gateway": server.url, "key": KEY, "gateway_name": "x"}
    html = client.post("/send", data=form).get_data(as_text=True)
    assert "Not sent." in html and not app.requests


def test_without_a_gateway_nothing_is_sent(client) -> None:
    html = _send(client, {}, key=KEY).get_data(as_text=True)
    assert "Enter a gateway URL above to enable sending." in html


def test_transport_failure_is_one_line(client) -> None:
    html = _send(client, {}, gateway="http://127.0.0.1:1/v1", key=KEY).get_data(as_text=True)
    failure = re.search(r'data-testid="send-failure">([^<]*)<', html)
    assert failure and "refused the connection" in failure.group(1)
    assert "Traceback" not in html and "127.0.0.1:1" not in html


def test_a_tiny_configured_timeout_applies(upstream) -> None:
    app, server = upstream

    app.hang()
    client = _app(SEND_READ_TIMEOUT=0.1).test_client()
    html = _send(client, {}, gateway=server.url, key=KEY).get_data(as_text=True)
    assert "did not answer in time" in html and "No response" in html


def test_unknown_operation_is_explained(client) -> None:
    html = client.post("/send", data={"op": "nope"}).get_data(as_text=True)
    assert "Unknown operation" in html


# Operator-configured gateways -------------------------------------------------------------


def _gateways(url: str) -> list[dict[str, str]]:
    return [{"name": "Team gateway", "base_url": url + "/v1", "key_env": "TEAM_KEY_FOR_TEST"}]


def test_configured_gateway_gets_its_key_from_the_environment(upstream, monkeypatch) -> None:
    app, server = upstream
    monkeypatch.setenv("TEAM_KEY_FOR_TEST", "sk-server-side")
    client = _app(GATEWAYS=_gateways(server.url)).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Team gateway" in page and "sk-server-side" not in page and server.url not in page
    html = _send(client, {}, gateway_name=quote("Team gateway"), key="sk-ignored")
    (seen,) = app.requests
    assert seen["path"] == "/v1/realtime/sessions"
    assert seen["headers"]["Authorization"] == "Bearer sk-server-side"
    text = html.get_data(as_text=True)
    assert "via Team gateway" in _text(text) and "sk-server-side" not in text


def test_a_configured_gateways_own_values_never_reach_the_visitor(upstream, monkeypatch) -> None:
    """OpenAI's errors name the organization and project; an echoing gateway names the key."""
    app, server = upstream
    monkeypatch.setenv("TEAM_KEY_FOR_TEST", "sk-server-side")
    owned = {"organization": "org-OPERATOR1", "project": "proj_OPERATOR2"}
    client = _app(GATEWAYS=[{**_gateways(server.url)[0], **owned}]).test_client()
    message = "Limit reached in organization org-OPERATOR1, project proj_OPERATOR2 (sk-server-side)"
    error = {"message": message, "type": "requests", "param": None, "code": None}
    headers = [("Content-Type", "application/json"), ("x-request-id", "req-org-OPERATOR1")]
    app.reply = ("429 Too Many Requests", headers, json.dumps({"error": error}).encode())
    html = _send(client, {}, gateway_name=quote("Team gateway")).get_data(as_text=True)
    assert app.requests[0]["headers"]["Openai-Organization"] == "org-OPERATOR1"
    assert not [value for value in ("sk-server-side", "OPERATOR1", "OPERATOR2") if value in html]
    shown = _text(html)
    assert "organization [the gateway's organization], project [the gateway's project]" in shown
    assert "([the gateway's key])" in shown


def test_the_visitors_own_credentials_echoed_back_are_hidden_too(upstream, client) -> None:
    app, server = upstream
    message = f"No access in organization org-MINE1, project proj_MINE2, with {KEY}"
    error = {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    app.reply = (
        "403 Forbidden",
        [("Content-Type", "application/json")],
        json.dumps({"error": error}).encode(),
    )
    gateway = quote(server.url + "/v1")
    html = _send(
        client, {}, gateway=gateway, key=KEY, organization="org-MINE1", project="proj_MINE2"
    )
    assert app.requests[0]["headers"]["Openai-Project"] == "proj_MINE2"
    assert "MINE1" not in html.get_data(as_text=True) and "MINE2" not in html.get_data(as_text=True)
    shown = _text(html.get_data(as_text=True))
    assert "organization [your organization], project [your project], with [your key]" in shown


def test_configured_gateway_without_its_key_is_explained(upstream, monkeypatch) -> None:
    app, server = upstream
    monkeypatch.delenv("TEAM_KEY_FOR_TEST", raising=False)
    client = _app(GATEWAYS=_gateways(server.url)).test_client()
    html = _send(client, {}, gateway_name="Team gateway").get_data(as_text=True)
    assert "no key for the gateway" in html and not app.requests
    html = _send(client, {}, gateway_name="Other").get_data(as_text=True)
    assert "no gateway of that name" in html


def test_hosted_mode_sends_only_to_configured_gateways(upstream, monkeypatch) -> None:
    app, server = upstream
    monkeypatch.setenv("TEAM_KEY_FOR_TEST", "sk-server-side")
    client = _app(GATEWAYS=_gateways(server.url), SEND_CONFIGURED_ONLY=True).test_client()
    html = _send(client, {}, gateway=server.url, key=KEY).get_data(as_text=True)
    assert "only to its configured gateways" in html and not app.requests
    page = client.get("/").get_data(as_text=True)
    assert 'id="auth-key"' not in page and 'id="auth-gateway"' not in page
    assert "Built-in mock" not in page and "Team gateway" in page
    _send(client, {}, gateway_name="Team gateway")
    assert len(app.requests) == 1


def test_gateways_come_from_the_environment(monkeypatch) -> None:
    gateways = [{"name": "Env gw", "base_url": "https://gw.example/v1", "key_env": "K"}]
    monkeypatch.setenv("PLAYGROUND_GATEWAYS", json.dumps(gateways))
    monkeypatch.setenv("PLAYGROUND_SEND_CONFIGURED_ONLY", "true")
    monkeypatch.setenv("PLAYGROUND_SEND_READ_TIMEOUT", "12")
    app = create_app()
    assert list(app.config["GATEWAYS"]) == ["Env gw"]
    assert app.config["SEND_CONFIGURED_ONLY"] is True
    assert app.extensions["playground.upstream"].limits.read_timeout == 12


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        ({"name": "x"}, "must be a list"),
        ([{"base_url": "https://a/v1"}], "needs a name"),
        ([{"name": "a", "base_url": "https://u:p@a/v1"}], "user name or password"),
        ([{"name": "a", "base_url": "https://a/v1", "secret": "x"}], "unknown keys"),
        (
            [{"name": "a", "base_url": "https://a"}, {"name": "a", "base_url": "https://b"}],
            "unique",
        ),
    ],
)
def test_bad_gateway_configuration_fails_at_start(entries, words) -> None:
    with pytest.raises(ValueError, match=words):
        parse_gateways(entries)


# The page ---------------------------------------------------------------------------------


def test_the_panel_has_named_inputs_outside_the_form(client) -> None:
    html = client.get("/").get_data(as_text=True)
    form = html[html.index('<form id="session-form"') : html.index("</form>")]
    for element in ("auth-key", "auth-gateway", "auth-organization", "auth-project"):
        assert f'id="{element}"' in html and f'id="{element}"' not in form
        tag = re.search(rf'<input id="{element}"[^>]*>', html)
        assert tag and " name=" not in tag.group(0)
    assert '<label for="auth-key">API key</label>' in html
    assert '<label for="auth-gateway">Gateway URL</label>' in html
    assert re.search(r'<input id="auth-key" type="password"', html)
    assert "Enter a gateway URL above to enable sending." in html
    assert re.search(r'<button type="button" id="send-button"[^>]* disabled', html)
    assert "Built-in mock (offline)" in html
    assert 'data-gateway="http://localhost/mock/v1"' in html
    assert "<script>" not in html and "onclick" not in html and "style=" not in html


def test_the_mock_choice_disappears_when_the_mock_is_off() -> None:
    html = _app(MOCK_ENABLED=False).test_client().get("/").get_data(as_text=True)
    assert "Built-in mock" not in html


def test_beta_shape_refused_upstream_offers_open_as_ga(upstream, client) -> None:
    app, server = upstream
    refusal = {
        "error": {
            "message": "The Realtime Beta API is no longer supported. Please use "
            "/v1/realtime for the GA API.",
            "type": "invalid_request_error",
            "param": None,
            "code": "beta_api_shape_disabled",
        }
    }
    app.reply = (
        "400 Bad Request",
        [("Content-Type", "application/json")],
        json.dumps(refusal).encode(),
    )
    html = _send(client, {"temperature": "0.9"}, gateway=server.url + "/v1", key=KEY).get_data(
        as_text=True
    )
    assert 'data-testid="beta-refused"' in html
    assert 'formaction="/convert"' in html and "Open as Client secret (GA)" in html
    assert "beta_api_shape_disabled" in _text(html)


def test_ga_success_names_where_the_key_was(upstream, client) -> None:
    app, server = upstream
    app.reply = (
        "200 OK",
        [("Content-Type", "application/json")],
        b'{"value": "ek_abc", "expires_at": 1, "session": {"type": "realtime"}}',
    )
    response = client.post(
        "/send",
        data={"op": "client-secrets"},
        headers={"X-Playground-Gateway": server.url, "X-Playground-Key": KEY},
    )
    html = response.get_data(as_text=True)
    assert "Ephemeral key <code>value</code>" in html and 'value="ek_abc"' in html
    assert app.requests[-1]["path"] == "/realtime/client_secrets"
    assert 'data-testid="beta-refused"' not in html


def test_a_nested_ga_param_marks_its_field(upstream, client, slot_messages) -> None:
    app, server = upstream
    app.reply = (
        "400 Bad Request",
        [("Content-Type", "application/json")],
        _error("session.audio.output.speed", "Invalid 'session.audio.output.speed'."),
    )
    form = {
        "op": "client-secrets",
        "session@mode": "realtime",
        "session:realtime.audio.output.speed": "1.5",
    }
    html = client.post(
        "/send", data=form, headers={"X-Playground-Gateway": server.url, "X-Playground-Key": KEY}
    ).get_data(as_text=True)
    assert "e-f-session-realtime-audio-output-speed" in slot_messages(html)
    assert 'href="#f-session-realtime-audio-output-speed"' in html


def test_the_own_mock_needs_no_key_typed(client) -> None:
    """Offline in one click: a send to the built-in mock with no key gets the mock's answer
    (an ephemeral key), not a 401; the mock's placeholder key is the server's, never shown."""
    from playground.mock import PLACEHOLDER_KEY

    form = {"op": "client-secrets", "session@mode": "realtime"}
    response = _send(client, form, gateway=quote("http://localhost/mock/v1"))
    html = response.get_data(as_text=True)
    assert 'data-testid="ephemeral"' in html and "401" not in _text(html)
    assert PLACEHOLDER_KEY not in html


def test_a_typed_key_wins_and_only_the_own_mock_gets_the_placeholder() -> None:
    from playground.mock import PLACEHOLDER_KEY
    from playground.web.send_target import target_for

    app = _app()
    mock = {"X-Playground-Gateway": "http://localhost/mock/v1"}
    cases = [
        (mock, f"Bearer {PLACEHOLDER_KEY}"),
        ({**mock, "X-Playground-Key": KEY}, f"Bearer {KEY}"),
        ({"X-Playground-Gateway": "http://127.0.0.1:9/v1"}, None),
    ]
    for headers, expected in cases:
        with app.test_request_context("/send", method="POST", headers=headers):
            assert target_for("/realtime/client_secrets").headers.get("Authorization") == expected
