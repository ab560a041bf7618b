"""Fixtures for driving the live call panel (tests/browser/test_call*.py)."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest


class CallUI:
    """Drives the call panel of the GA client secret page and reads what it shows.

    Conditions in the page are polled with ``page.evaluate``: Playwright's ``wait_for_function``
    runs its predicate through eval, which the page's CSP refuses.
    """

    ga = "/?op=client-secrets"
    key = "sk-call-secret-7777"

    def wait_for(self, page: Any, script: str, timeout: float = 20.0) -> Any:
        """Give the first truthy value of ``script`` in the page."""
        return self.until(lambda: page.evaluate(script), timeout, script)

    def until(self, check: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
        """Give the first truthy value of ``check()`` (polled), or fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or check}")
            time.sleep(0.1)

    def status(self, page: Any) -> str:
        """Give the call status as the panel shows it."""
        return page.get_by_test_id("call-status").text_content() or ""

    def settled_status(self, page: Any, timeout: float = 20.0) -> str:
        """Give the call status once it says more than that a call is starting."""
        self.wait_for(
            page,
            "(() => { const s = document.querySelector('[data-testid=call-status]').textContent;"
            " return s && !s.startsWith('connecting') && s !== 'Not in a call.'; })()",
            timeout,
        )
        return self.status(page)

    def open_ga(self, page: Any, gateway: str | None = None, preset: str = "") -> None:
        """Open the GA page (with a preset loaded) with a gateway (the built-in mock when None)
        and the API key."""
        page.goto(self.ga + (f"&preset={preset}" if preset else ""))
        if gateway is None:
            page.get_by_role("button", name="Built-in mock (offline)").click()
        else:
            page.get_by_label("Gateway URL").fill(gateway)
        page.get_by_label("API key").fill(self.key)

    def realtime_session(self, page: Any, instructions: str = "Answer briefly.") -> None:
        """Choose the realtime session and give it instructions; wait for the preview."""
        page.locator('input[name="session@mode"][value="realtime"]').check()
        page.locator("#f-session-realtime-instructions").fill(instructions)
        self.wait_for(
            page,
            "document.getElementById('request-body').textContent"
            f".includes({json.dumps(instructions)})",
        )

    def open_realtime(self, page: Any, transport: str, turn_detection: str = "null") -> None:
        """Open the GA page on the mock for a call over ``transport`` with the model
        gpt-realtime (a WebSocket call names it in its URL) and the turn detection mode
        ``turn_detection`` (its defaults); wait for the preview to show them."""
        self.open_ga(page)
        page.get_by_test_id("call-transport").select_option(transport)
        self.realtime_session(page, "Answer briefly.")
        page.locator("#f-session-realtime-model").select_option("gpt-realtime")
        mode = "session:realtime.audio.input.turn_detection@mode"
        page.locator(f'input[name="{mode}"][value="{turn_detection}"]').check()
        expected = '"turn_detection": null' if turn_detection == "null" else f'"{turn_detection}"'
        self.wait_for(
            page,
            f"document.getElementById('request-body').textContent.includes({json.dumps(expected)})"
            " && document.getElementById('request-body').textContent.includes('gpt-realtime')",
        )

    def load_scripts(self, page: Any) -> None:
        """Import the call's modules as the first Start call click does, and hand the test the
        very instances the page runs, as ``window.__modules`` (the page itself has no globals)."""
        page.evaluate(
            "Promise.all(['call.js', 'call-session.js', 'call-inspector.js', 'call-loader.js']"
            ".map(name => import(new URL(name, document.querySelector("
            "'script[type=module][src*=\"/call-loader.js\"]').src).href)))"
            ".then(([call, session, inspector, loader]) =>"
            " { window.__modules = {call, session, inspector, loader}; return true; })"
        )

    def scratch_inspector(self, page: Any, key: str) -> None:
        """Draw an event inspector into a new ``#scratch`` element, as ``window.scratch``, whose
        masking hides ``key`` as the call hides its ephemeral key."""
        self.load_scripts(page)
        page.evaluate(
            """(key) => {
              const root = document.createElement('div');
              root.id = 'scratch';
              document.body.append(root);
              const hide = (t) => t.split(key).join('[the ephemeral key]');
              window.scratch = window.__modules.inspector.Inspector(root, hide);
            }""",
            key,
        )

    def events(self, page: Any, direction: str = "", type_: str = "") -> list[dict[str, Any]]:
        """Give the inspector's events as shown, optionally of one direction and type."""
        found = page.evaluate(
            "([d, t]) => Array.from(document.querySelectorAll('[data-testid=call-events] > li'))"
            ".filter(li => (!d || li.dataset.direction === d) && (!t || li.dataset.eventType === t))"
            ".map(li => li.querySelector('pre').textContent)",
            [direction, type_],
        )
        return [json.loads(text) for text in found]

    def wait_event(self, page: Any, direction: str, type_: str, timeout: float = 20.0) -> Any:
        """Give the last event of ``type_`` from ``direction`` once the inspector shows it."""
        return self.until(lambda: self.events(page, direction, type_), timeout, type_)[-1]

    def start_call(
        self,
        page: Any,
        instructions: str = "Answer briefly.",
        turn_detection: str = "null",
        preset: str = "",
    ) -> str:
        """Open the GA page on the mock, start a call, and give its id once connected.

        ``turn_detection`` is the mode chosen in the form: Off (``null``) by default, so the
        fake microphone's beeps do not interrupt the model's answers to typed messages.
        """
        self.open_ga(page, preset=preset)
        self.realtime_session(page, instructions)
        mode = "session:realtime.audio.input.turn_detection@mode"
        page.locator(f'input[name="{mode}"][value="{turn_detection}"]').check()
        expected = '"turn_detection": null' if turn_detection == "null" else instructions
        self.wait_for(
            page,
            f"document.getElementById('request-body').textContent.includes({json.dumps(expected)})",
        )
        page.get_by_test_id("call-start").click()
        assert self.settled_status(page) == "connected"
        self.wait_event(page, "server", "session.created")
        self.load_scripts(page)
        return str(page.evaluate("window.__modules.call.current().id"))

    def say(self, page: Any, text: str) -> None:
        """Send a text message in the call."""
        page.get_by_test_id("call-message").fill(text)
        page.get_by_test_id("call-message-send").click()

    def transcript_has(self, page: Any, text: str) -> None:
        """Wait until the transcript holds ``text``."""
        self.wait_for(
            page,
            "document.querySelector('[data-testid=call-transcript]').textContent"
            f".includes({json.dumps(text)})",
        )


@pytest.fixture(scope="session")
def call_ui() -> CallUI:
    """Give the call panel's driver."""
    return CallUI()


@pytest.fixture
def peers(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[Any]:
    """Give the mock's call registry; after the test every call is ended and no call thread is
    left. Every log record of the test is kept (caplog), to look for the key in it."""
    import aioice.ice

    from playground.mock.call_peer import peers as registry

    # The mock offers 127.0.0.1 only by replacing aioice's gathering: put it back after the test.
    monkeypatch.setattr(aioice.ice, "get_host_addresses", aioice.ice.get_host_addresses)
    caplog.set_level(logging.DEBUG)
    yield registry
    registry.shutdown()
    left = [t.name for t in threading.enumerate() if t.name == "mock-call-peers"]
    assert not left, f"threads left running: {left}"


#: axe-core as ``scripts/test.sh`` installs it from npm (tests/fixtures/node/package.json).
AXE_SCRIPT = (
    Path(__file__).resolve().parent.parent / "fixtures/node/node_modules/axe-core/axe.min.js"
)
#: The rules of WCAG 2.1 levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe() -> Callable[[Any], list[str]]:
    """Give a function that runs axe-core (WCAG 2.1 A and AA) in a page and gives each
    violation as one line: rule, impact and the elements it names. Injected through the
    driver, so the page's CSP (no inline script) stays as it is."""
    if not AXE_SCRIPT.exists():
        if os.environ.get("CI"):
            raise AssertionError(f"axe-core is not installed: {AXE_SCRIPT} (run scripts/test.sh)")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/fixtures/node)")
    source = AXE_SCRIPT.read_text(encoding="utf-8")

    def run(page: Any) -> list[str]:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(source + "\n;true")
        found = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' +"
            " v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' +"
            " (n.failureSummary || '').split('\\n').slice(1, 2).join('')).join(' | ')))",
            AXE_TAGS,
        )
        return [str(line) for line in found]

    return run
