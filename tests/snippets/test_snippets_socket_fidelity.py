"""The Python (WebSocket) call snippet, run by the real ``openai`` SDK: against a recording
WebSocket gateway on 127.0.0.1 it connects to ``{base}/realtime?model=…`` with the key from the
environment and sends exactly the form's session as its first ``session.update``; against the
playground's own mock (its WebSocket door) the session is taken and in effect.

Every body of the GA corpus (``tests/fixtures/snippet_bodies_ga.json``) is one case of each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from playground.model.call_spec import call_spec, socket_query
from playground.model.operations import get_operation
from playground.snippets import render_snippet

TESTS = Path(__file__).resolve().parents[1]
OP = get_operation("client-secrets")
SPEC = call_spec(OP)
CORPUS: dict[str, Any] = json.loads(
    (TESTS / "fixtures" / "snippet_bodies_ga.json").read_text(encoding="utf-8")
)
API_KEY = "sk-test-socket-fidelity-0000"
LANG = "python_openai_socket"


def _session(body: Any) -> Any:
    assert SPEC is not None
    session = SPEC.session_of(body)
    return {"type": "realtime"} if session is None else session


def _run(text: str, folder: Path) -> str:
    """Run the snippet with the real SDK in ``folder``; give what it printed."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.upper().endswith("_PROXY") and not k.startswith("OPENAI_")
    }
    env.update(OPENAI_API_KEY=API_KEY, NO_PROXY="127.0.0.1,localhost", PYTHONIOENCODING="utf-8")
    (folder / "snippet.py").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "snippet.py"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the snippet failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _within(part: Any, whole: Any) -> bool:
    """Give whether every key and value of ``part`` is in ``whole`` (objects key by key; a null
    may be left out, as the SDK prints a session it read)."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            _within(value, whole.get(key)) for key, value in part.items()
        )
    if isinstance(part, list):
        return (
            isinstance(whole, list) and len(part) == len(whole) and all(map(_within, part, whole))
        )
    return part is None or bool(part == whole)


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_the_socket_snippet_sends_the_session_first(
    case: str, socket_gateway: Any, tmp_path: Path
) -> None:
    """One WebSocket to /v1/realtime with the session's model (or intent) in the query and the
    key as a Bearer header; its first event is session.update with exactly the form's session."""
    body = CORPUS[case]
    session = _session(body)
    text = render_snippet(OP, LANG, body, base_url=socket_gateway.url)
    assert API_KEY not in text
    _run(text, tmp_path)
    (seen,) = socket_gateway.connections
    query = socket_query(session) or {"model": "MODEL"}
    assert (seen["path"], seen["query"]) == ("/v1/realtime", query)
    assert seen["headers"]["Authorization"] == f"Bearer {API_KEY}"
    assert seen["messages"][0] == {"type": "session.update", "session": session}


@pytest.mark.parametrize("case", ["every_realtime_parameter", "transcription", "hostile_strings"])
def test_the_mocks_websocket_takes_the_snippets_session(
    case: str, live_server: Any, mock_calls: Any, tmp_path: Path
) -> None:
    """Against the playground's mock, offline: the session comes back in effect (every value the
    form set, over the API's defaults). Three bodies: each run starts the SDK (seconds)."""
    body = CORPUS[case]
    session = _session(body)
    text = render_snippet(OP, LANG, body, base_url=live_server.url + "/mock/v1")
    shown = json.loads(_run(text, tmp_path))
    assert _within(
        {k: v for k, v in session.items() if k != "model" or socket_query(session)}, shown
    )
