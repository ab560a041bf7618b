import os
from pathlib import Path

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

# The browser's SDP offer (RTCPeerConnection.createOffer()), as your server received it.
# Read as bytes: SDP lines end in CRLF, which reading as text would change.
offer_sdp = Path("offer.sdp").read_bytes().decode("utf-8")

answer = client.realtime.calls.create(
    sdp=offer_sdp,
    session={
        "type": "realtime",
        "model": "gpt-realtime-2.1",
        "instructions": "You are a friendly voice assistant. Keep answers short.",
        "output_modalities": ["audio"],
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "noise_reduction": {"type": "far_field"},
                "transcription": {"model": "gpt-transcribe", "language": "en"},
                "turn_detection": {"type": "semantic_vad", "eagerness": "auto"},
            },
            "output": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "voice": "marin",
                "speed": 1.0,
            },
        },
    },
)
# The SDP answer: the browser passes it to setRemoteDescription().
print(answer.text)
