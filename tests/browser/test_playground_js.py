"""static/playground.js in headless Chromium: the constants the server gives, read under the
page's CSP; the JavaScript header rule agreeing with the server's; one Copy for every button;
and our scripts loaded as ES modules with no globals of their own."""

from __future__ import annotations

import re
from typing import Any

import pytest

from playground.transport.checks import RequestRefused, check_credential
from playground.web.constants import page_constants

pytestmark = pytest.mark.browser

VALUES = ["sk-abc_123", "with space", "tab\there", "line\nbreak", "ñ", "sk-\x7f", "\x21\x7e", "😀"]


def _server_takes(value: str) -> bool:
    try:
        check_credential(value, "key")
    except RequestRefused:
        return False
    return True


#: The page's own module, the instance its scripts share.
PLAYGROUND = "import(document.querySelector('script[type=module][src*=\"/playground.js\"]').src)"


def test_the_scripts_read_the_constants_block_under_the_csp(page: Any) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto("/?op=sessions")
    assert page.evaluate(f"{PLAYGROUND}.then(m => m.constants)") == page_constants()
    assert not [text for text in console if "Content Security Policy" in text]
    csp = page.evaluate("fetch('/').then(r => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_the_page_and_the_server_take_the_same_header_values(page: Any) -> None:
    page.goto("/?op=sessions")
    taken = page.evaluate(
        f"""async (values) => {{
          const rule = new RegExp("^" + (await {PLAYGROUND}).constants.headerValueChar + "*$");
          return values.map((v) => rule.test(v));
        }}""",
        VALUES,
    )
    assert taken == [_server_takes(value) for value in VALUES]


def test_the_ephemeral_key_is_copied_by_the_one_copy_handler(
    page: Any, live_server: Any, expect
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/?op=sessions")
    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.get_by_label("API key").fill("sk-copy-check-0000")
    page.get_by_role("button", name="Send").click()
    key = page.locator("#ephemeral-key")
    expect(key).to_have_value(re.compile(r"^ek_"))
    copy = page.locator("button[data-copy='#ephemeral-key']")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == key.input_value()
    expect(copy).to_have_text("Copy", timeout=5000)  # the label comes back


def test_copy_leaves_the_text_selected_when_no_way_of_copying_works(
    page: Any, live_server: Any, expect
) -> None:
    page.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('refused'));"
        "document.execCommand = () => false;"
    )
    page.goto("/?op=sessions")
    page.get_by_role("tab", name="curl", exact=True).click()
    page.wait_for_selector("#snippet-panel-curl[data-highlighted=true]:not([hidden])")
    page.get_by_test_id("snippet-copy").click()
    expect(page.get_by_test_id("snippet-copy")).to_have_text("Press Ctrl+C to copy")
    expect(page.locator("#snippet-status")).to_contain_text("press Ctrl+C")
    selected = page.evaluate("String(window.getSelection())")
    code = page.locator("#snippet-panel-curl code").text_content() or ""
    assert selected.strip() == code.strip() and "curl" in selected


@pytest.mark.parametrize("op", ["sessions", "client-secrets"])
def test_our_scripts_are_modules_and_leave_no_window_globals(page: Any, op: str) -> None:
    """Every script of ours is an ES module (htmx, a vendor's, is the one classic script), and
    neither the page nor the call, once loaded, puts a Playground* name on window."""
    page.goto(f"/?op={op}")
    scripts = page.evaluate(
        "Array.from(document.scripts).filter(s => s.src).map(s => [s.type, s.src])"
    )
    ours = [src for kind, src in scripts if "/vendor/" not in src]
    assert ours and all(kind == "module" for kind, src in scripts if src in ours)
    assert all("/static/m/" in src for src in ours)  # the versioned path of the modules
    assert [src for kind, src in scripts if kind != "module"] == [
        src for src in (s for _, s in scripts) if "/vendor/htmx" in src
    ]
    if op == "client-secrets":  # the call's modules, imported on the first click
        page.get_by_role("button", name="Built-in mock (offline)").click()  # Start call needs one
        with page.expect_response("**/call-view.js"):  # imported by call.js
            page.get_by_test_id("call-start").click()
    names = page.evaluate("Object.keys(window).filter(n => /^Playground/i.test(n))")
    assert names == []
