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
        "type": "transcription",
        "audio": {
            "input": {
                "format": {"type": "audio/pcm", "rate": 24000},
                "noise_reduction": {"type": "near_field"},
                "transcription": {"model": "gpt-transcribe", "language": "en"},
                "turn_detection": {
                    "type": "server_vad",
                    "threshold": 0.5,
                    "prefix_padding_ms": 300,
                    "silence_duration_ms": 500,
                },
            },
        },
        "include": ["item.input_audio_transcription.logprobs"],
    },
)
# The SDP answer: the browser passes it to setRemoteDescription().
print(answer.text)
