"""Fixtures of the web layer's tests: an app with only some of the playground's parts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from playground.web import templating

#: What a bare app needs that ``create_app`` would set.
BARE_CONFIG = {"TESTING": True, "SECRET_KEY": "bare-" * 8, "DEFAULT_OPERATION": "sessions"}


@pytest.fixture
def bare_app(app: Flask) -> Callable[..., Flask]:
    """Give a function making a Flask app with the playground's templates and static files, the
    template globals (:func:`playground.web.templating.init_app`) and only the parts given
    (each a function taking the app, e.g. ``lambda a: a.register_blueprint(page.bp)``)."""

    def make(*parts: Callable[[Flask], object]) -> Flask:
        bare = Flask("bare", template_folder=app.template_folder, static_folder=app.static_folder)
        bare.config.from_mapping(BARE_CONFIG)
        templating.init_app(bare)
        for part in parts:
            part(bare)
        return bare

    return make
