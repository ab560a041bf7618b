curl 'https://api.openai.com/v1/realtime/sessions' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -H 'Content-Type: application/json' \
  -d '{
  "modalities": [
    "text"
  ],
  "model": "gpt-4o-mini-realtime-preview",
  "instructions": "You are a concise assistant. Answer in plain text.",
  "turn_detection": null,
  "temperature": 0.7,
  "max_response_output_tokens": 1024
}'
