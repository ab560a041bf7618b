"""A Python WebRTC caller of ``POST /realtime/calls``, as a browser page would call (aiortc).

Used by the tests and benchmarks of the call mock, and usable against any endpoint of the same
contract (the playground's own proxy route, the API). It runs its own asyncio loop in a
background thread and offers a plain blocking interface: :meth:`CallClient.offer` makes the
offer, :meth:`CallClient.answer` applies the endpoint's answer, events arrive in
:attr:`CallClient.events`. The microphone is a :class:`SyntheticMic` whose loudness the caller
sets (or that plays a recording); the remote audio's frames are counted by level. Only
127.0.0.1 is offered.
"""

from __future__ import annotations

import asyncio
import json
import math
import queue
import struct
import threading
import time
from typing import Any

import aioice.ice
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription

from playground.mock.audio import FRAME_SAMPLES, RATE, PacedTrack, frame_levels

#: A remote frame louder than this (dBFS) counts as sound (Opus silence decodes far below).
SOUND_DBFS = -40.0


class SyntheticMic(PacedTrack):
    """A microphone playing a 300 Hz tone at :attr:`amplitude` (0 = silence, 1 = full scale);
    :meth:`mute` stops its frames altogether (a browser that vanished)."""

    def __init__(self, amplitude: float = 0.0) -> None:
        super().__init__()
        self.amplitude = amplitude
        self.muted = False
        self._recording = b""  # 48 kHz mono 16-bit PCM to play before the tone
        self._recording_from: int | None = None

    def play(self, pcm: bytes) -> None:
        """Play a recording (48 kHz mono 16-bit PCM) from the next frame on, then the tone."""
        self._recording, self._recording_from = pcm, None

    @property
    def playing(self) -> bool:
        """Say whether a recording is still playing."""
        return bool(self._recording)

    def mute(self) -> None:
        """Send no more frames."""
        self.muted = True

    async def hold(self) -> None:
        """Give no frame while muted."""
        while self.muted and self.readyState == "live":
            await asyncio.sleep(0.05)

    def pcm(self, sent: int) -> bytes:
        """Give the next 20 ms of the recording playing, else of the tone at :attr:`amplitude`."""
        if self._recording:
            if self._recording_from is None:
                self._recording_from = sent
            start = 2 * (sent - self._recording_from)
            frame = self._recording[start : start + 2 * FRAME_SAMPLES]
            if len(frame) == 2 * FRAME_SAMPLES:
                return frame
            self._recording = b""  # its end: the tone again
        peak = 32767 * min(1.0, max(0.0, self.amplitude))
        angle = 2 * math.pi * 300 / RATE
        return struct.pack(
            f"<{FRAME_SAMPLES}h",
            *(int(peak * math.sin(angle * (sent + n))) for n in range(FRAME_SAMPLES)),
        )


class CallClient:
    """One caller: a peer connection with :class:`SyntheticMic` and the ``oai-events`` channel."""

    def __init__(self, host: str = "127.0.0.1", amplitude: float = 0.0) -> None:
        self.host = host
        self.mic = SyntheticMic(amplitude)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.received: list[dict[str, Any]] = []
        self.sound_frames = 0  # remote audio frames above SOUND_DBFS
        self.remote_frames = 0
        self.channel_open = threading.Event()
        self.channel_closed = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="call-client")
        self._thread.start()
        self._pc: RTCPeerConnection | None = None
        self._channel: Any = None

    def _run(self, coro: Any, timeout: float = 10.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def offer(self) -> str:
        """Give the SDP offer (mic track and ``oai-events`` channel; ICE gathered)."""
        return str(self._run(self._offer()))

    async def _offer(self) -> str:
        host = self.host
        aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [host]
        self._pc = pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        pc.addTrack(self.mic)
        self._channel = channel = pc.createDataChannel("oai-events")
        channel.on("open", self.channel_open.set)
        channel.on("close", self.channel_closed.set)
        channel.on("message", self._on_message)
        pc.on("track", lambda track: asyncio.ensure_future(self._listen(track)))
        await pc.setLocalDescription(await pc.createOffer())
        return pc.localDescription.sdp

    def _on_message(self, message: str | bytes) -> None:
        event = json.loads(message)
        self.received.append(event)
        self.events.put(event)

    async def _listen(self, track: MediaStreamTrack) -> None:
        async for level in frame_levels(track):
            self.remote_frames += 1
            assert level is not None, "the endpoint sent a frame that is not audio"
            if level.dbfs > SOUND_DBFS:
                self.sound_frames += 1

    def answer(self, sdp: str) -> None:
        """Apply the endpoint's SDP answer (the connection then opens)."""
        assert self._pc is not None
        self._run(self._pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="answer")))

    def send(self, event: dict[str, Any]) -> None:
        """Send one client event on ``oai-events``."""
        self._loop.call_soon_threadsafe(self._channel.send, json.dumps(event))

    def say(self, text: str) -> None:
        """Send a user text message and ask for a response."""
        content = [{"type": "input_text", "text": text}]
        self.send(
            {
                "type": "conversation.item.create",
                "item": {"type": "message", "role": "user", "content": content},
            }
        )
        self.send({"type": "response.create"})

    def wait_for(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        """Give the next event of type ``kind`` (raise TimeoutError after ``timeout`` s)."""
        return self.events_until(kind, timeout)[-1]

    def events_until(self, kind: str, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Give every event not yet taken, up to and including the next of type ``kind``."""
        deadline = time.monotonic() + timeout
        taken: list[dict[str, Any]] = []
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no {kind} within {timeout} s (got {taken})") from None
            taken.append(event)
            if event.get("type") == kind:
                return taken

    async def _end_tasks(self) -> None:
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        await self._loop.shutdown_default_executor()

    def close(self) -> None:
        """Close the connection, stop the loop and join its thread."""
        if self._pc is not None and not self._loop.is_closed():
            self._run(self._pc.close())
        if not self._loop.is_closed():
            self._run(self._end_tasks())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()
