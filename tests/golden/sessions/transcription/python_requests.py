import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/sessions",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "modalities": ["text"],
        "input_audio_transcription": {
            "model": "gpt-transcribe",
            "language": "fr",
            "prompt": "Vocabulaire technique : API, webhook, latence.",
        },
        "turn_detection": {"type": "server_vad", "silence_duration_ms": 700},
        "input_audio_noise_reduction": {"type": "near_field"},
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
