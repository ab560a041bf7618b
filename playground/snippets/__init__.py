"""Code snippets for an operation's request body: one Jinja template per language.

:func:`render_snippet` is pure (no Flask): the page, the CLI and the fidelity tests call it alike.
A new language is one template in ``templates/`` and one entry in :data:`LANGUAGES`. An operation
that starts a WebRTC call (``x-playground.call``) also has that call, in the languages of
:data:`CALL_LANGUAGES` (:func:`call_languages_for`): the server half from the body's session, and
the browser half, a page script calling with the ephemeral key the body mints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, pass_context
from jinja2.runtime import Context

from playground.model.call_spec import call_spec
from playground.model.operations import Operation
from playground.snippets.literals import (
    Shared,
    js_comment_json,
    js_literal,
    js_string,
    json_source,
    loose_paths,
    python_kwargs,
    python_literal,
    python_string,
    shell_single_quote,
)

DEFAULT_BASE_URL = "https://api.openai.com/v1"
#: The base URL the page's snippets show for the visitor's gateway. The browser writes the
#: gateway URL in its place (static/snippet.js): the URL never reaches the server.
GATEWAY_PLACEHOLDER = "https://your-gateway.example/v1"
#: Gateway URLs that every template writes exactly as typed (no quote, ``$``, ``!``, backslash
#: or space), and so may simply replace the placeholder (a JavaScript regular expression too).
VERBATIM_URL = r"^https?://[A-Za-z0-9.:\[\]-]+(/[A-Za-z0-9._~%/@:+,;=*&()-]*)?$"
API_KEY_VARIABLE = "OPENAI_API_KEY"


@dataclass(frozen=True)
class Language:
    """One snippet language: its id, tab label, template and Pygments lexer."""

    id: str
    label: str
    template: str
    lexer: str
    sdk: str | None = None  # the key in the operation's ``x-playground.sdk`` it needs
    #: Starts the operation's WebRTC call with the body's session (the SDK key is then looked
    #: up in ``x-playground.call.sdk``).
    call: bool = False
    #: The call's browser half (a page script with an ephemeral key), not a server's: it runs in
    #: a browser page, and shows the body as what the server sends for the key.
    browser: bool = False

    def available(self, op: Operation) -> bool:
        """Say whether the operation can be called this way (an SDK must name the method)."""
        if self.call:
            spec = call_spec(op)
            return spec is not None and (self.sdk is None or bool(spec.sdk.get(self.sdk)))
        return self.sdk is None or bool(op.extra.get("sdk", {}).get(self.sdk))


_REGISTRY = (
    Language(
        "typescript_utdk",
        "TypeScript (@utdk/openai)",
        "typescript_utdk.ts.jinja",
        "typescript",
        "utdk",
    ),
    Language(
        "typescript_openai",
        "TypeScript (openai)",
        "typescript_openai.ts.jinja",
        "typescript",
        "typescript",
    ),
    Language("python_openai", "Python (openai)", "python_openai.py.jinja", "python", "python"),
    Language("python_requests", "Python (requests)", "python_requests.py.jinja", "python"),
    Language("curl", "curl", "curl.sh.jinja", "bash"),
    Language("javascript_fetch", "JavaScript (fetch)", "javascript_fetch.js.jinja", "javascript"),
)
LANGUAGES: dict[str, Language] = {lang.id: lang for lang in _REGISTRY}
_CALL_REGISTRY = (
    Language(
        "python_openai_call",
        "Python (call)",
        "python_openai_call.py.jinja",
        "python",
        "python",
        call=True,
    ),
    Language("curl_call", "curl (call)", "curl_call.sh.jinja", "bash", call=True),
    Language(
        "browser_call",
        "Browser (WebRTC)",
        "browser_call.js.jinja",
        "javascript",
        call=True,
        browser=True,
    ),
)
CALL_LANGUAGES: dict[str, Language] = {lang.id: lang for lang in _CALL_REGISTRY}


def languages_for(op: Operation) -> list[Language]:
    """Give the languages the operation has snippets in, in tab order."""
    return [lang for lang in LANGUAGES.values() if lang.available(op)]


def call_languages_for(op: Operation) -> list[Language]:
    """Give the languages of the server half of the operation's call (none if it has none)."""
    return [lang for lang in CALL_LANGUAGES.values() if lang.available(op)]


def tabs_for(op: Operation) -> list[Language]:
    """Give every snippet the page shows for the operation: its request's, then its call's."""
    return languages_for(op) + call_languages_for(op)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader(__name__, "templates"),
        autoescape=False,  # source code, not HTML: each literal is escaped for its language
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        py=_py,
        py_str=python_string,
        js=_js,
        js_str=js_string,
        sh=shell_single_quote,
        tojson_pretty=json_source,
        js_comment_json=js_comment_json,
    )
    env.globals.update(py_kwargs=_py_kwargs)
    return env


# The literal filters take the render's ``shared`` work, so tabs of one body lay it out once.
@pass_context
def _py(context: Context, value: Any, indent: int = 0, column: int | None = None) -> str:
    return python_literal(value, indent, column, context.get("shared"))


@pass_context
def _js(
    context: Context, value: Any, indent: int = 0, flagged: Any = (), column: int | None = None
) -> str:
    return js_literal(value, indent, flagged, column, context.get("shared"))


@pass_context
def _py_kwargs(context: Context, body: dict[str, Any]) -> str | None:
    return python_kwargs(body, shared=context.get("shared"))


@cache
def _template(name: str) -> Template:
    return _environment().get_template(name)


def render_snippets(
    op: Operation,
    body: Any,
    base_url: str | None = None,
    languages: list[Language] | None = None,
) -> dict[str, str]:
    """Give the snippet of every language ``op`` has (or of ``languages``), by language id,
    laying the body out once per literal style instead of once per language."""
    shared = Shared()
    chosen = languages_for(op) if languages is None else languages
    return {lang.id: render_snippet(op, lang.id, body, base_url, shared) for lang in chosen}


def render_snippet(
    op: Operation,
    lang: str,
    body: Any,
    base_url: str | None = None,
    shared: Shared | None = None,
) -> str:
    """Give the plain source of a snippet that sends ``body`` for ``op`` in language ``lang``.

    ``base_url`` is a gateway's base URL; without one the snippet calls the public API. The API
    key is always read from the ``OPENAI_API_KEY`` environment variable. ``shared`` is work
    kept between the languages of one body (see :func:`render_snippets`).
    """
    language = LANGUAGES.get(lang) or CALL_LANGUAGES.get(lang)
    if language is None:
        known = ", ".join([*LANGUAGES, *CALL_LANGUAGES])
        raise KeyError(f"unknown language {lang!r}; known: {known}")
    if not language.available(op):
        raise KeyError(f"{language.label} has no method for the {op.id} operation")
    root = (base_url or DEFAULT_BASE_URL).rstrip("/")
    shown_base = base_url.rstrip("/") if base_url else None
    spec = call_spec(op) if language.call else None
    if spec is not None:  # the call: the server half sends the body's session, the browser's
        return _template(language.template).render(  # the offer with the key the body mints
            op=op,
            body=body,
            session=spec.session_of(body),
            path=spec.path,
            url=root + spec.path,
            base=root,
            base_url=shown_base,
            sdk_method=spec.sdk.get(language.sdk) if language.sdk else None,
            key_variable=API_KEY_VARIABLE,
            shared=shared,
        )
    sdk = op.extra.get("sdk", {})
    # What x-typescript-rejects records is the openai npm package's types: its tab alone flags.
    loose = loose_paths(op.root, body, shared) if language.sdk == "typescript" else set()
    return _template(language.template).render(
        op=op,
        body=body,
        method=op.method,
        path=op.path,
        url=root + op.path,
        base_url=shown_base,
        sdk_method=sdk.get(language.sdk) if language.sdk else None,
        key_variable=API_KEY_VARIABLE,
        loose=loose,
        shared=shared,
    )
