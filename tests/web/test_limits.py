"""Limits on posts: size, fields, string length, rows, header values; a clear 413 in the page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest

HX = {"HX-Request": "true"}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize(
    "form",
    [
        {"instructions": "x" * 600_000},  # over MAX_CONTENT_LENGTH
        {"instructions": "x" * 300_000},  # over MAX_FORM_MEMORY_SIZE in one field
        {f"tools.{i}.name": "t" for i in range(2100)},  # over MAX_FORM_PARTS
    ],
    ids=["whole-post", "one-field", "field-count"],
)
@pytest.mark.parametrize("url", ["/", "/preview", "/send", "/share", "/snippet"])
def test_a_post_over_the_limits_gets_a_413_that_says_so(client, url, form) -> None:
    full = client.post(url, data={"op": "sessions", **form})
    assert full.status_code == 413
    text = _text(full.get_data(as_text=True))
    assert "too large to read" in text and "nothing was done" in text
    assert 'data-testid="refused-banner"' in full.get_data(as_text=True)
    htmx = client.post(url, data={"op": "sessions", **form}, headers=HX)
    assert htmx.status_code == 413 and htmx.headers["HX-Retarget"] == "#response"
    assert "too large to read" in htmx.get_data(as_text=True)


def test_a_long_but_allowed_instruction_goes_through(client) -> None:
    response = client.post("/preview", data={"op": "sessions", "instructions": "y" * 200_000})
    assert response.status_code == 200 and "y" * 1000 in response.get_data(as_text=True)


def test_the_limits_are_settings(make_app) -> None:
    client = make_app(MAX_FORM_MEMORY_SIZE=1000, MAX_FORM_PARTS=5).test_client()
    assert (
        client.post("/preview", data={"op": "sessions", "instructions": "z" * 1001}).status_code
        == 413
    )
    text = _text(
        client.post(
            "/preview", data={"op": "sessions", "a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}
        ).get_data(as_text=True)
    )
    assert "more than 5 fields" in text


def test_more_tool_rows_than_the_schema_allows_are_reported(client) -> None:
    form = {"op": "sessions", "tools@mode": "set"}
    for i in range(129):
        form[f"tools.{i}@row"] = "1"
        form[f"tools.{i}.type"] = "function"
        form[f"tools.{i}.name"] = f"t{i}"
    html = client.post("/preview", data=form).get_data(as_text=True)
    assert response_problem(html, "tools")


def response_problem(html: str, path: str) -> bool:
    found = re.search(r'data-testid="problems".*?</div>', html, re.S)
    return bool(found) and path in _text(found.group(0)) and "128" in _text(found.group(0))


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_X_PLAYGROUND_KEY": "sk-abc\r\nX-Injected: 1"},
        {"HTTP_X_PLAYGROUND_KEY": "sk-abc\nX-Injected: 1"},
        {"HTTP_X_PLAYGROUND_ORGANIZATION": "org-1\rX"},
        {"HTTP_X_PLAYGROUND_PROJECT": "proj_1\n"},
    ],
)
def test_header_values_with_cr_or_lf_are_refused_before_any_request(
    make_app, upstream, environ
) -> None:
    app, server = upstream
    client = make_app().test_client()
    sent = {"X-Playground-Gateway": quote(server.url + "/v1"), "X-Playground-Key": "sk-ok"}
    # Raw line breaks in the WSGI environ, as a lax front server could pass them on.
    response = client.post(
        "/send", data={"op": "sessions"}, headers=sent, environ_overrides=environ
    )
    text = _text(response.get_data(as_text=True))
    assert "Not sent." in text and "line break" in text
    assert app.requests == []


def test_the_page_marks_a_key_it_cannot_send_and_the_server_refuses_it(make_app, upstream) -> None:
    app, server = upstream
    client = make_app().test_client()
    sent = {"X-Playground-Gateway": quote(server.url + "/v1"), "X-Playground-Invalid": "key"}
    text = _text(client.post("/send", data={"op": "sessions"}, headers=sent).get_data(as_text=True))
    assert "Invalid key format" in text and app.requests == []


def test_a_configured_key_with_a_line_break_is_refused(make_app, upstream, monkeypatch) -> None:
    app, server = upstream
    monkeypatch.setenv("LIMITS_TEAM_KEY", "sk-team\r\nX-Injected: 1")
    gateways = [{"name": "Team", "base_url": server.url + "/v1", "key_env": "LIMITS_TEAM_KEY"}]
    client = make_app(GATEWAYS=gateways).test_client()
    html = client.post(
        "/send", data={"op": "sessions"}, headers={"X-Playground-Gateway-Name": "Team"}
    )
    assert "line break" in _text(html.get_data(as_text=True)) and app.requests == []


def test_a_gateway_url_with_a_line_break_is_refused_before_any_request(make_app, upstream) -> None:
    app, server = upstream
    client = make_app().test_client()
    sent = {
        "X-Playground-Gateway": quote(server.url + "/v1\r\nHost: evil"),
        "X-Playground-Key": "sk-ok",
    }
    text = _text(client.post("/send", data={"op": "sessions"}, headers=sent).get_data(as_text=True))
    assert "Not sent." in text and "control characters" in text
    assert app.requests == []
