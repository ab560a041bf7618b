"""A deprecated model in the page: warned next to the field as it is chosen, Send stays Send."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def test_choosing_a_deprecated_model_warns_next_to_it_and_send_stays_send(page, expect) -> None:
    page.goto("/?op=client-secrets")
    page.locator("#g-f-session > .modes").get_by_label("realtime session", exact=True).check()
    model = page.locator("#f-session-realtime-model")
    warning = page.locator("#w-f-session-realtime-model")
    send = page.locator("#send-label")
    expect(warning).to_be_hidden()  # empty: nothing deprecated chosen yet

    model.select_option("gpt-realtime")
    expect(warning).to_have_text("gpt-realtime is deprecated: it shuts down on 2027-01-20.")
    expect(warning).to_be_visible()
    expect(send).to_have_text("Send")
    assert model.get_attribute("aria-invalid") is None  # a warning, not an error
    body = json.loads(page.get_by_test_id("request-body").inner_text())
    assert body["session"]["model"] == "gpt-realtime"  # still sent as chosen

    model.select_option("gpt-realtime-2.1")
    expect(warning).to_have_text("")
    expect(warning).to_be_hidden()
    expect(send).to_have_text("Send")
