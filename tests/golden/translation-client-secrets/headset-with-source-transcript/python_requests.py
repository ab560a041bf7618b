import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/translations/client_secrets",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "session": {
            "model": "gpt-realtime-translate",
            "audio": {
                "input": {
                    "noise_reduction": {"type": "near_field"},
                    "transcription": {"model": "gpt-realtime-whisper"},
                },
                "output": {"language": "fr"},
            },
        },
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
