"""Every name the templates use beyond their context: the template globals and filters, all
registered by :func:`init_app`, so that any blueprint's template renders in an app that has
only that blueprint (no blueprint registers a name another one's template needs).
"""

from __future__ import annotations

import re

from flask import Flask
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from playground.model.call_spec import call_spec
from playground.model.deprecations import deprecation_of
from playground.model.form_budget import MAX_CONTROLS
from playground.model.form_names import join, json_path
from playground.model.nodes import Node
from playground.model.update_paths import update_path
from playground.presets import presets_for
from playground.snippets import GATEWAY_PLACEHOLDER, VERBATIM_URL
from playground.web.app_operations import where_calls_start_here
from playground.web.assets import asset_url, serve_modules
from playground.web.constants import page_constants
from playground.web.forms import default_text, field_id
from playground.web.links import link_op, serves
from playground.web.visible import visible


def prose(text: str) -> Markup:
    """Give a schema description as HTML paragraphs, with `code` spans."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    out = []
    for para in paragraphs:
        html = str(escape(" ".join(para.split())))
        html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
        html = re.sub(r"\[([^\]]+)\]\((?:[^)]+)\)", r"\1", html)
        out.append(f"<p>{html}</p>")
    return Markup("".join(out))


def has_deprecations(node: Node) -> bool:
    """Say whether a field has deprecated values (or is deprecated): it gets a warning slot."""
    return deprecation_of(node.schema) is not None


def init_app(app: Flask) -> None:
    """Give ``app``'s templates every global and filter they use (and the path of the modules
    ``asset_url`` links to)."""
    serve_modules(app)
    for function in (
        asset_url,
        call_spec,
        default_text,
        field_id,
        has_deprecations,
        join,
        json_path,
        link_op,
        page_constants,
        presets_for,
        serves,
        update_path,
    ):
        app.add_template_global(function)
    # Flask-WTF's CSRFProtect adds this one too; here, so a page renders without it.
    app.add_template_global(generate_csrf, "csrf_token")
    app.add_template_global(where_calls_start_here, "where_calls_start")  # the app's operations
    app.jinja_env.globals.update(
        form_budget=f"{MAX_CONTROLS:,}",
        gateway_placeholder=GATEWAY_PLACEHOLDER,
        gateway_verbatim=VERBATIM_URL,
    )
    app.add_template_filter(prose)
    # The one filter for text a visitor or a gateway wrote, wherever the page shows it.
    app.add_template_filter(visible)
