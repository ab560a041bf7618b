"""The snippet pane: ``POST /snippet`` renders the panels for the form's body alone.

The page itself gets the panels with every answer to a change of the form (``POST /update``,
out of band); the tabs come from :mod:`playground.web.snippet_views`.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from playground.model.form_reader import build_body
from playground.web.snippet_views import snippet_views
from playground.web.state import form_data_from_request, operation_from_request, requested_snippet

bp = Blueprint("snippets", __name__)


@bp.post("/snippet")
def snippet() -> Response:
    """Render the snippet panels for the form's body alone (the page itself gets them with the
    preview, from ``POST /update``)."""
    op = operation_from_request()
    body = build_body(op.root, form_data_from_request()).body
    views = snippet_views(op, body, requested_snippet())
    html = render_template("partials/_snippet.html", op=op, views=views, panels_only=True)
    return Response(html, mimetype="text/html")
