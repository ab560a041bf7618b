"""The snippet pane on the page and POST /snippet."""

from __future__ import annotations

import html
import re

import pytest
from flask.testing import FlaskClient

from playground.model.operations import Operation
from playground.snippets import (
    GATEWAY_PLACEHOLDER,
    LANGUAGES,
    VERBATIM_URL,
    render_snippet,
    tabs_for,
)
from playground.snippets.highlight import highlight


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


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_snippet_route_renders_the_asked_language_for_the_form(
    lang: str, client: FlaskClient, sessions_op: Operation
) -> None:
    """POST /snippet gives the asked tab's snippet for the body the form makes, the others
    empty (each is drawn when picked)."""
    form = {"op": "sessions", "instructions@mode": "set", "instructions": "Say 'hi' $HOME"}
    page = client.post("/snippet", data={**form, "_snippet_lang": lang}).get_data(as_text=True)
    body = {"instructions": "Say 'hi' $HOME"}
    assert _panels(page) == {
        other: render_snippet(sessions_op, lang, body) if other == lang else ""
        for other in LANGUAGES
    }


def test_only_the_chosen_tab_is_highlighted(client: FlaskClient) -> None:
    """The chosen tab is visible and highlighted; the others are hidden and empty."""
    page = client.post("/snippet", data={"op": "sessions", "_snippet_lang": "curl"}).get_data(
        as_text=True
    )
    shown = re.findall(r'data-lang="(\w+)" data-highlighted="(true|false)"( hidden)?', page)
    assert [(lang, hl, hidden) for lang, hl, hidden in shown if not hidden] == [
        ("curl", "true", "")
    ]
    assert all(hl == "false" for _lang, hl, hidden in shown if hidden)
    assert '<span class="' in page.split('data-lang="curl"')[1]


def test_with_a_gateway_every_tab_shows_the_placeholder_the_page_fills(
    client: FlaskClient,
) -> None:
    """The request says only that there is a gateway; the URL itself never comes."""
    for lang in LANGUAGES:
        form = {"op": "sessions", "_gateway": "1", "_snippet_lang": lang}
        page = client.post("/snippet", data=form).get_data(as_text=True)
        assert GATEWAY_PLACEHOLDER in _panels(page)[lang]
        assert "api.openai.com" not in page
    plain = _panels(client.post("/snippet", data={"op": "sessions"}).get_data(as_text=True))
    assert all(GATEWAY_PLACEHOLDER not in text for text in plain.values())


def test_the_page_gives_the_script_its_placeholder_and_pattern(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert f'data-gateway-placeholder="{GATEWAY_PLACEHOLDER}"' in page
    assert f'data-gateway-verbatim="{html.escape(VERBATIM_URL)}"' in page


VERBATIM = [
    "http://127.0.0.1:8000/mock/v1",
    "https://gw.example.com",
    "https://gw.example.com/openai/v1",
    "http://[::1]:8080/v1",
    "https://gw.example.com/a%20b/~x/@team/v1;x=1,y=(2)*&z+w",
]
ESCAPED = [
    "https://gw.example.com/it's/v1",
    'https://gw.example.com/"/v1',
    "https://g/$HOME",
    "https://gw.example.com/a!b",
    "https://gw.example.com/a b",
    "https://g/v1?key=1",
    "https://user:pw@g/v1",
    "ftp://g/v1",
    "https://g/`id`",
    "https://g/a\\b",
]


@pytest.mark.parametrize("url", VERBATIM + ESCAPED)
def test_a_url_the_pattern_takes_is_written_as_typed_in_every_language(
    url: str, sessions_op: Operation, ga_op: Operation
) -> None:
    """Putting such a URL in place of the placeholder gives the very snippet the server would
    write for it; anything the pattern refuses keeps the placeholder."""
    assert bool(re.match(VERBATIM_URL, url)) == (url in VERBATIM)
    if url not in VERBATIM:
        return
    body = {"instructions": "hi", "temperature": 0.8}
    for op, sent in ((sessions_op, body), (ga_op, {"session": {"type": "realtime"}})):
        for lang in tabs_for(op):
            filled = render_snippet(op, lang.id, sent, GATEWAY_PLACEHOLDER)
            assert filled.replace(GATEWAY_PLACEHOLDER, url) == render_snippet(
                op, lang.id, sent, url
            ), (lang.id, url)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_highlighted_placeholder_is_one_piece_of_text(
    lang: str, sessions_op: Operation
) -> None:
    """The page replaces it inside one text node: highlighting must not split it."""
    text = render_snippet(sessions_op, lang, {}, GATEWAY_PLACEHOLDER)
    assert GATEWAY_PLACEHOLDER in str(highlight(LANGUAGES[lang].lexer, text))


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
        page = client.post("/snippet", data={**form, "_snippet_lang": "curl"})
        curl = _panels(page.get_data(as_text=True))["curl"]
        assert curl.index('"model"') < curl.index('"instructions"')


@pytest.mark.parametrize(
    ("op", "said"),
    [
        ("client-secrets", "the browser one gets a key from your server"),
        ("sessions", "Reads <code>OPENAI_API_KEY</code> from the environment;"),
    ],
)
def test_the_pane_says_where_each_snippet_gets_its_key(client, op, said) -> None:
    """The browser call tab gets an ephemeral key from the visitor's server, not the
    environment: the pane's hint says so only where that tab is shown."""
    html = client.get(f"/?op={op}").get_data(as_text=True)
    hint = re.search(
        r'<h2 id="snippet-title">Code</h2>\s*<span class="hint">(.*?)</span>', html, re.S
    )
    assert hint and said in hint.group(1)
