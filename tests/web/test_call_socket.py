"""The call bridge (``/call/socket``), driven as the page drives it by a real ``websockets`` client
against the playground served on 127.0.0.1, with a recording WebSocket gateway (a ``websockets``
server) or the playground's own mock behind it."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from werkzeug.datastructures import MultiDict

from playground.model.form_filler import form_from_body
from playground.model.operations import get_operation

KEY = "sk-bridge-visitor-0123456789"
OPERATOR_KEY = "sk-operator-secret-9876543210"
OP = get_operation("client-secrets")
SESSION = {
    "type": "realtime",
    "model": "gpt-realtime",
    "instructions": "Speak like a pirate.",
    "audio": {"output": {"voice": "marin"}},
}


def _form(session: dict[str, Any] | None = None) -> MultiDict[str, str]:
    """Give the page's form for a client secret whose session is ``session``."""
    filled = form_from_body(OP.root, {"session": SESSION if session is None else session})
    return MultiDict([("op", OP.id), *filled.form.items()])


def _auth(gateway_url: str, key: str = KEY) -> dict[str, str]:
    """Give the headers static/auth.js sets for a visitor's own gateway and key."""
    return {"X-Playground-Gateway": quote(gateway_url), "X-Playground-Key": key}


def _next(ws: Any, kind: str | None = None) -> Any:
    """Give the next message (of type ``kind``, skipping others)."""
    while True:
        message = json.loads(ws.recv(timeout=15))
        if kind is None or message["type"] == kind:
            return message


@pytest.fixture
def serve(make_app: Any, serve_wsgi: Any, mock_calls: Any) -> Any:
    """Give a function serving a test app made with ``config`` on 127.0.0.1 (its URL)."""
    return lambda **config: serve_wsgi(make_app(**config)).url


@pytest.fixture
def silent_listener() -> Iterator[str]:
    """Give the base URL of a TCP server on 127.0.0.1 that accepts and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    stop.set()
    thread.join()
    for each in accepted:
        each.close()
    listener.close()


def test_the_bridge_calls_the_gateway_with_the_key_and_the_previewed_session(
    serve: Any, socket_gateway: Any, bridge_visitor: Any, reveal: Any
) -> None:
    """The gateway sees /v1/realtime?model=<the session's model> with the visitor's key as a
    Bearer header set by the server, then session.update with exactly the form's session;
    appends are relayed as they are, its events come back (a key it echoes masked), and a
    hang-up closes its socket normally."""
    visitor = bridge_visitor(serve())
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        connected = _next(ws)
        assert connected == {
            "type": "playground.connected",
            "gateway": "your gateway",
            "model": "gpt-realtime",
        }
        assert _next(ws)["type"] == "session.created"
        assert _next(ws)["type"] == "session.updated"
        append = {"type": "input_audio_buffer.append", "audio": "AAAAAP//AQA="}
        ws.send(json.dumps(append))
        ws.send(json.dumps({"type": "echo", "say": {"type": "error", "error": {"message": KEY}}}))
        echoed = _next(ws, "error")
    assert socket_gateway.closed.wait(10)
    (seen,) = socket_gateway.connections
    assert (seen["path"], seen["query"]) == ("/v1/realtime", {"model": "gpt-realtime"})
    assert seen["headers"]["Authorization"] == f"Bearer {KEY}"
    assert "X-Playground-Key" not in seen["headers"] and "Cookie" not in seen["headers"]
    first, second, _ = seen["messages"]
    assert first == {"type": "session.update", "session": SESSION}
    assert list(first["session"]) == list(SESSION)  # key order kept, as the preview shows it
    assert second == append
    assert KEY not in reveal(json.dumps(echoed)) and "[your key]" in echoed["error"]["message"]
    assert seen["close_code"] == 1000


def test_an_operators_gateway_gets_its_key_which_the_page_never_sees(
    serve: Any, socket_gateway: Any, bridge_visitor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A configured gateway (hosted mode) is named, not given: the server adds its key from
    the environment, and a gateway echoing it shows the page a placeholder."""
    monkeypatch.setenv("BRIDGE_TEST_KEY", OPERATOR_KEY)
    gateways = [{"name": "team", "base_url": socket_gateway.url, "key_env": "BRIDGE_TEST_KEY"}]
    visitor = bridge_visitor(serve(GATEWAYS=gateways, SEND_CONFIGURED_ONLY=True))
    with visitor.open(_form(), {"X-Playground-Gateway-Name": "team"}) as ws:
        assert _next(ws)["gateway"] == "team"
        _next(ws, "session.updated")
        ws.send(json.dumps({"type": "echo", "say": {"type": "note", "said": OPERATOR_KEY}}))
        assert _next(ws, "note")["said"] == "[the gateway's key]"
    assert socket_gateway.connections[0]["headers"]["Authorization"] == f"Bearer {OPERATOR_KEY}"


def test_hosted_mode_refuses_a_visitors_own_gateway(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """With SEND_CONFIGURED_ONLY a typed gateway URL is refused before any connection."""
    visitor = bridge_visitor(serve(SEND_CONFIGURED_ONLY=True))
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        refused = _next(ws)
    assert refused["type"] == "playground.refused"
    assert "only to its configured gateways" in refused["message"]
    assert socket_gateway.connections == []


def test_the_ssrf_guard_refuses_an_internal_gateway(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """With the SSRF guard on, a gateway on 127.0.0.1 is not connected to."""
    visitor = bridge_visitor(serve(SSRF_GUARD=True))
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        refused = _next(ws)
    assert "internal addresses" in refused["message"] and "loopback" in refused["message"]
    assert socket_gateway.connections == []


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (401, '{"error": {"message": "Incorrect API key provided: sk-bri***"}}', "API key"),
        (404, '{"error": {"message": "Not Found"}}', "/realtime"),
        (426, "Upgrade Required", "WebRTC"),
    ],
)
def test_a_refused_upgrade_names_the_status_and_the_gateways_message(
    serve: Any, socket_gateway: Any, bridge_visitor: Any, status: int, body: str, words: str
) -> None:
    """401, 404, 426: the page is told the status, what the gateway said, and what to try."""
    socket_gateway.refuse = (status, body)
    visitor = bridge_visitor(serve())
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        refused = _next(ws)
    said = json.loads(body)["error"]["message"] if body.startswith("{") else body
    assert (refused["type"], refused["status"]) == ("playground.refused", status)
    assert f"refused the WebSocket with {status}" in refused["message"]
    assert said in refused["message"] and words in refused["message"]


def test_a_gateway_closing_mid_call_is_named_with_its_code_and_reason(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """The gateway closes with 1011: the page is told the gateway closed it, code and reason."""

    def close_soon(connection: Any, record: dict[str, Any]) -> None:
        connection.send(json.dumps({"type": "session.created", "session": {}}))
        record["messages"].append(json.loads(connection.recv(timeout=10)))
        connection.close(1011, "upstream went away")

    socket_gateway.behaviour = close_soon
    visitor = bridge_visitor(serve())
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        closed = _next(ws, "playground.closed")
    assert (closed["by"], closed["code"], closed["reason"]) == (
        "gateway",
        1011,
        "upstream went away",
    )
    assert "The gateway closed the call" in closed["message"]


def test_a_gateway_that_never_answers_the_upgrade_is_cut_at_the_deadline(
    serve: Any, silent_listener: str, bridge_visitor: Any
) -> None:
    """A gateway that takes the connection and never answers: refused at the visitor's
    deadline (1 s here), saying so."""
    visitor = bridge_visitor(serve(SEND_VISITOR_DEADLINE=1))
    with visitor.open(_form(), _auth(silent_listener)) as ws:
        refused = _next(ws)
    assert refused["status"] is None
    assert "did not answer the WebSocket upgrade within 1 s" in refused["message"]


def test_a_gateway_that_opens_and_says_nothing_is_cut_at_the_deadline(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """Upgraded, then silence (no session.created): the server ends the call at the deadline
    and closes the gateway's socket."""
    socket_gateway.behaviour = lambda connection, record: connection.wait_closed()
    visitor = bridge_visitor(serve(SEND_VISITOR_DEADLINE=1))
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        closed = _next(ws, "playground.closed")
    assert closed["by"] == "server" and "sent nothing within 1 s" in closed["message"]
    assert socket_gateway.closed.wait(10)


def test_an_idle_call_is_ended_by_the_server(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """Nothing either way for CALL_SOCKET_IDLE_SECONDS: ended, and the page told why."""
    visitor = bridge_visitor(serve(CALL_SOCKET_IDLE_SECONDS=1))
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        closed = _next(ws, "playground.closed")
    assert closed["by"] == "server" and "CALL_SOCKET_IDLE_SECONDS" in closed["message"]


def test_a_gateways_message_over_the_cap_ends_the_call(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """A gateway event larger than CALL_SOCKET_MAX_MESSAGE_BYTES is not relayed: the call ends
    saying so."""
    visitor = bridge_visitor(serve(CALL_SOCKET_MAX_MESSAGE_BYTES=64 * 1024))
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        _next(ws, "session.updated")
        ws.send(json.dumps({"type": "echo", "say": {"type": "big"}, "pad": 40_000}))
        assert _next(ws, "big")  # under the cap: relayed
        ws.send(json.dumps({"type": "echo", "say": {"type": "big"}, "pad": 70_000}))
        closed = _next(ws, "playground.closed")
    assert closed["by"] == "server" and "larger than the server relays" in closed["message"]


def test_a_pages_message_over_the_cap_ends_the_call(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """The page's message over the cap: the page is told, its socket closed with 1009 (message
    too big), and the gateway's with it; nothing of it reached the gateway."""
    visitor = bridge_visitor(serve(CALL_SOCKET_MAX_MESSAGE_BYTES=64 * 1024))
    with visitor.open(_form(), _auth(socket_gateway.url)) as ws:
        _next(ws, "session.updated")
        ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": "A" * 70_000}))
        closed = _next(ws, "playground.closed")
        with pytest.raises(ConnectionClosed) as ended:
            ws.recv(timeout=10)
    assert closed["by"] == "server" and "The page sent a message larger" in closed["message"]
    assert ended.value.rcvd is not None and ended.value.rcvd.code == 1009
    assert socket_gateway.closed.wait(10)
    assert [m["type"] for m in socket_gateway.connections[0]["messages"]] == ["session.update"]


@pytest.mark.parametrize("own_mock", [False, True], ids=["gateway", "own-mock"])
def test_the_per_client_limit_refuses_a_second_call(
    serve: Any, socket_gateway: Any, bridge_visitor: Any, own_mock: bool
) -> None:
    """A call holds a place among the requests in flight until it ends (one to the own mock
    too: it holds a thread as long): over the per-client limit a second is refused (429)."""
    base = serve(SEND_MAX_IN_FLIGHT_PER_CLIENT=1)
    gateway = base + "/mock/v1" if own_mock else socket_gateway.url
    visitor = bridge_visitor(base)
    with visitor.open(_form(), _auth(gateway)) as first:
        _next(first, "session.updated")
        with visitor.open(_form(), _auth(gateway)) as second:
            refused = _next(second)
    assert (refused["type"], refused["status"]) == ("playground.refused", 429)
    assert "from your address" in refused["message"]


def test_the_handshake_needs_the_pages_token_and_a_trusted_origin(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """Without the page's CSRF token nothing is done (told why); another site's upgrade is
    refused (403) before it happens."""
    visitor = bridge_visitor(serve())
    with visitor.open(_form(), _auth(socket_gateway.url), token="forged") as ws:
        refused = _next(ws)
    assert refused["status"] == 400 and "security token" in refused["message"]
    with pytest.raises(InvalidStatus) as foreign:
        visitor.open(_form(), _auth(socket_gateway.url), origin="http://attacker.example")
    assert foreign.value.response.status_code == 403
    assert socket_gateway.connections == []


def test_a_session_without_a_model_is_refused(
    serve: Any, socket_gateway: Any, bridge_visitor: Any
) -> None:
    """A WebSocket call names its model in the URL: a session with none is refused clearly."""
    visitor = bridge_visitor(serve())
    with visitor.open(_form({"type": "realtime"}), _auth(socket_gateway.url)) as ws:
        refused = _next(ws)
    assert "choose a model" in refused["message"]
    assert socket_gateway.connections == []


def test_the_own_mock_answers_through_the_bridge_offline(serve: Any, bridge_visitor: Any) -> None:
    """The mock's URL as the gateway: answered in process (behind the SSRF guard too), the
    session applied, a typed message answered with audio deltas; hang-up ends the mock call."""
    base = serve(SSRF_GUARD=True)
    visitor = bridge_visitor(base)
    with visitor.open(_form(), _auth(base + "/mock/v1")) as ws:
        assert _next(ws)["type"] == "playground.connected"
        assert _next(ws, "session.created")["session"]["model"] == "gpt-realtime"
        updated = _next(ws, "session.updated")
        assert updated["session"]["instructions"] == SESSION["instructions"]
        assert updated["session"]["audio"]["output"]["voice"] == "marin"
        item = {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": "hi"}],
        }
        ws.send(json.dumps({"type": "conversation.item.create", "item": item}))
        ws.send(json.dumps({"type": "response.create"}))
        assert _next(ws, "response.output_audio.delta")["delta"]
        assert _next(ws, "response.done")["response"]["status"] == "completed"


def test_an_ephemeral_key_calls_without_a_session_update(
    serve: Any, socket_gateway: Any, bridge_visitor: Any, reveal: Any
) -> None:
    """Connect with a minted key: the server calls with that key (the key carries the session,
    so no session.update goes first), and the key is masked in what comes back."""
    ek = "ek_test_minted_0123456789"
    visitor = bridge_visitor(serve())
    auth = {**_auth(socket_gateway.url), "X-Playground-Ephemeral-Key": ek}
    with visitor.open(_form(), auth) as ws:
        _next(ws, "session.created")
        ws.send(json.dumps({"type": "echo", "say": {"type": "note", "said": ek}}))
        note = _next(ws, "note")
    assert socket_gateway.closed.wait(10)
    (seen,) = socket_gateway.connections
    assert seen["headers"]["Authorization"] == f"Bearer {ek}"
    assert [m["type"] for m in seen["messages"]] == ["echo"]
    assert ek not in reveal(json.dumps(note)) and note["said"] == "[the ephemeral key]"
