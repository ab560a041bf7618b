import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

result = client.realtime.client_secrets.create(
    expires_after={"anchor": "created_at", "seconds": 600},
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
print(result)
