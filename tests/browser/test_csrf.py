"""CSRF in the real page: htmx sends the token, and an expired token is explained and renewed."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser


def test_htmx_requests_carry_the_token_of_the_page(page) -> None:
    page.goto("/?op=sessions")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    with page.expect_request("**/update") as sent:
        page.get_by_label("Temperature", exact=True).fill("0.9")
    assert sent.value.headers["x-csrftoken"] == token
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('0.9')"
    )


def test_a_stale_token_is_explained_in_the_response_pane_then_renewed(page) -> None:
    page.goto("/?op=sessions")
    # As if the page had been open for hours: the token it holds no longer passes.
    page.evaluate(
        "document.querySelector('meta[name=csrf-token]').content = 'stale';"
        "document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'stale')"
    )
    field = page.get_by_label("Temperature", exact=True)
    with page.expect_response("**/update") as refused:
        field.fill("0.9")
    assert refused.value.status == 400
    failure = page.get_by_test_id("response").get_by_test_id("send-failure")
    failure.wait_for()
    assert "older session" in failure.inner_text() and "input is kept" in failure.inner_text()
    assert field.input_value() == "0.9"  # nothing the user typed was lost
    with page.expect_response("**/update") as again:
        field.fill("1.0")
    assert again.value.status == 200
    page.wait_for_function(
        "() => document.querySelector('#request-body').textContent.includes('1')"
    )
    assert json.loads(page.get_by_test_id("request-body").inner_text()) == {"temperature": 1.0}
