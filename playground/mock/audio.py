"""Audio frames as they come off a WebRTC track, each with its level: what the mock's peer
hears from the microphone and what the Python caller hears back, read one way."""

from __future__ import annotations

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
