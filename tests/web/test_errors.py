"""Requests the app cannot serve get the playground's own answer, never Werkzeug's stock page."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize(
    ("method", "url", "status", "says"),
    [
        ("GET", "/?op=nope", 404, "Unknown operation 'nope'."),
        ("GET", "/no-such-page", 404, "There is no page at this address."),
        ("GET", "/static/no-such.css", 404, "There is no page at this address."),
        ("GET", "/preview", 405, "does not take that kind of request"),
        ("POST", "/snippet?op=nope", 404, "Unknown operation 'nope'."),
    ],
)
def test_the_page_says_what_went_wrong(client: FlaskClient, method, url, status, says) -> None:
    response = client.open(url, method=method, data={"op": "nope"} if method == "POST" else None)
    html = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html"
    assert 'data-testid="error-page"' in html and says in html.replace("&#39;", "'")
    assert '<a href="/">Open the playground</a>' in html
    if status == 405:
        assert "POST" in response.headers["Allow"]


def test_under_the_mock_the_answer_is_the_apis_kind(client: FlaskClient) -> None:
    missing = client.post("/mock/v1/no-such-call", json={})
    assert missing.status_code == 404 and "no page" in missing.get_json()["error"]["message"]
    wrong = client.get("/mock/v1/realtime/sessions")
    assert wrong.status_code == 405 and "POST" in wrong.headers["Allow"]
    assert wrong.get_json()["error"]["type"] == "invalid_request_error"
