"""axe-core (WCAG 2.1 A and AA) on every page the playground draws: each operation, light and
dark, and a call connected to the mock with its events shown (issue 21, point 7)."""

from __future__ import annotations

from typing import Any

import pytest

from playground.model.operations import all_operations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("op", list(all_operations()))
def test_every_operation_page_has_no_violations(
    browser: Any, live_server: Any, axe: Any, op: str, scheme: str
) -> None:
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"/?op={op}")
    assert axe(page) == []
    context.close()


def test_a_connected_call_with_its_events_shown_has_no_violations(
    call_ui: Any, call_page: Any, peers: Any, axe: Any
) -> None:
    """The in-call panels (message box, live updates, effective configuration, events with
    one event's JSON open) pass too, light and dark."""
    page = call_page
    call_ui.start_call(page)
    call_ui.say(page, "Hello")
    call_ui.transcript_has(page, "You said: Hello")
    page.locator("[data-testid=call-events] > li details").first.evaluate("d => d.open = true")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe(page) == [], scheme
