"""Mock calls as real WebRTC peers (aiortc), all on one asyncio loop in one background thread.

:data:`peers` is the process's registry of mock calls (WebRTC ones and the WebSocket ones of
:mod:`playground.mock.call_socket`). A request thread hands it an SDP offer with
:meth:`CallPeers.start` and waits (up to a deadline) for the answer, gathered on the loop; the
peer then lives on the loop, carrying a :class:`~playground.mock.call_engine.CallEngine`:
``oai-events`` messages and mic levels go to it, its replies play a tone on the outgoing
track. Every address offered is ``CallSettings.host`` (127.0.0.1 by default) and
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
from playground.mock.call_engine import AudioPiece, CallEngine, CarriedCall
from playground.mock.call_limits import CallRefused, CallSettings, StartWindow, check_share
from playground.mock.script import Conversation, Reply
from playground.mock.session import SessionRules

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


class MockCall(CarriedCall):
    """One live WebRTC call: its peer connection and tone, carrying a :class:`CallEngine`."""

    def __init__(self, conversation: Conversation, settings: CallSettings, client: str) -> None:
        self.tone = ToneTrack()
        self._pc: RTCPeerConnection | None = None
        self._channel: RTCDataChannel | None = None
        self.engine = CallEngine(conversation, settings, self, client)

    @property
    def mic_frames(self) -> int:
        """Give how many frames of microphone audio the call heard."""
        return self.engine.mic_frames

    async def open(self, offer_sdp: str) -> str:
        """Give the SDP answer to ``offer_sdp`` (ICE gathered: every candidate is in it)."""
        self._pc = pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        pc.on("datachannel", self._on_channel)
        pc.on(
            "track",
            lambda track: self.engine.spawn(self._listen(track)) if track.kind == "audio" else None,
        )
        pc.on("connectionstatechange", self._on_state)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        pc.addTrack(self.tone)
        await pc.setLocalDescription(await pc.createAnswer())
        self.engine.watch()
        return pc.localDescription.sdp

    def _on_state(self) -> None:
        if self._pc is not None and self._pc.connectionState == "connected":
            self.engine.connected = True
        if self._pc is not None and self._pc.connectionState in ("failed", "closed"):
            self.engine.spawn(self.engine.close())

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
        channel.on("close", lambda: self.engine.spawn(self.engine.close()))
        self.engine.greet()

    def send(self, event: dict[str, Any]) -> None:
        """Send one server event on ``oai-events`` (dropped once the channel is gone)."""
        if self._channel is not None and self._channel.readyState == "open":
            self._channel.send(json.dumps(event))

    def _on_message(self, message: str | bytes) -> None:
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        self.engine.on_message(text)

    def play(self, reply: Reply) -> None:
        """Play the tone for as long as ``reply`` speaks."""
        if reply.tone_seconds:
            self.tone.play(reply.tone_seconds)

    def audio(self, piece: AudioPiece) -> None:
        """Nothing to do: the tone track plays the voice."""

    def hush(self) -> None:
        """Stop the tone."""
        self.tone.hush()

    def present(self) -> bool:
        """Give whether the peer connection is up."""
        return self._pc is not None and self._pc.connectionState == "connected"

    async def _listen(self, track: MediaStreamTrack) -> None:
        """Hand the mic's frames' levels to the engine."""
        async for level in frame_levels(track):
            self.engine.hear(level.dbfs if level else None, level.ms if level else 0.0)

    async def close(self) -> None:
        """Close the peer connection and the tone (the engine's transport closing)."""
        self.tone.stop()
        if self._pc is not None:
            await self._pc.close()


class CallPeers:
    """The live mock calls of this process, over either transport, and the loop thread they run
    on (started lazily)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, CarriedCall] = {}
        self._starts = StartWindow()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def running_loop(self, host: str) -> asyncio.AbstractEventLoop:
        """Give the calls' loop, started if need be (ICE offering ``host`` only)."""
        with self._lock:
            _offer_only(host)
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=self._loop.run_forever, name="mock-call-peers", daemon=True
                )
                self._thread.start()
            return self._loop

    def admit(self, call: CarriedCall, settings: CallSettings) -> None:
        """Count ``call`` among the live calls until it ends; raise :class:`CallRefused` over
        its client's share (429: calls open, starts a minute) or when the process is full
        (503)."""
        with self._lock:
            mine = sum(1 for each in self._calls.values() if each.client == call.client)
            check_share(settings, len(self._calls), mine)
            self._starts.take(call.client, settings.starts_per_minute)
            self._calls[call.id] = call

        def forget(engine: CallEngine) -> None:
            self._forget(call)

        call.engine.on_end(forget)

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
        call = MockCall(Conversation(rules, session, settings.max_seconds), settings, client)
        self.admit(call, settings)
        loop = self.running_loop(settings.host)
        future = asyncio.run_coroutine_threadsafe(call.open(offer_sdp), loop)
        try:
            return call.id, future.result(timeout=settings.answer_seconds)
        except TimeoutError:
            self.close_soon(call)
            message = f"The mock found no answer to the offer in {settings.answer_seconds:g} s."
            raise CallRefused(504, message, "timeout") from None
        except Exception as exc:  # aiortc refuses an offer it cannot read with many types
            self.close_soon(call)
            message = f"The SDP offer could not be used: {exc or type(exc).__name__}"
            raise CallRefused(400, message, "invalid_offer", "sdp") from None

    def _forget(self, call: CarriedCall) -> None:
        with self._lock:
            self._calls.pop(call.id, None)

    def close_soon(self, call: CarriedCall) -> None:
        """End ``call``, waiting (boundedly) until it is gone."""
        if self._loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(call.engine.close(), self._loop).result(5)
            except Exception:  # whatever went wrong, the registry forgets the call
                pass
        self._forget(call)

    def get(self, call_id: str) -> CarriedCall | None:
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
        asyncio.run_coroutine_threadsafe(call.engine.close(), loop).result(timeout)
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
            await asyncio.gather(*(call.engine.close() for call in calls), return_exceptions=True)
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
