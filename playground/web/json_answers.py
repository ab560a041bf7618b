"""The JSON answers of the routes that answer JSON only (``POST /call``, ``POST /call/hangup``),
refusals included: what the page's script needs to show a refusal as a send's pane shows it.

A refusal or failure is ``{"ok": false, ...}`` with

- ``title`` and ``refused``: the words of a refusal before anything was sent ("" otherwise);
- ``message``: the one line the call's status says;
- ``status``, ``reason``, ``elapsed_ms``, ``method``, ``path``, ``via``: the gateway's answer
  (``status`` null when none came);
- ``failure``, ``hint``, ``error`` (the API's ``{message, type, param, code}``) and ``param``;
- ``field`` (the id of the input the ``param`` names, "" for none) and ``slots`` (every error
  slot id of the form with its message: the form's problems and the API's);
- ``headers`` (``[name, value]`` pairs), ``body`` (the answer's text), ``form_errors`` (how many
  problems the form had when it was sent anyway) and ``retry_after`` (seconds, or null).

Every text is masked already (:class:`~playground.transport.result.Result`) and written with its
hidden characters shown (:func:`~playground.web.visible.shown`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from playground.transport.result import Result
from playground.web.forms import field_id
from playground.web.visible import shown

_JSON_ONLY: set[str] = set()


def answers_json_only(bp: Blueprint) -> None:
    """Have every refusal of ``bp``'s routes (CSRF, limits, origin, in flight) answer JSON."""
    _JSON_ONLY.add(bp.name)


def wants_json() -> bool:
    """Give whether this request's route answers JSON only."""
    return request.blueprint in _JSON_ONLY


def json_answer(payload: dict[str, Any], code: int = 200) -> Response:
    """Give ``payload`` as a JSON answer with ``code``, never cached."""
    response = jsonify(payload)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def refusal(
    message: str, code: int, title: str = "Not sent.", retry_after: int | None = None
) -> dict[str, Any]:
    """Give the JSON of a request refused before anything was sent."""
    return {
        "ok": False,
        "title": title,
        "refused": shown(message),
        "message": shown(message),
        "status": None,
        "code": code,
        "retry_after": retry_after,
    }


def failure(
    result: Result,
    via: str,
    path: str,
    marked: tuple[dict[str, str], str],
    form_errors: int = 0,
) -> dict[str, Any]:
    """Give the JSON of a gateway's answer that started nothing: ``marked`` is the form's
    problems with the API's ``param`` among them, and the form path it names."""
    errors, error_field = marked
    error = result.api_error
    api = {k: shown(str(v)) if v is not None else None for k, v in (error or {}).items()}
    said = result.failure or (api.get("message") if error else "") or result.hint
    status = f"{result.status} {result.reason}" if result.status is not None else "No response"
    return {
        "ok": False,
        "title": "",
        "refused": "",
        "message": shown(": ".join(part for part in (status, str(said or "")) if part)),
        "status": result.status,
        "reason": result.reason,
        "elapsed_ms": result.elapsed_ms,
        "method": "POST",
        "path": path,
        "via": shown(via),
        "failure": shown(result.failure),
        "hint": result.hint if not result.failure else "",
        "error": api or None,
        "param": api.get("param") if error else None,
        "field": field_id(error_field) if error_field else "",
        "slots": {"e-" + field_id(p): shown(m) for p, m in errors.items()},
        "headers": [[shown(n), shown(v)] for n, v in result.headers],
        "body": shown(result.pretty if result.is_json else result.text),
        "form_errors": form_errors,
        "retry_after": None,
    }
