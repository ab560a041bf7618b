"""The call snippets (the server half of a WebRTC call): which operations have them, the pane's
extra tabs, the gateway placeholder. What they send is proven in test_snippets_call_fidelity.py."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from playground.model.operations import Operation, all_operations
from playground.snippets import (
    CALL_LANGUAGES,
    GATEWAY_PLACEHOLDER,
    call_languages_for,
    languages_for,
    render_snippet,
    tabs_for,
)
from playground.snippets.highlight import highlight

SESSION = {"type": "realtime", "model": "gpt-realtime", "instructions": "Say 'hi' to $HOME"}


def _panels(page: str) -> dict[str, str]:
    found = re.findall(r'data-testid="snippet-(\w+)"[^>]*><code>(.*?)</code></pre>', page, re.S)
    return {lang: html.unescape(re.sub(r"<[^>]+>", "", code)) for lang, code in found}


def test_only_an_operation_with_a_call_has_call_snippets() -> None:
    """``x-playground.call`` is what gives the tabs: the GA client secret has it, no other."""
    with_call = {op.id for op in all_operations().values() if call_languages_for(op)}
    assert with_call == {"client-secrets"}


def test_the_python_call_tab_needs_an_sdk_method(ga_op: Operation) -> None:
    extra = {**ga_op.extra, "call": {**ga_op.extra["call"], "sdk": {}}}
    bare = replace(ga_op, extra=extra)
    assert [lang.id for lang in call_languages_for(bare)] == [
        "python_openai_socket",  # client.realtime.connect: no method of the document's
        "curl_call",
        "browser_call",
    ]
    with pytest.raises(KeyError, match="no method"):
        render_snippet(bare, "python_openai_call", {"session": SESSION})


def test_the_call_tabs_follow_the_request_tabs(ga_op: Operation) -> None:
    assert tabs_for(ga_op) == languages_for(ga_op) + list(CALL_LANGUAGES.values())


def test_the_call_snippets_send_the_session_and_not_the_rest_of_the_body(ga_op: Operation) -> None:
    body = {"expires_after": {"anchor": "created_at", "seconds": 77}, "session": SESSION}
    python = render_snippet(ga_op, "python_openai_call", body)
    assert "client.realtime.calls.create(\n    sdp=offer_sdp,\n    session={" in python
    assert "print(answer.text)" in python
    curl = render_snippet(ga_op, "curl_call", body)
    assert "'https://api.openai.com/v1/realtime/calls'" in curl
    assert '"instructions": "Say \'hi\' to $HOME"' in curl  # in a quoted here-document
    socket = render_snippet(ga_op, "python_openai_socket", body)
    assert "connection.session.update(session=session)" in socket
    for text in (python, curl, socket):
        assert "expires_after" not in text and "77" not in text
        assert text.endswith("\n") and not text.endswith("\n\n")


def test_the_pane_of_the_ga_page_shows_the_call_tabs(client: FlaskClient, ga_op: Operation) -> None:
    form = {"op": ga_op.id, "session@mode": "realtime", "session:realtime.instructions": "hi"}
    page = client.post("/snippet", data={**form, "_gateway": "1"}).get_data(as_text=True)
    assert list(_panels(page)) == [lang.id for lang in tabs_for(ga_op)]
    body = {"session": {"type": "realtime", "instructions": "hi"}}
    for lang in CALL_LANGUAGES:  # only the tab asked for is drawn (the others when picked)
        asked = {**form, "_gateway": "1", "_snippet_lang": lang}
        panels = _panels(client.post("/snippet", data=asked).get_data(as_text=True))
        assert panels[lang] == render_snippet(ga_op, lang, body, GATEWAY_PLACEHOLDER)
        assert GATEWAY_PLACEHOLDER in panels[lang]  # the page writes the visitor's URL there
    full = client.get("/", query_string={"op": ga_op.id}).get_data(as_text=True)
    for lang in CALL_LANGUAGES.values():
        assert f">{lang.label}</button>" in full


def test_the_pane_of_the_beta_page_has_no_call_tabs(client: FlaskClient) -> None:
    page = client.get("/", query_string={"op": "sessions"}).get_data(as_text=True)
    assert not any(f'data-lang="{lang}"' in page for lang in CALL_LANGUAGES)


@pytest.mark.parametrize("lang", list(CALL_LANGUAGES))
def test_the_highlighted_placeholder_is_one_piece_of_text(lang: str, ga_op: Operation) -> None:
    text = render_snippet(ga_op, lang, {"session": SESSION}, GATEWAY_PLACEHOLDER)
    assert GATEWAY_PLACEHOLDER in str(highlight(CALL_LANGUAGES[lang].lexer, text))
