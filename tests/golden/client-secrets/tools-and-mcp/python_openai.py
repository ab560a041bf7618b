import os

from openai import OpenAI

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

result = client.realtime.client_secrets.create(
    session={
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
)
print(result)
