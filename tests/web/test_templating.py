"""Every template global and filter comes from :mod:`playground.web.templating`: a blueprint's
templates render in an app that has only the templating and that blueprint."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

import pytest
from flask import Flask

from playground.web import call, gateways, page, send, share, snippet


def _register(module: object) -> Callable[[Flask], None]:
    return lambda app: app.register_blueprint(module.bp)  # type: ignore[attr-defined]


def test_the_page_renders_with_the_page_blueprint_alone(bare_app) -> None:
    app = bare_app(_register(page))
    html = app.test_client().get("/").get_data(as_text=True)
    assert 'id="session-form"' in html
    assert '<meta name="csrf-token" content="' in html  # csrf_token without CSRFProtect
    assert "/static/app.css?v=" in html  # asset_url
    assert 'id="playground-constants"' in html  # page_constants
    assert 'data-testid="snippet-curl"' in html  # requested_snippet_views
    assert 'data-testid="presets"' in html  # presets_for, link_op
    # The parts of other blueprints are left out, not broken links.
    assert 'id="send-panel"' not in html
    assert 'data-testid="share-button"' not in html


def test_the_full_page_has_every_blueprints_part(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'id="send-panel"' in html
    assert 'data-testid="share-button"' in html
    assert 'data-testid="import"' in html


def test_a_form_change_renders_with_the_page_blueprint_alone(bare_app) -> None:
    app = bare_app(_register(page))
    answer = app.test_client().post("/update", data={"op": "sessions", "temperature": "0.7"})
    html = unescape(answer.get_data(as_text=True))
    assert answer.status_code == 200
    assert '"temperature": 0.7' in html
    assert 'id="snippet-panels" hx-swap-oob="innerHTML"' in html


@pytest.mark.parametrize(
    ("parts", "path", "data", "shows", "status"),
    [
        ([_register(snippet)], "/snippet", {"op": "sessions"}, 'data-testid="snippet-curl"', 200),
        (
            [gateways.init_app, _register(send)],
            "/send",
            {"op": "sessions"},
            "Enter a gateway URL above to enable sending.",
            200,
        ),
        (  # /call answers JSON only: a refusal before anything was sent is a 400
            [gateways.init_app, call.init_app],
            "/call",
            {"op": "client-secrets", "_sdp": "v=0\r\n"},
            "Enter a gateway URL above to enable sending.",
            400,
        ),
        (
            [_register(share)],
            "/import",
            {"op": "sessions", "pasted": "{"},
            'id="import-error"',
            200,
        ),
    ],
    ids=["snippet", "send", "call", "share"],
)
def test_a_blueprint_renders_its_answer_alone(bare_app, parts, path, data, shows, status) -> None:
    app = bare_app(*parts)
    answer = app.test_client().post(path, data=data, headers={"HX-Request": "true"})
    assert answer.status_code == status
    assert shows in answer.get_data(as_text=True)
