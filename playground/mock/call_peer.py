"""Mock calls as real WebRTC peers (aiortc), all on one asyncio loop in one background thread.

:data:`peers` is the process's registry. A request thread hands it an SDP offer with
:meth:`CallPeers.start` and waits (up to a deadline) for the answer, gathered on the loop; the
peer then lives on the loop: ``oai-events`` messages go to a
:class:`~playground.mock.script.Conversation`, mic audio to turn detection, replies play a tone
on the outgoing track. Every address offered is ``CallSettings.host`` (127.0.0.1 by default) and
no STUN server is asked, so nothing leaves the machine. A watchdog closes a call that never
connects, whose connection failed, whose mic went quiet (the browser vanished) or that ran past
its length limit; a hang-up (route, data channel or connection closed) ends it at once.
"""

from __future__ import annotations

import asyncio
import json
import math
import struct
import threading
import time
from collections.abc import Coroutine
from typing import Any

import aioice.ice
from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCDataChannel,
    RTCPeerConnection,
    RTCSessionDescription,
)

from playground.mock.audio import FRAME_SAMPLES, RATE, PacedTrack, frame_levels
from playground.mock.call_limits import CallRefused, CallSettings, StartWindow, check_share
from playground.mock.script import Conversation, Reply, Step
from playground.mock.session import SessionRules, VoiceActivity, new_id, turn_settings

TONE_HZ = 440
EVENTS_LABEL = "oai-events"
#: One second of the tone (440 whole cycles), cut into 20 ms frames as it plays.
_TONE = b"".join(
    struct.pack("<h", int(8000 * math.sin(2 * math.pi * TONE_HZ * n / RATE))) for n in range(RATE)
)
_SILENCE = bytes(2 * FRAME_SAMPLES)


class ToneTrack(PacedTrack):
    """The mock's voice: a 440 Hz tone while a reply plays, silence otherwise (48 kHz mono)."""

    def __init__(self) -> None:
        super().__init__()
        self._tone_until = 0  # sample count up to which the tone plays
        self.tone_frames = 0

    def play(self, seconds: float) -> None:
        """Play the tone for ``seconds`` from now."""
        self._tone_until = self._sent + int(seconds * RATE)

    def hush(self) -> None:
        """Stop the tone now (a reply was cancelled)."""
        self._tone_until = 0

    def pcm(self, sent: int) -> bytes:
        """Give the tone's next 20 ms while a reply plays, silence otherwise."""
        if sent >= self._tone_until:
            return _SILENCE
        self.tone_frames += 1
        start = 2 * (sent % RATE)
        return _TONE[start : start + len(_SILENCE)]  # 20 ms frames divide the second


class MockCall:
    """One live call: its peer connection, conversation, tone, turn detection and watchdog."""

    def __init__(self, conversation: Conversation, settings: CallSettings, client: str) -> None:
        self.id = new_id("rtc_")
        self.conversation = conversation
        self.settings = settings
        self.client = client  # who started it (its remote address): its share of the calls
        self.connected = False  # ever
        self.tone = ToneTrack()
        self.mic_frames = 0
        self._pc: RTCPeerConnection | None = None
        self._channel: RTCDataChannel | None = None
        self._vad: VoiceActivity | None = None
        self._reply_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._opened = self._last_heard = time.monotonic()
        self._ending = False
        self._closing: asyncio.Future[None] | None = None
        self._on_end: list[Any] = []

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def open(self, offer_sdp: str) -> str:
        """Give the SDP answer to ``offer_sdp`` (ICE gathered: every candidate is in it)."""
        self._pc = pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self._configure_turns()
        pc.on("datachannel", self._on_channel)
        pc.on(
            "track",
            lambda track: self._spawn(self._listen(track)) if track.kind == "audio" else None,
        )
        pc.on("connectionstatechange", self._on_state)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        pc.addTrack(self.tone)
        await pc.setLocalDescription(await pc.createAnswer())
        self._spawn(self._watch())
        return pc.localDescription.sdp

    def _configure_turns(self) -> None:
        turns = turn_settings(self.conversation.session)
        heard = self._vad.heard_ms if self._vad else 0.0
        self._vad = VoiceActivity(turns, heard_ms=heard) if turns else None

    def _on_state(self) -> None:
        if self._pc is not None and self._pc.connectionState == "connected":
            self.connected = True
        if self._pc is not None and self._pc.connectionState in ("failed", "closed"):
            self._spawn(self.close())

    def remote_candidates(self) -> int:
        """Give how many of the caller's candidates the call's ICE holds (read from the offer,
        or learnt from the caller's checks)."""
        if self._pc is None:
            return 0
        ice = {t.receiver.transport.transport for t in self._pc.getTransceivers()}
        if self._pc.sctp is not None:
            ice.add(self._pc.sctp.transport.transport)
        return sum(len(each.getRemoteCandidates()) for each in ice)

    def _on_channel(self, channel: RTCDataChannel) -> None:
        if channel.label != EVENTS_LABEL or self._channel is not None:
            return
        self._channel = channel
        channel.on("message", self._on_message)
        channel.on("close", lambda: self._spawn(self.close()))
        self.send(self.conversation.created())

    def send(self, event: dict[str, Any]) -> None:
        """Send one server event on ``oai-events`` (dropped once the channel is gone)."""
        if self._channel is not None and self._channel.readyState == "open":
            self._channel.send(json.dumps(event))

    def _on_message(self, message: str | bytes) -> None:
        self._last_heard = time.monotonic()
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        self._apply(self.conversation.handle(text))

    def _apply(self, step: Step) -> None:
        for event in step.events:
            self.send(event)
        if step.session_changed:
            self._configure_turns()
        if step.cancel and self._reply_task is not None:
            self._reply_task.cancel()
        if step.reply is not None:
            self._reply_task = self._spawn(self._play(step.reply))

    async def _play(self, reply: Reply) -> None:
        started = time.monotonic()
        if reply.tone_seconds:
            self.tone.play(reply.tone_seconds)
        try:
            for offset, event in reply.timeline:
                await asyncio.sleep(max(0.0, started + offset - time.monotonic()))
                self.send(event)
        except asyncio.CancelledError:
            self.tone.hush()
            for event in self.conversation.cancelled(reply):
                self.send(event)
            raise
        self.conversation.finished(reply)

    async def _listen(self, track: MediaStreamTrack) -> None:
        """Count the mic's frames and run turn detection on their level."""
        async for level in frame_levels(track):
            self.mic_frames += 1
            self._last_heard = time.monotonic()
            if self._vad is None or level is None:
                continue
            change = self._vad.feed(level.dbfs, level.ms)
            if change:
                spoken = int(self._vad.heard_ms - self._vad.started_ms)
                self._apply(self.conversation.speech(change, spoken))

    async def _watch(self) -> None:
        """Close the call once it is over its length, never connected, or its peer went away."""
        limits = self.settings
        while not self._ending:
            await asyncio.sleep(min(0.5, limits.idle_seconds / 4, limits.connect_seconds / 4))
            now = time.monotonic()
            connected = self._pc is not None and self._pc.connectionState == "connected"
            if now - self._opened > limits.max_seconds:
                message = f"The call reached the mock's length limit ({limits.max_seconds:g} s)."
                self.send(self.conversation.error(message, None, "session_expired"))
                await self.close()
            elif not self.connected and now - self._opened > limits.connect_seconds:
                await self.close()  # never connected: a slot held for nobody
            elif now - self._last_heard > limits.idle_seconds and (connected or self.mic_frames):
                await self.close()  # no mic audio and no message: the browser vanished
            elif not connected and now - self._opened > limits.idle_seconds:
                await self.close()  # lost: nobody is there

    def on_end(self, callback: Any) -> None:
        """Call ``callback(call)`` once when the call ends (the registry forgets it)."""
        self._on_end.append(callback)

    async def close(self) -> None:
        """End the call: peer connection, tracks and tasks (a second call waits for the first)."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close_now())
        await asyncio.shield(self._closing)

    async def _close_now(self) -> None:
        self._ending = True
        self.tone.stop()
        try:
            if self._pc is not None:
                await self._pc.close()
        finally:
            for task in list(self._tasks):
                task.cancel()
            # Only now: until its sockets are closed the call is live (and shutdown waits on it).
            for callback in self._on_end:
                callback(self)


class CallPeers:
    """The live mock calls of this process, and the loop thread they run on (started lazily)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, MockCall] = {}
        self._starts = StartWindow()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _running_loop(self, host: str) -> asyncio.AbstractEventLoop:
        with self._lock:
            _offer_only(host)
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=self._loop.run_forever, name="mock-call-peers", daemon=True
                )
                self._thread.start()
            return self._loop

    def start(
        self,
        offer_sdp: str,
        session: dict[str, Any],
        rules: SessionRules,
        settings: CallSettings,
        client: str = "",
    ) -> tuple[str, str]:
        """Give ``(call_id, SDP answer)`` for an offer of ``client``; raise :class:`CallRefused`
        over its share (429: calls open, starts a minute), when the process is full (503), for
        an offer aiortc cannot read (400) or with no answer in time (504)."""
        conversation = Conversation(rules, session)
        call = MockCall(conversation, settings, client)
        with self._lock:
            mine = sum(1 for each in self._calls.values() if each.client == client)
            check_share(settings, len(self._calls), mine)
            self._starts.take(client, settings.starts_per_minute)
            self._calls[call.id] = call
        call.on_end(self._forget)
        loop = self._running_loop(settings.host)
        future = asyncio.run_coroutine_threadsafe(call.open(offer_sdp), loop)
        try:
            return call.id, future.result(timeout=settings.answer_seconds)
        except TimeoutError:
            self._close_soon(call)
            message = f"The mock found no answer to the offer in {settings.answer_seconds:g} s."
            raise CallRefused(504, message, "timeout") from None
        except Exception as exc:  # aiortc refuses an offer it cannot read with many types
            self._close_soon(call)
            message = f"The SDP offer could not be used: {exc or type(exc).__name__}"
            raise CallRefused(400, message, "invalid_offer", "sdp") from None

    def _forget(self, call: MockCall) -> None:
        with self._lock:
            self._calls.pop(call.id, None)

    def _close_soon(self, call: MockCall) -> None:
        """End a call that failed to open, waiting (boundedly) until it is gone."""
        if self._loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(call.close(), self._loop).result(5)
            except Exception:  # whatever went wrong, the registry forgets the call
                pass
        self._forget(call)

    def get(self, call_id: str) -> MockCall | None:
        """Give the live call ``call_id`` (None once it ended)."""
        with self._lock:
            return self._calls.get(call_id)

    def live_count(self) -> int:
        """Give how many calls are live (or opening) in this process."""
        with self._lock:
            return len(self._calls)

    def hang_up(self, call_id: str, timeout: float = 5.0) -> bool:
        """End the call ``call_id``; give False when there is no such live call."""
        call, loop = self.get(call_id), self._loop
        if call is None or loop is None:
            return False
        asyncio.run_coroutine_threadsafe(call.close(), loop).result(timeout)
        return True

    def shutdown(self, timeout: float = 5.0) -> None:
        """End every call, stop the loop and join its thread (the next call starts them again)."""
        with self._lock:
            loop, thread, calls = self._loop, self._thread, list(self._calls.values())
            self._loop = self._thread = None
            self._starts.clear()
        if loop is None:
            return

        async def close_all() -> None:
            await asyncio.gather(*(call.close() for call in calls), return_exceptions=True)
            pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            await loop.shutdown_default_executor()  # aioice resolves names in its threads

        asyncio.run_coroutine_threadsafe(close_all(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout)
        loop.close()


def _offer_only(host: str) -> None:
    """Make ICE offer ``host`` as this process's only host candidate.

    aioice gathers from every interface but leaves 127.0.0.1 out, and takes no list of its own;
    the call mock must stay on loopback, so the gathering function is replaced for the process
    (aiortc serves nothing else here).
    """

    def addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return [host]

    aioice.ice.get_host_addresses = addresses


#: The process's calls (one loop thread per process; each worker serves its own calls).
peers = CallPeers()
