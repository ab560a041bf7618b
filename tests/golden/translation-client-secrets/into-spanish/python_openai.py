import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

result = client.realtime.translations.client_secrets.create(
    expires_after={"anchor": "created_at", "seconds": 600},
    session={
        "model": "gpt-realtime-translate",
        "audio": {"output": {"language": "es"}},
    },
)
print(result)
