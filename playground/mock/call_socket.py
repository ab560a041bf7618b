"""The mock's WebSocket door, ``GET /mock/v1/realtime?model=…``: the same call engine as its
WebRTC peer (:mod:`playground.mock.call_engine`), with events as text messages both ways.

Audio comes as ``input_audio_buffer.append`` (base64 PCM16, 24 kHz, mono): cut into 20 ms
frames, its level feeds turn detection as the WebRTC peer's microphone track does; with turn
detection off ``input_audio_buffer.commit`` ends the turn. The voice goes out as
``response.output_audio.delta`` (the tone, PCM16 24 kHz) in 100 ms pieces as it plays; the
``output_audio_buffer.*`` events exist on WebRTC only and are not sent.

The upgrade is refused as the API refuses it: 401 without a Bearer key or with a bad ephemeral
one, 400 without ``model``. The playground's own call bridge opens this door in process
(:func:`open_call`), never through the network.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
import struct
import threading
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from flask_sock import ConnectionClosed, Sock

from playground.mock import call_routes
from playground.mock import keys as mock_keys
from playground.mock import responses as mock_responses
from playground.mock.answers import bearer_token, json_answer
from playground.mock.call_engine import AudioPiece, CallEngine, CarriedCall
from playground.mock.call_limits import CallRefused, CallSettings
from playground.mock.script import Conversation, Reply
from playground.mock.session import SessionRules, merged, rms_dbfs

RATE = 24000
_FRAME_BYTES = 2 * RATE // 50  # 20 ms of PCM16
_TONE_HZ = 440
#: One second of the tone at 24 kHz (440 whole cycles).
_TONE = b"".join(
    struct.pack("<h", int(8000 * math.sin(2 * math.pi * _TONE_HZ * n / RATE))) for n in range(RATE)
)
#: What the flask-sock route is called (its endpoint is ``mock.`` this).
_TWO_TONES = _TONE + _TONE  # a piece starting anywhere in the second is one slice
ENDPOINT = "realtime_socket"
_RECEIVE_SECONDS = 0.25  # how often the door looks whether the call ended
_sock = Sock()


class SocketCall(CarriedCall):
    """One mock call over a WebSocket: the :class:`CallTransport` of its engine.

    ``send_text`` sends one text message to the caller (called on the mock's loop);
    :meth:`receive` takes one from it (call it on the loop too). ``ended`` is set once the
    engine closed the call.
    """

    def __init__(
        self,
        conversation: Conversation,
        settings: CallSettings,
        send_text: Callable[[str], None],
        client: str = "",
    ) -> None:
        self.engine = CallEngine(conversation, settings, self, client)
        self.ended = threading.Event()
        self._send_text = send_text
        self._pending = b""  # appended audio short of a whole 20 ms frame

    def begin(self) -> None:
        """Start the call (on the loop): greet and watch."""
        self.engine.watch()
        self.engine.greet()

    def send(self, event: dict[str, Any]) -> None:
        """Send one server event (not the WebRTC-only ``output_audio_buffer.*`` ones)."""
        if self.ended.is_set() or str(event.get("type", "")).startswith("output_audio_buffer."):
            return
        try:
            self._send_text(json.dumps(event))
        except (ConnectionClosed, OSError):  # the caller is gone: the door ends the call
            self.ended.set()

    def receive(self, text: str) -> None:
        """Take one client event: audio for turn detection, anything else for the engine."""
        if self.ended.is_set():
            return
        kind = ""
        if "input_audio_buffer." in text:  # audio arrives ten times a second: look first
            try:
                event = json.loads(text)
            except ValueError:
                event = None
            kind = str(event.get("type", "")) if isinstance(event, dict) else ""
            if kind == "input_audio_buffer.append" and isinstance(event, dict):
                self._append(event)
                return
        if kind == "input_audio_buffer.clear":
            self._pending = b""
        self.engine.on_message(text)

    def _append(self, event: dict[str, Any]) -> None:
        conversation = self.engine.conversation
        about = event.get("event_id")
        audio_format = conversation.session.get("audio", {}).get("input", {}).get("format") or {}
        if audio_format.get("type", "audio/pcm") != "audio/pcm":
            message = "The playground's mock hears audio/pcm (PCM16, 24 kHz) only."
            self.send(conversation.error(message, "audio", "unsupported_format", about))
            return
        try:
            pcm = base64.b64decode(str(event.get("audio", "")), validate=True)
        except (binascii.Error, ValueError):
            message = "Invalid 'audio': it must be base64-encoded PCM16."
            self.send(conversation.error(message, "audio", "invalid_value", about))
            return
        data = self._pending + pcm
        whole = len(data) - len(data) % _FRAME_BYTES
        for start in range(0, whole, _FRAME_BYTES):
            self.engine.hear(rms_dbfs(data[start : start + _FRAME_BYTES]), 20.0)
        self._pending = data[whole:]

    def play(self, reply: Reply) -> None:
        """Nothing to start: the voice goes out piece by piece (:meth:`audio`)."""

    def audio(self, piece: AudioPiece) -> None:
        """Send the tone from ``piece.start`` to ``piece.end`` as a ``.delta`` event."""
        first, last = round(piece.start * RATE), round(piece.end * RATE)
        at = 2 * (first % RATE)
        pcm = _TWO_TONES[at : at + 2 * min(RATE, last - first)]
        delta = base64.b64encode(pcm).decode("ascii")
        event = self.engine.conversation.event(
            "response.output_audio.delta", **piece.at, delta=delta
        )
        self.send(event)

    def hush(self) -> None:
        """Nothing to stop: no piece goes out once the reply is cancelled."""

    def present(self) -> bool:
        """Give whether the caller is still connected."""
        return not self.ended.is_set()

    async def close(self) -> None:
        """Say the call ended (the door closes the socket)."""
        self.ended.set()


def _socket_session(token: str, query: Mapping[str, str]) -> tuple[dict[str, Any], SessionRules]:
    """Give the session a socket call with the Bearer ``token`` starts with (the key's, the
    URL's ``model`` or ``intent`` over it) and its rules; raise :class:`CallRefused` (400, 401,
    404) as the API refuses the upgrade."""
    if not token:
        raise CallRefused(401, mock_responses.MISSING_KEY, "missing_api_key")
    session, rules = call_routes.starting_session(token)
    if query.get("call_id"):
        message = "The playground's mock does not join calls by call_id: give model instead."
        raise CallRefused(400, message, "invalid_value", "call_id")
    if query.get("intent") == "transcription":
        return merged(session, {"type": "transcription"}), rules
    model = query.get("model", "").strip()
    if model:
        return merged(session, {"model": model}), rules
    if mock_keys.is_ephemeral(token):
        return session, rules
    raise CallRefused(400, "Missing required parameter: 'model'.", "missing_required_parameter")


def open_call(
    token: str, query: Mapping[str, str], send_text: Callable[[str], None]
) -> tuple[SocketCall, asyncio.AbstractEventLoop]:
    """Give a started mock call for the Bearer ``token`` and the URL's ``query`` (``model``),
    sending to ``send_text``, and the loop it runs on; raise :class:`CallRefused` when it
    cannot start."""
    from playground.mock.call_peer import peers

    session, rules = _socket_session(token, query)
    settings = CallSettings.from_config(current_app.config)
    conversation = Conversation(rules, session, settings.max_seconds)
    call = SocketCall(conversation, settings, send_text, request.remote_addr or "")
    peers.admit(call, settings)
    loop = peers.running_loop(settings.host)
    loop.call_soon_threadsafe(call.begin)
    return call, loop


def end_call(call: SocketCall) -> None:
    """End ``call`` (waiting, boundedly, until it is gone)."""
    from playground.mock.call_peer import peers

    call.ended.set()
    peers.close_soon(call)


def add_routes(app: Flask, bp: Blueprint) -> None:
    """Add the WebSocket door to the mock's blueprint ``bp``."""
    bp.before_request(_check_upgrade)
    _sock.route("/realtime", bp=bp)(realtime_socket)


def _check_upgrade() -> Response | None:
    """Refuse the upgrade as the API does, before it happens (401 without a key, 400…)."""
    if request.endpoint != f"mock.{ENDPOINT}":
        return None
    try:
        _socket_session(bearer_token(), request.args)
    except CallRefused as refused:
        error = mock_responses.api_error(refused.message, refused.param, refused.code)
        return json_answer(refused.status, error)
    return None


def realtime_socket(ws: Any) -> None:
    """Serve one call over the WebSocket ``ws`` until either side ends it."""
    try:
        call, loop = open_call(bearer_token(), request.args, ws.send)
    except CallRefused as refused:  # over the mock's call limit (the key was checked)
        error = {"type": "invalid_request_error", "code": refused.code, "message": refused.message}
        ws.send(json.dumps({"type": "error", "event_id": "event_refused", "error": error}))
        ws.close(1013, "Try again later")
        return
    try:
        while not call.ended.is_set():
            text = ws.receive(timeout=_RECEIVE_SECONDS)
            if text is not None:
                text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
                loop.call_soon_threadsafe(call.receive, text)
    except ConnectionClosed:
        pass
    finally:
        end_call(call)
