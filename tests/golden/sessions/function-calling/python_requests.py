import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/sessions",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "modalities": ["audio", "text"],
        "model": "gpt-4o-realtime-preview",
        "instructions": "You are a support agent for an online shop. Look orders up before answering questions about them.",
        "voice": "coral",
        "tools": [
            {
                "type": "function",
                "name": "lookup_order",
                "description": "Find an order by its number and give its status and delivery date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_number": {
                            "type": "string",
                            "description": "Like A-12345.",
                        },
                    },
                    "required": ["order_number"],
                },
            },
            {
                "type": "function",
                "name": "book_callback",
                "description": "Book a phone call from a human agent.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "phone": {"type": "string"},
                        "when": {
                            "type": "string",
                            "enum": ["morning", "afternoon", "evening"],
                        },
                    },
                    "required": ["phone"],
                },
            },
        ],
        "tool_choice": "auto",
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
