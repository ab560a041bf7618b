import os

import requests

response = requests.post(
    "https://api.openai.com/v1/realtime/client_secrets",
    headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}"},
    json={
        "session": {
            "type": "realtime",
            "model": "gpt-realtime-2.1",
            "instructions": "Answer questions about our product. Search the docs before answering.",
            "tools": [
                {
                    "type": "function",
                    "name": "lookup_order",
                    "description": "Find an order by its number.",
                    "parameters": {
                        "type": "object",
                        "properties": {"order_number": {"type": "string"}},
                        "required": ["order_number"],
                    },
                },
                {
                    "type": "mcp",
                    "server_label": "docs",
                    "server_url": "https://mcp.example.com/sse",
                    "allowed_tools": ["search"],
                    "require_approval": "never",
                },
            ],
            "tool_choice": "auto",
        },
    },
    timeout=30,
)
response.raise_for_status()
print(response.json())
