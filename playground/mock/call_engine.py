"""One mock call's engine, whatever carries it: the conversation, turn detection, the replies on
their timeline and the watchdog, on the mock's asyncio loop.

The engine speaks to its caller through a :class:`CallTransport`, of which there are two: the
WebRTC peer (:mod:`playground.mock.call_peer`: events on the ``oai-events`` data channel, the
voice a tone on the media track) and the WebSocket (:mod:`playground.mock.call_socket`: events
as text messages, the voice as ``response.output_audio.delta`` PCM16). The transport feeds the
engine what arrives: client events (:meth:`CallEngine.on_message`) and the level of each frame
of microphone audio (:meth:`CallEngine.hear`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from playground.mock.call_limits import CallSettings
from playground.mock.script import Conversation, Reply, Step
from playground.mock.session import VoiceActivity, new_id, turn_settings

#: The spoken reply's audio goes out in pieces of this many seconds (on a WebSocket).
AUDIO_PIECE_SECONDS = 0.1


@dataclass(frozen=True)
class AudioPiece:
    """A stretch of a spoken reply's audio, ``start`` to ``end`` seconds into it; ``at`` holds
    the ids an audio event names (``response_id``, ``item_id``, indexes)."""

    at: dict[str, Any]
    start: float
    end: float


class CallTransport(Protocol):
    """What carries a call: the engine's events and voice out, the caller's events and mic in."""

    def send(self, event: dict[str, Any]) -> None:
        """Send one server event to the caller (dropped once the caller is gone)."""

    def play(self, reply: Reply) -> None:
        """Start the voice of ``reply`` (``reply.tone_seconds`` of it)."""

    def audio(self, piece: AudioPiece) -> None:
        """Send a piece of the playing reply's voice, if the voice goes as events."""

    def hush(self) -> None:
        """Stop the voice now (the reply was cancelled)."""

    def present(self) -> bool:
        """Give whether the caller is connected (a WebRTC peer may still be connecting)."""

    async def close(self) -> None:
        """Close the connection to the caller."""


#: The least audio a commit takes, as the API says.
_MIN_COMMIT_MS = 100


class CallEngine:
    """One call's conversation and timeline over a :class:`CallTransport`."""

    def __init__(
        self,
        conversation: Conversation,
        settings: CallSettings,
        transport: CallTransport,
        client: str = "",
    ) -> None:
        self.id = new_id("rtc_")
        self.conversation = conversation
        self.limits = settings
        self.transport = transport
        self.client = client  # who started it (its remote address): its share of the calls
        self.connected = False  # ever: a call never connected is dropped sooner
        self.mic_frames = 0
        self._uncommitted_ms = 0.0  # audio heard since the last commit (or clear)
        self._vad: VoiceActivity | None = None
        self._reply_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._opened = self._last_heard = time.monotonic()
        self._ending = False
        self._closing: asyncio.Future[None] | None = None
        self._on_end: list[Callable[[CallEngine], None]] = []
        self.configure_turns()

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run ``coro`` as one of the call's tasks (cancelled when the call ends)."""
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def watch(self) -> None:
        """Start the watchdog (when the connection to the caller starts to open)."""
        self.spawn(self._watch())

    def greet(self) -> None:
        """Send ``session.created`` (when the caller can hear it)."""
        self.transport.send(self.conversation.created())

    def configure_turns(self) -> None:
        """Set turn detection from the session (again after a ``session.update``)."""
        turns = turn_settings(self.conversation.session)
        heard = self._vad.heard_ms if self._vad else 0.0
        self._vad = VoiceActivity(turns, heard_ms=heard) if turns else None

    def on_message(self, text: str) -> None:
        """Answer one client event."""
        self._last_heard = time.monotonic()
        if "input_audio_buffer." in text:  # the buffer of heard audio is the engine's
            try:
                event = json.loads(text)
            except ValueError:
                event = None
            kind = event.get("type") if isinstance(event, dict) else None
            if kind == "input_audio_buffer.commit" and isinstance(event, dict):
                self.commit(event.get("event_id"))
                return
            if kind == "input_audio_buffer.clear":
                self._uncommitted_ms = 0.0
        self.apply(self.conversation.handle(text))

    def commit(self, about: Any) -> None:
        """Commit the audio heard since the last commit (``input_audio_buffer.commit``), or
        refuse as the API does when it is under 100 ms."""
        conversation = self.conversation
        if self._uncommitted_ms < _MIN_COMMIT_MS:
            message = (
                "Error committing input audio buffer: buffer too small. Expected at least "
                f"{_MIN_COMMIT_MS}ms of audio, but buffer only has "
                f"{self._uncommitted_ms:.0f}ms of audio."
            )
            self.transport.send(
                conversation.error(message, None, "input_audio_buffer_commit_empty", about)
            )
            return
        spoken, self._uncommitted_ms = int(self._uncommitted_ms), 0.0
        self.apply(conversation.commit(spoken))

    def hear(self, dbfs: float | None, ms: float) -> None:
        """Take one frame of microphone audio (its level; None for one that is not audio)."""
        self.mic_frames += 1
        self._last_heard = time.monotonic()
        if dbfs is None:
            return
        self._uncommitted_ms += ms
        if self._vad is None:
            return
        change = self._vad.feed(dbfs, ms)
        if change:
            if change[0] == "stopped":
                self._uncommitted_ms = 0.0  # the turn's end commits it
            spoken = int(self._vad.heard_ms - self._vad.started_ms)
            self.apply(self.conversation.speech(change, spoken))

    def apply(self, step: Step) -> None:
        """Carry out what one client event or turn change gave."""
        for event in step.events:
            self.transport.send(event)
        if step.session_changed:
            self.configure_turns()
        if step.cancel and self._reply_task is not None:
            self._reply_task.cancel()
        if step.reply is not None:
            self._reply_task = self.spawn(self._play(step.reply))

    async def _play(self, reply: Reply) -> None:
        started = time.monotonic()
        self.transport.play(reply)
        try:
            for offset, what in _with_audio(reply):
                await asyncio.sleep(max(0.0, started + offset - time.monotonic()))
                if isinstance(what, AudioPiece):
                    self.transport.audio(what)
                else:
                    self.transport.send(what)
        except asyncio.CancelledError:
            self.transport.hush()
            for event in self.conversation.cancelled(reply):
                self.transport.send(event)
            raise
        self.conversation.finished(reply)

    async def _watch(self) -> None:
        """Close the call once it is over its length, or its caller is gone or never came."""
        limits = self.limits
        while not self._ending:
            await asyncio.sleep(min(0.5, limits.idle_seconds / 4, limits.connect_seconds / 4))
            now = time.monotonic()
            present = self.transport.present()
            self.connected = self.connected or present
            if now - self._opened > limits.max_seconds:
                message = f"The call reached the mock's length limit ({limits.max_seconds:g} s)."
                self.transport.send(self.conversation.error(message, None, "session_expired"))
                await self.close()
            elif not self.connected and now - self._opened > limits.connect_seconds:
                await self.close()  # never connected: a slot held for nobody
            elif now - self._last_heard > limits.idle_seconds and (present or self.mic_frames):
                await self.close()  # no mic audio and no message: the caller vanished
            elif not present and now - self._opened > limits.idle_seconds:
                await self.close()  # lost: nobody is there

    def on_end(self, callback: Callable[[CallEngine], None]) -> None:
        """Call ``callback(engine)`` once when the call ends (the registry forgets it)."""
        self._on_end.append(callback)

    @property
    def ending(self) -> bool:
        """Give whether the call is ending or ended."""
        return self._ending

    async def close(self) -> None:
        """End the call: transport and tasks (a second call waits for the first)."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close_now())
        await asyncio.shield(self._closing)

    async def _close_now(self) -> None:
        self._ending = True
        try:
            await self.transport.close()
        finally:
            for task in list(self._tasks):
                task.cancel()
            # Only now: until its sockets are closed the call is live (and shutdown waits on it).
            for callback in self._on_end:
                callback(self)


def _with_audio(reply: Reply) -> list[tuple[float, dict[str, Any] | AudioPiece]]:
    """Give the reply's timeline with its voice cut into :class:`AudioPiece` s, each at the
    moment its audio has played (before the events of that moment: the last piece comes before
    ``response.output_audio.done``)."""
    timeline: list[tuple[float, int, dict[str, Any] | AudioPiece]] = [
        (offset, 1, event) for offset, event in reply.timeline
    ]
    at = next(
        (
            {k: e[k] for k in ("response_id", "item_id", "output_index", "content_index")}
            for _, e in reply.timeline
            if "item_id" in e and "content_index" in e
        ),
        None,
    )
    if reply.tone_seconds and at is not None:
        start = 0.0
        while start < reply.tone_seconds:
            end = min(reply.tone_seconds, start + AUDIO_PIECE_SECONDS)
            timeline.append((end, 0, AudioPiece(at, start, end)))
            start = end
    timeline.sort(key=lambda entry: (entry[0], entry[1]))
    return [(offset, what) for offset, _, what in timeline]


class CarriedCall:
    """What a call over either transport is to the registry: its engine, whose id and client
    it gives (subclasses set ``engine``)."""

    engine: CallEngine

    @property
    def id(self) -> str:
        """Give the call's id."""
        return self.engine.id

    @property
    def client(self) -> str:
        """Give who started the call (its remote address): its share of the calls."""
        return self.engine.client
