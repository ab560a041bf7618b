"""Sending from the page in headless Chromium: the mock, storage, and where the key travels."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

pytestmark = pytest.mark.browser

KEY = "sk-browser-secret-4242"


def _record(page: Any) -> tuple[list[Any], list[tuple[str, str]]]:
    requests: list[Any] = []
    bodies: list[tuple[str, str]] = []
    page.on("request", lambda request: requests.append(request))

    def keep(response: Any) -> None:
        if response.request.resource_type in ("document", "xhr", "fetch", "script", "stylesheet"):
            bodies.append((response.url, response.text()))

    page.on("response", keep)
    return requests, bodies


def test_send_to_the_mock_and_find_it_all_again_after_reload(page, live_server) -> None:
    from playwright.sync_api import expect

    requests, bodies = _record(page)
    page.goto("/")
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_disabled()
    expect(page.get_by_text("Enter a gateway URL above to enable sending.")).to_be_visible()

    page.get_by_role("button", name="Built-in mock (offline)").click()
    gateway = page.get_by_label("Gateway URL")
    expect(gateway).to_have_value(live_server.url + "/mock/v1")
    page.get_by_label("API key").fill(KEY)
    expect(send).to_be_enabled()
    expect(page.get_by_text("Enter a gateway URL above to enable sending.")).to_be_hidden()

    with page.expect_response("**/send"):
        send.click()
    response = page.get_by_test_id("response")
    expect(response.get_by_test_id("response-status")).to_have_text("200 OK")
    expect(page.locator("#ephemeral-key")).to_have_value(re.compile(r"^ek_[A-Za-z0-9_-]+$"))
    expect(response.locator(".countdown")).to_contain_text("expires in")

    page.reload()
    expect(page.get_by_label("Gateway URL")).to_have_value(live_server.url + "/mock/v1")
    expect(page.get_by_label("API key")).to_have_value(KEY)
    expect(page.get_by_role("button", name="Send")).to_be_enabled()

    sends = [r for r in requests if r.url.endswith("/send")]
    assert len(sends) == 1
    assert sends[0].headers["x-playground-key"] == KEY
    for request in requests:
        if request is sends[0]:
            assert KEY not in request.url and KEY not in (request.post_data or "")
            continue
        assert KEY not in request.url and KEY not in (request.post_data or "")
        assert KEY not in " ".join(request.headers.values()), request.url
    for url, text in bodies:
        assert KEY not in text, url
    assert KEY not in page.content()


def test_show_hide_remember_and_forget(page) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    key = page.get_by_label("API key")
    key.fill(KEY)
    expect(key).to_have_attribute("type", "password")
    page.get_by_role("button", name="Show").click()
    expect(key).to_have_attribute("type", "text")
    page.get_by_role("button", name="Hide").click()
    expect(key).to_have_attribute("type", "password")

    assert page.evaluate("sessionStorage.getItem('playground.key')") == KEY
    assert page.evaluate("localStorage.getItem('playground.key')") is None
    page.get_by_label("Remember on this device").check()
    assert page.evaluate("localStorage.getItem('playground.key')") == KEY
    assert page.evaluate("sessionStorage.getItem('playground.key')") is None

    page.get_by_label("Gateway URL").fill("http://127.0.0.1:9/v1")
    page.get_by_role("button", name="Forget").click()
    expect(key).to_have_value("")
    expect(page.get_by_label("Gateway URL")).to_have_value("")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    stored = page.evaluate(
        "[...Object.keys(localStorage), ...Object.keys(sessionStorage)]"
        ".filter(k => k.startsWith('playground.'))"
    )
    assert stored == []


def test_forget_reaches_every_tab_and_the_snippets(page) -> None:
    """Forget in one tab wipes what another tab holds in its own sessionStorage, and the
    snippets go back to the public API."""
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_label("Gateway URL").fill("http://127.0.0.1:9/v1")
    page.get_by_label("API key").fill(KEY)
    other = page.context.new_page()
    other.goto("/")
    expect(other.get_by_label("Gateway URL")).to_have_value("http://127.0.0.1:9/v1")
    other.get_by_label("API key").fill(KEY + "-other")
    for tab in (page, other):  # only the shown tab is drawn: show curl's
        tab.get_by_role("tab", name="curl", exact=True).click()
    expect(other.get_by_test_id("snippet-curl")).to_contain_text("http://127.0.0.1:9/v1/realtime")

    page.get_by_role("button", name="Forget").click()
    expect(other.get_by_label("API key")).to_have_value("")
    expect(other.get_by_label("Gateway URL")).to_have_value("")
    expect(other.get_by_role("button", name="Send")).to_be_disabled()
    assert other.evaluate("sessionStorage.getItem('playground.key')") is None
    for tab in (page, other):
        expect(tab.get_by_test_id("snippet-curl")).to_contain_text("https://api.openai.com/v1/")
        expect(tab.get_by_test_id("snippet-curl")).not_to_contain_text("127.0.0.1:9")


def test_remember_shows_what_storage_says_after_back(page) -> None:
    """Ticked on another page, "Remember" is ticked on Back too, where the key then goes."""
    from playwright.sync_api import expect

    page.goto("/")
    expect(page.get_by_label("Remember on this device")).not_to_be_checked()
    page.goto("/?op=client-secrets")
    page.get_by_label("Remember on this device").check()
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"client-secrets"))
    expect(page.get_by_label("Remember on this device")).to_be_checked()
    page.get_by_label("API key").fill(KEY)
    assert page.evaluate("localStorage.getItem('playground.key')") == KEY


def test_an_api_error_marks_the_field_and_send_anyway(page) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.get_by_label("API key").fill(KEY)
    page.locator("#f-temperature").fill("5")
    send = page.locator("#send-button")
    expect(send).to_have_text("Send anyway")
    expect(page.get_by_test_id("send-check")).to_contain_text("temperature")
    send.click()
    response = page.get_by_test_id("response")
    expect(response.get_by_test_id("response-status")).to_have_text("400 Bad Request")
    expect(response.get_by_test_id("api-error")).to_contain_text("invalid_request_error")
    expect(page.locator("#f-temperature")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#e-f-temperature")).to_contain_text("The API says")

    page.locator("#f-temperature").fill("1")
    expect(send).to_have_text("Send")
    expect(page.get_by_test_id("send-check")).to_be_empty()


def test_an_unreachable_playground_server_is_said_in_the_pane(page, live_server) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.route("**/send", lambda route: route.abort())
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("send-failure")).to_contain_text("Could not reach the playground")


def test_send_panel_and_snippet_tab_survive_a_preset_and_back(page, live_server) -> None:
    """A preset (or an import, or Back) swaps in a new <main>: its send panel must come back
    with the stored gateway and key, and its snippet pane with the chosen tab and gateway."""
    from playwright.sync_api import expect

    mock = live_server.url + "/mock/v1"
    page.goto("/")
    page.get_by_role("button", name="Built-in mock (offline)").click()
    page.get_by_label("API key").fill(KEY)
    page.get_by_role("tab", name="Python (requests)").click()
    page.get_by_test_id("presets").locator("summary").click()
    page.locator("[data-preset='text-only']").click()
    expect(page).to_have_url(re.compile(r"preset=text-only"))
    expect(page.get_by_test_id("loaded-banner")).to_be_visible()

    def panel_is_back() -> None:
        expect(page.get_by_label("Gateway URL")).to_have_value(mock)
        expect(page.get_by_label("API key")).to_have_value(KEY)
        expect(page.get_by_role("button", name="Send")).to_be_enabled()
        expect(page.get_by_role("tab", name="Python (requests)")).to_have_attribute(
            "aria-selected", "true"
        )
        expect(page.get_by_test_id("snippet-python_requests")).to_contain_text(
            mock + "/realtime/sessions"
        )

    panel_is_back()
    with page.expect_response("**/send"):
        page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("response-status")).to_have_text("200 OK")
    expect(page.locator("#ephemeral-key")).to_have_value(re.compile(r"^ek_[A-Za-z0-9_-]+$"))

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"preset="))
    panel_is_back()
    # The panel's own controls work again: a new gateway URL is stored and used.
    page.get_by_label("Gateway URL").fill("")
    expect(page.get_by_role("button", name="Send")).to_be_disabled()


def test_too_many_sends_in_progress_is_said_in_the_pane(
    page, live_server, upstream, visitor
) -> None:
    """Two sends of this address already wait on a slow gateway (the per-client default): the
    page's own send is refused at once, and the pane says why."""
    from playwright.sync_api import expect

    slow, server = upstream

    def hold(environ: dict[str, Any], start_response: Any) -> Any:
        slow.release.wait(30)
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    slow.handler = hold
    others = visitor(live_server.url)
    others.load()
    waiting = [threading.Thread(target=others.send, args=(server.url + "/v1",)) for _ in "ab"]
    for thread in waiting:
        thread.start()
    page.goto("/")
    page.get_by_label("Gateway URL").fill(server.url + "/v1")
    page.get_by_label("API key").fill(KEY)
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    for _ in range(400):  # both held before the page sends (a 20 s bound against a hang)
        if len(slow.requests) == 2:
            break
        page.wait_for_timeout(50)
    assert len(slow.requests) == 2
    with page.expect_response("**/send") as answer:
        page.get_by_role("button", name="Send").click()
    assert answer.value.status == 429 and int(answer.value.headers["retry-after"]) >= 1
    expect(page.get_by_test_id("send-failure")).to_contain_text(
        "Too many sends in progress from your address"
    )
    expect(page.get_by_role("button", name="Send")).to_be_enabled()  # free to try again
    slow.release.set()
    for thread in waiting:
        thread.join(30)
    assert len(slow.requests) == 2  # the refused send never left
