"""The snippet pane in headless Chromium: live update, tabs, Copy, the gateway URL."""

from __future__ import annotations

import json
from typing import Any

import pytest

from playground.model.operations import get_operation
from playground.snippets import (
    GATEWAY_PLACEHOLDER,
    LANGUAGES,
    call_languages_for,
    languages_for,
    render_snippet,
)

pytestmark = pytest.mark.browser

TYPED = "Say 'hi' to \"$HOME\" `now` ${x} 😀 日本"


def _body(page: Any) -> dict[str, Any]:
    return json.loads(page.get_by_test_id("request-body").inner_text())


def _panel_text(page: Any, lang: str) -> str:
    return page.evaluate(
        "(lang) => document.querySelector(`[data-testid=snippet-${lang}] code`).textContent", lang
    )


def _wait_shown_panel_contains(page: Any, fragment: str) -> None:
    page.wait_for_function(
        """(fragment) => {
          const shown = document.querySelector('#snippet [role=tabpanel]:not([hidden]) code');
          return shown !== null && shown.textContent.includes(fragment);
        }""",
        arg=fragment,
    )


def _tab_text(page: Any, lang: str, label: str) -> str:
    """Pick a tab and give its code once it has come (only the shown tab is drawn)."""
    page.get_by_role("tab", name=label, exact=True).click()
    page.wait_for_selector(f"#snippet-panel-{lang}[data-highlighted=true]:not([hidden])")
    return _panel_text(page, lang)


def _type_instructions(page: Any) -> dict[str, Any]:
    page.goto("/?op=sessions")
    page.locator("#f-instructions").fill(TYPED)
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('now')"
    )
    _wait_shown_panel_contains(page, "`now` ${x}")
    body = _body(page)
    assert body == {"instructions": TYPED}
    return body


def test_typing_updates_every_tab(page: Any) -> None:
    """Typing into instructions changes every tab's snippet to the exact new snippet."""
    page.goto("/?op=sessions")
    body = _type_instructions(page)
    op = get_operation("sessions")
    for lang in LANGUAGES:
        text = _tab_text(page, lang, LANGUAGES[lang].label)
        assert page.get_by_test_id(f"snippet-{lang}").is_visible()
        assert text == render_snippet(op, lang, body)


def test_only_the_shown_tab_comes_with_the_page_and_another_comes_when_picked(page: Any) -> None:
    """The page carries the shown tab's code only; picking another brings its code in one
    request (the form's, naming the tab), and the tab left is emptied."""
    page.goto("/?op=sessions")
    page.wait_for_load_state("networkidle")
    first = page.locator("#snippet [role=tab][aria-selected=true]").get_attribute("data-lang")
    assert first != "curl"
    assert _panel_text(page, "curl") == ""
    sent: list[Any] = []
    page.on("request", lambda request: sent.append(request))
    text = _tab_text(page, "curl", "curl")
    assert text == render_snippet(get_operation("sessions"), "curl", {})
    assert "curl" in text
    assert _panel_text(page, str(first)) == ""
    page.wait_for_timeout(300)
    assert [r.url.rsplit("/", 1)[1] for r in sent] == ["update"]
    assert "_snippet_lang=curl" in (sent[0].post_data or "")


def test_chosen_tab_is_remembered_and_highlighted(page: Any) -> None:
    """The chosen tab survives a reload (localStorage) and is the highlighted one."""
    page.goto("/?op=sessions")
    page.get_by_role("tab", name="curl", exact=True).click()
    page.wait_for_selector("#snippet-panel-curl[data-highlighted=true]:not([hidden])")
    page.reload()
    tab = page.get_by_role("tab", name="curl", exact=True)
    assert tab.get_attribute("aria-selected") == "true"
    page.wait_for_selector("#snippet-panel-curl[data-highlighted=true]:not([hidden])")
    assert page.locator("#snippet-panel-curl span").count() > 0
    assert page.locator("#snippet [role=tabpanel]:not([hidden])").count() == 1


def test_copy_puts_the_exact_snippet_on_the_clipboard(page: Any, live_server: Any, expect) -> None:
    """Copy writes the visible tab's plain text to the clipboard and says Copied."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    body = _type_instructions(page)
    page.get_by_role("tab", name="Python (openai)", exact=True).click()
    page.wait_for_selector("#snippet-panel-python_openai[data-highlighted=true]:not([hidden])")
    page.get_by_test_id("snippet-copy").click()
    expect(page.get_by_test_id("snippet-copy")).to_have_text("Copied")
    expect(page.locator("#snippet-status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == render_snippet(get_operation("sessions"), "python_openai", body)


def test_copy_falls_back_when_the_clipboard_api_is_refused(
    page: Any, live_server: Any, expect
) -> None:
    """With writeText refused, Copy still copies (textarea + execCommand) and says Copied."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));"
    )
    body = _type_instructions(page)
    page.get_by_role("tab", name="curl", exact=True).click()
    page.get_by_test_id("snippet-copy").click()
    expect(page.get_by_test_id("snippet-copy")).to_have_text("Copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == render_snippet(get_operation("sessions"), "curl", body)


def test_the_gateway_url_fills_the_snippets_but_never_leaves_the_browser(page: Any) -> None:
    """A stored gateway URL becomes the snippets' base URL in the page: no request carries it,
    not even the snippet requests, which say only that there is one."""
    gateway = "http://127.0.0.1:9/my-gateway/v1"
    requests: list[Any] = []
    page.on("request", lambda request: requests.append(request))
    page.goto("/?op=sessions")
    page.evaluate("(url) => localStorage.setItem('playground.gateway', url)", gateway)
    page.reload()
    _wait_shown_panel_contains(page, "my-gateway")
    page.locator("#f-instructions").fill("hello")
    _wait_shown_panel_contains(page, "hello")
    curl = _tab_text(page, "curl", LANGUAGES["curl"].label)  # drawn when picked
    assert "http://127.0.0.1:9/my-gateway/v1/realtime/sessions" in curl
    body = {"instructions": "hello"}
    for lang in languages_for(get_operation("sessions")):
        assert _tab_text(page, lang.id, lang.label) == render_snippet(
            get_operation("sessions"), lang.id, body, gateway
        )
    updates = [r for r in requests if r.url.endswith("/update")]
    assert updates and all("_gateway=1" in (r.post_data or "") for r in updates)
    assert not [r.url for r in requests if r.url.endswith(("/snippet", "/preview"))]
    carrying = [
        r.url
        for r in requests
        if "my-gateway" in r.url + (r.post_data or "") + json.dumps(r.headers)
    ]
    assert carrying == []


def test_a_keystroke_sends_one_request_for_preview_problems_and_snippet(page: Any, expect) -> None:
    """One character typed: exactly one request, whose one answer updates the preview, the
    field's error slot and the problem lists, and the shown snippet tab (the others come when
    picked), with the stored gateway URL written into the snippet in the page."""
    gateway = "http://127.0.0.1:9/one-request/v1"
    page.goto("/?op=sessions")
    page.evaluate("(url) => localStorage.setItem('playground.gateway', url)", gateway)
    page.reload()
    _wait_shown_panel_contains(page, "one-request")  # the refresh the stored gateway asks for
    page.wait_for_load_state("networkidle")
    sent: list[Any] = []
    page.on("request", lambda request: sent.append(request))
    page.locator("#f-temperature").focus()
    page.keyboard.type("5")  # one keystroke, one input event
    message = "Must be a number from 0.6 to 1.2; got 5."
    expect(page.locator("#e-f-temperature")).to_have_text(message)
    expect(page.locator("#f-temperature")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("problems")).to_contain_text(message)
    expect(page.get_by_test_id("send-check")).to_contain_text(message)
    expect(page.locator("#send-button")).to_have_text("Send anyway")
    _wait_shown_panel_contains(page, "5")
    body = {"temperature": 5}
    assert _body(page) == body
    op = get_operation("sessions")
    shown = page.locator("#snippet [role=tab][aria-selected=true]").get_attribute("data-lang")
    assert _panel_text(page, str(shown)) == render_snippet(op, str(shown), body, gateway)
    page.wait_for_timeout(500)  # three debounces: a second request would have gone by now
    assert [r.url.rsplit("/", 1)[1] for r in sent] == ["update"]
    assert "one-request" not in (sent[0].post_data or "") + json.dumps(sent[0].headers)


def test_a_slot_whose_message_stays_is_not_written_again(page: Any, expect) -> None:
    """A problem that outlives a keystroke elsewhere keeps its slot's text node: a live region
    written again would be read out again at every keystroke."""
    page.goto("/?op=sessions")
    page.get_by_role("button", name="Add tool").click()
    slot = page.locator("#e-f-tools-0-name")
    expect(slot).to_have_text("Required.")
    page.evaluate("window.__kept = document.querySelector('#e-f-tools-0-name').firstChild")
    page.locator("#f-temperature").fill("0.9")
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('0.9')"
    )
    assert page.evaluate("document.querySelector('#e-f-tools-0-name').firstChild === window.__kept")
    page.locator("#f-tools-0-name").fill("lookup")
    expect(slot).to_have_text("")
    expect(page.locator("#f-tools-0-name")).not_to_have_attribute("aria-invalid", "true")


def test_a_gateway_url_a_snippet_cannot_hold_as_typed_keeps_the_placeholder(page: Any) -> None:
    page.goto("/?op=sessions")
    page.get_by_label("Gateway URL").fill("https://gw.example.com/it's/v1")
    page.get_by_label("Gateway URL").blur()
    _wait_shown_panel_contains(page, GATEWAY_PLACEHOLDER)
    assert page.locator("[data-gateway-note]").is_visible()
    assert "it's" not in _panel_text(page, "curl")
    page.get_by_label("Gateway URL").fill("https://gw.example.com/v1")
    page.get_by_label("Gateway URL").blur()
    _wait_shown_panel_contains(page, "https://gw.example.com/v1")
    assert not page.locator("[data-gateway-note]").is_visible()


def test_ga_operation_snippets_use_the_client_secrets_call(page: Any) -> None:
    """Switched to the GA operation, the pane offers its five languages (no @utdk/openai tab)
    and the two of its call, and a set field turns every tab into the exact GA snippet
    (clientSecrets, its path; the call's with the session)."""
    page.goto("/?op=sessions")
    page.get_by_role("link", name="Client secret (GA) — POST /realtime/client_secrets").click()
    page.wait_for_url("**/?op=client-secrets")
    op = get_operation("client-secrets")
    ga_langs = [lang.id for lang in languages_for(op)]
    tabs = page.locator("#snippet [role=tab]")
    call_langs = [lang.id for lang in call_languages_for(op)]
    assert tabs.count() == len(ga_langs) + len(call_langs)
    assert page.get_by_role("tab", name=LANGUAGES["typescript_utdk"].label).count() == 0
    page.locator("#f-session-mode-1").check()
    page.locator("#f-session-realtime-instructions").fill(TYPED)
    _wait_shown_panel_contains(page, "`now` ${x}")
    body = _body(page)
    assert body == {"session": {"type": "realtime", "instructions": TYPED}}
    labels = {lang.id: lang.label for lang in [*languages_for(op), *call_languages_for(op)]}
    assert "client.realtime.clientSecrets.create(" in _tab_text(
        page, "typescript_openai", labels["typescript_openai"]
    )
    assert "client.realtime.client_secrets.create(" in _tab_text(
        page, "python_openai", labels["python_openai"]
    )
    for lang in ga_langs:
        text = _tab_text(page, lang, labels[lang])
        assert text == render_snippet(op, lang, body)
        assert (
            lang.startswith(("python_openai", "typescript")) or "/realtime/client_secrets" in text
        )
    for lang in call_langs:
        text = _tab_text(page, lang, labels[lang])
        assert text == render_snippet(op, lang, body)
        # The call over WebRTC (calls.create, /realtime/calls) or over WebSocket (connect).
        assert any(
            call in text
            for call in ("realtime.calls.create(", "/realtime/calls", "realtime.connect(")
        )
