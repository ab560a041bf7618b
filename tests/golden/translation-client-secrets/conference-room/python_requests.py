import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/translations/client_secrets",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "expires_after": {"anchor": "created_at", "seconds": 3600},
        "session": {
            "model": "gpt-realtime-translate",
            "audio": {
                "input": {
                    "noise_reduction": {"type": "far_field"},
                    "transcription": None,
                },
                "output": {"language": "de"},
            },
        },
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
