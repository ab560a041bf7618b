import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/sessions",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "modalities": ["audio", "text"],
        "model": "gpt-4o-realtime-preview",
        "instructions": "You are a friendly voice assistant. Keep answers short and conversational, and ask before doing anything irreversible.",
        "voice": "verse",
        "input_audio_format": "pcm16",
        "output_audio_format": "pcm16",
        "input_audio_transcription": {"model": "gpt-transcribe"},
        "turn_detection": {
            "type": "server_vad",
            "threshold": 0.5,
            "prefix_padding_ms": 300,
            "silence_duration_ms": 500,
            "create_response": True,
            "interrupt_response": True,
        },
        "temperature": 0.8,
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
