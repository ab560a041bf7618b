"""Arbitrary form posts to every route and arbitrary share tokens: never a 500, and every error
answer names the problem."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from playground import create_app

from ..conftest import PAGE_POSTS

ROUTES = PAGE_POSTS
FUZZ = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)

_APP = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SSRF_GUARD": True})
_CLIENT = _APP.test_client()


def _form_names() -> list[str]:
    html = _CLIENT.get("/").get_data(as_text=True)
    names = set(re.findall(r'name="([^"]+)"', html))
    return sorted(
        names | {"_action", "pasted", "_snippet_lang", "_gateway", "op", "_sdp", "call_id"}
    )


NAMES = _form_names()
text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
interesting = st.sampled_from(
    [
        "",
        "set",
        "null",
        "omit",
        "__custom__",
        "1e309",
        "-0",
        "NaN",
        "[]",
        "{",
        '{"a": [1, {"b": null}]}',
        "add:tools",
        "remove:tools.0",
        "remove:tools.x",
        "add:nope",
        "sessions",
        "client-secrets",
        "translation-client-secrets",
        "curl -d '{}' https://x/v1/realtime/sessions",
        "</script><script>alert(1)</script>",
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n",
    ]
)
names = st.one_of(st.sampled_from(NAMES), text, st.sampled_from(NAMES).map(lambda n: n + ".0@row"))
forms = st.lists(st.tuples(names, st.one_of(interesting, text)), max_size=25)


#: What Werkzeug says for an error nobody explained: an answer with one of these named nothing.
_CANNED = [
    "The requested URL was not found on the server",
    "The browser (or proxy) sent a request that this server could not understand",
    "The method is not allowed for the requested URL",
    "The data value transmitted exceeds the capacity limit",
]


#: The page Werkzeug draws around an error's description when the app has no answer of its own.
_STOCK_PAGE = re.compile(r"<!doctype html>\s*<html lang=en>\s*<title>\d{3} ")


def _names_problem(status: int, body: str) -> bool:
    if status < 400:
        return True
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
    # An error answer says something of its own, in the playground's own page or pane: not a
    # bare code, nor the framework's stock page or text.
    return (
        len(words.split()) > 5
        and not _STOCK_PAGE.match(body)
        and not any(canned in words for canned in _CANNED)
    )


@pytest.mark.parametrize("route", ROUTES)
def test_arbitrary_form_posts_never_fail_the_server(route: str) -> None:
    @FUZZ
    @given(form=forms, htmx=st.booleans())
    def check(form: list[tuple[str, str]], htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        if route.startswith("/call"):  # through the exchange, to the own mock (in process)
            headers |= {"X-Playground-Gateway": "http://localhost/mock/v1", "X-Playground-Key": "k"}
        response = _CLIENT.post(route, data=MultiDict(form), headers=headers)
        assert response.status_code < 500, (route, form)
        assert _names_problem(response.status_code, response.get_data(as_text=True))

    check()


@FUZZ
@given(token=st.one_of(text, st.from_regex(r"1\.[A-Za-z0-9_-]{0,200}", fullmatch=True)))
def test_arbitrary_share_tokens_are_refused_by_name_or_loaded(token: str) -> None:
    response = _CLIENT.get("/", query_string={"p": token})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-testid="loaded-banner"' in html  # what was loaded, or why nothing was


@FUZZ
@given(op=text, preset=text)
def test_arbitrary_operations_and_presets_are_named(op: str, preset: str) -> None:
    response = _CLIENT.get("/", query_string={"op": op, "preset": preset})
    assert response.status_code in (200, 404)
    assert _names_problem(response.status_code, response.get_data(as_text=True))


def test_the_fuzzer_reaches_the_rows_and_the_import(client: Any) -> None:
    assert "_action" in NAMES and "pasted" in NAMES and any("tools" in n for n in NAMES)
