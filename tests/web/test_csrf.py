"""CSRF: every state-changing post of the page needs the page's token; the mock does not."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from playground.web.constants import FRESH_CSRF_TOKEN_HEADER
from playground.web.csrf import _stored_secret_key

from ..conftest import PAGE_POSTS

POSTS = PAGE_POSTS
#: The routes that answer JSON only, refusals included (the live call's).
JSON_POSTS = ["/call", "/call/hangup"]
HX = {"HX-Request": "true"}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _hidden_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


@pytest.mark.parametrize("url", POSTS)
def test_a_post_without_the_token_is_refused_with_a_message(client, url) -> None:
    client.csrf = False
    response = client.post(url, data={"op": "sessions", "voice": "ash", "pasted": "{}"})
    assert response.status_code == 400
    text = _text(response.get_data(as_text=True))
    assert "without the page's security token" in text and "nothing was done" in text
    assert "Your input is kept" in text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", [url for url in POSTS if url not in JSON_POSTS])
def test_htmx_gets_the_message_in_the_response_pane_and_a_fresh_token(client, url) -> None:
    client.csrf = False
    response = client.post(url, data={"op": "sessions"}, headers=HX)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#response"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert response.headers["HX-Reselect"] == "#response"
    assert len(response.headers[FRESH_CSRF_TOKEN_HEADER]) > 20
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="response"') and "Not done." in html


@pytest.mark.parametrize("url", JSON_POSTS)
def test_a_json_route_gets_the_refusal_as_json_and_a_fresh_token(client, url) -> None:
    assert url in POSTS
    client.csrf = False
    for headers in ({}, HX):
        response = client.post(url, data={"op": "client-secrets"}, headers=headers)
        assert response.status_code == 400 and response.is_json
        assert len(response.headers[FRESH_CSRF_TOKEN_HEADER]) > 20
        answer = response.get_json()
        assert answer["ok"] is False and answer["title"] == "Not done."
        assert "without the page's security token" in answer["message"]


def test_a_full_post_keeps_what_the_user_typed_under_a_banner(client) -> None:
    client.csrf = False
    html = client.post("/", data={"op": "sessions", "instructions": "Be brief."}).get_data(
        as_text=True
    )
    assert 'data-testid="refused-banner"' in html
    assert "Be brief." in html  # the form is drawn from the post, not the defaults


def test_a_refused_import_keeps_the_pasted_text_without_keys(client) -> None:
    client.csrf = False
    pasted = "curl -H 'Authorization: Bearer sk-abcdef123456' -d '{\"voice\": \"ash\"}'"
    html = client.post("/import", data={"op": "sessions", "pasted": pasted}).get_data(as_text=True)
    assert "security token" in html and 'id="import-text"' in html
    assert "&#34;voice&#34;: &#34;ash&#34;" in html  # the pasted text is back in the textarea
    assert "sk-abcdef123456" not in html


def test_the_hidden_field_alone_is_enough_for_a_no_js_post(client) -> None:
    token = _hidden_token(client.get("/").get_data(as_text=True))
    client.csrf = False
    response = client.post("/", data={"op": "sessions", "voice": "ash", "csrf_token": token})
    assert response.status_code == 200 and "refused-banner" not in response.get_data(as_text=True)
    share = client.post("/share", data={"op": "sessions", "csrf_token": token}, headers=HX)
    assert share.status_code == 200 and "/?p=1." in share.get_data(as_text=True)


def test_every_form_of_the_page_carries_the_token(client) -> None:
    html = client.get("/").get_data(as_text=True)
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    assert len(forms) >= 2
    for form in forms:
        if 'method="post"' in form:
            assert 'name="csrf_token"' in form
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert meta and meta.group(1) == _hidden_token(html)


def test_a_token_from_another_session_is_refused(app, client) -> None:
    token = client.token()
    other = app.test_client()
    other.csrf = False
    response = other.post("/preview", data={"op": "sessions"}, headers={"X-CSRFToken": token})
    assert response.status_code == 400


def test_an_expired_token_says_so_and_the_fresh_one_works(app, client) -> None:
    token = client.token()
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is older than that
    client.csrf = False
    refused = client.post("/preview", data={"op": "sessions"}, headers={**HX, "X-CSRFToken": token})
    assert refused.status_code == 400 and "has expired" in _text(refused.get_data(as_text=True))
    fresh = refused.headers[FRESH_CSRF_TOKEN_HEADER]
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    ok = client.post("/preview", data={"op": "sessions"}, headers={**HX, "X-CSRFToken": fresh})
    assert ok.status_code == 200


def test_the_mock_is_an_api_and_needs_no_token(client) -> None:
    client.csrf = False
    response = client.post(
        "/mock/v1/realtime/sessions", json={}, headers={"Authorization": "Bearer sk-x"}
    )
    assert response.status_code == 200


def test_the_session_cookie_is_same_site_and_http_only(client) -> None:
    client.get("/")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.same_site == "Lax" and cookie.http_only


def test_the_secret_key_is_made_once_and_shared(tmp_path: Path) -> None:
    first = _stored_secret_key(tmp_path)
    assert len(first) == 64 and _stored_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_an_unwritable_instance_folder_gives_a_process_key(tmp_path: Path, caplog: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    key = _stored_secret_key(blocker / "instance")  # a folder under a file cannot be made
    assert len(key) == 64 and "PLAYGROUND_SECRET_KEY" in caplog.text
