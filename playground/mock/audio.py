"""Audio on a mock call, both ways: frames read off a WebRTC track with their level (what the
mock's peer hears from the microphone and what the Python caller hears back), and a track that
sends 20 ms frames in real time (the mock's voice and the Python caller's microphone)."""

from __future__ import annotations

import asyncio
import fractions
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av import AudioFrame

from playground.mock.session import rms_dbfs


@dataclass(frozen=True)
class Level:
    """One audio frame's loudness and length."""

    dbfs: float
    ms: float


async def frame_levels(track: MediaStreamTrack) -> AsyncIterator[Level | None]:
    """Give each frame's :class:`Level` until the track ends (``None`` for a frame that is not
    audio); 16-bit samples, every channel."""
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return
        if not isinstance(frame, AudioFrame):
            yield None
            continue
        used = frame.samples * len(frame.layout.channels) * 2
        yield Level(
            rms_dbfs(bytes(frame.planes[0])[:used]), 1000 * frame.samples / frame.sample_rate
        )


RATE = 48000
FRAME_SAMPLES = 960  # 20 ms, what Opus sends


class PacedTrack(MediaStreamTrack):
    """A 48 kHz mono 16-bit track giving one 20 ms frame of :meth:`pcm` at a time, paced in
    real time from its first frame."""

    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._sent = 0  # samples, the clock of the frames
        self._started = 0.0

    async def recv(self) -> AudioFrame:
        """Give the next 20 ms frame, paced in real time."""
        if self.readyState != "live":
            raise MediaStreamError
        if not self._started:
            self._started = time.monotonic()
        else:
            self._sent += FRAME_SAMPLES
            await asyncio.sleep(self._started + self._sent / RATE - time.monotonic())
        await self.hold()
        frame = AudioFrame(format="s16", layout="mono", samples=FRAME_SAMPLES)
        frame.planes[0].update(self.pcm(self._sent))
        frame.pts, frame.sample_rate = self._sent, RATE
        frame.time_base = fractions.Fraction(1, RATE)
        return frame

    async def hold(self) -> None:
        """Wait before giving a frame (by default not at all)."""

    def pcm(self, sent: int) -> bytes:
        """Give the frame that starts at sample ``sent``: ``FRAME_SAMPLES`` 16-bit samples."""
        raise NotImplementedError
