"""The snippet pane on the page and POST /snippet."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from playground.operations import Operation
from playground.snippet_pane import safe_base_url
from playground.snippets import LANGUAGES, render_snippet


def _panels(page: str) -> dict[str, str]:
    found = re.findall(r'data-testid="snippet-(\w+)"[^>]*><code>(.*?)</code></pre>', page, re.S)
    return {lang: html.unescape(re.sub(r"<[^>]+>", "", code)) for lang, code in found}


def test_page_has_the_pane_with_a_tab_per_language(client: FlaskClient) -> None:
    """The page shows the pane in the output column, one tab and one panel per language."""
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="snippet"' in page
    assert page.index('data-testid="request-body"') < page.index('data-testid="snippet"')
    assert page.count('role="tab"') == len(LANGUAGES)
    assert set(_panels(page)) == set(LANGUAGES)


def test_snippet_route_renders_every_language_for_the_form(
    client: FlaskClient, sessions_op: Operation
) -> None:
    """POST /snippet gives each language's snippet for the body the form makes."""
    form = {"op": "sessions", "instructions@mode": "set", "instructions": "Say 'hi' $HOME"}
    page = client.post("/snippet", data=form).get_data(as_text=True)
    panels = _panels(page)
    body = {"instructions": "Say 'hi' $HOME"}
    for lang in LANGUAGES:
        assert panels[lang] == render_snippet(sessions_op, lang, body)


def test_only_the_chosen_tab_is_highlighted(client: FlaskClient) -> None:
    """The chosen tab is visible and highlighted; the others are hidden plain text."""
    page = client.post("/snippet", data={"op": "sessions", "_snippet_lang": "curl"}).get_data(
        as_text=True
    )
    shown = re.findall(r'data-lang="(\w+)" data-highlighted="(true|false)"( hidden)?', page)
    assert [(lang, hl, hidden) for lang, hl, hidden in shown if not hidden] == [
        ("curl", "true", "")
    ]
    assert all(hl == "false" for _lang, hl, hidden in shown if hidden)
    assert '<span class="' in page.split('data-lang="curl"')[1]


def test_gateway_url_goes_into_the_snippets_without_secrets(client: FlaskClient) -> None:
    """A gateway URL is the base URL; its credentials and query never reach the HTML."""
    form = {
        "op": "sessions",
        "_base_url": "https://user:hunter2@gw.example.com/openai/v1?api_key=sk-abcdefghijkl#x",
    }
    page = client.post("/snippet", data=form).get_data(as_text=True)
    assert "https://gw.example.com/openai/v1/realtime/sessions" in page
    for secret in ("hunter2", "user:", "sk-abcdefghijkl", "api_key=sk", "#x", "api.openai.com"):
        assert secret not in page


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("https://gw.example.com/v1/", "https://gw.example.com/v1"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("https://a:b@gw.example.com/v1?x=1#f", "https://gw.example.com/v1"),
        ("https://my-company-gateway-production-eu-west-1.example.com/v1", None),
        ("https://gw.example.com/sk-proj-abcdefghijklmnop/v1", None),
        ("https://gw.example.com/t/9f86d081884c7d659a2feaa0c55ad015/v1", None),
        ("javascript:alert(1)", None),
        ("ftp://gw.example.com", None),
        ("not a url", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_base_url(raw: str | None, safe: str | None) -> None:
    """Only http(s) host/port/path survive; anything shaped like a key is refused."""
    if raw and "production-eu-west-1" in raw:
        safe = raw  # a long host name with words is not a key
    assert safe_base_url(raw) == safe


def test_bad_input_never_breaks_the_pane(client: FlaskClient) -> None:
    """Unparseable fields and an unknown language still give panels, not a 500."""
    form = {"op": "sessions", "temperature@mode": "set", "temperature": "hot", "_snippet_lang": "x"}
    response = client.post("/snippet", data=form)
    assert response.status_code == 200
    assert 'data-lang="typescript_utdk" data-highlighted="true"' in response.get_data(as_text=True)
    assert client.post("/snippet", data={"op": "nope"}).status_code == 404


def test_snippets_keep_the_body_key_order(client: FlaskClient, sessions_op: Operation) -> None:
    """The panels (cached or not) list the keys in the body's order, not sorted."""
    form = {"op": "sessions", "model@mode": "set", "model": "gpt-4o-realtime-preview"}
    form |= {"instructions@mode": "set", "instructions": "hi"}
    for _ in range(2):  # the second answer comes from the cache
        page = client.post("/snippet", data=form).get_data(as_text=True)
        curl = _panels(page)["curl"]
        assert curl.index('"model"') < curl.index('"instructions"')
