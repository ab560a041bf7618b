curl 'https://api.openai.com/v1/realtime/translations/client_secrets' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -H 'Content-Type: application/json' \
  -d '{
  "expires_after": {
    "anchor": "created_at",
    "seconds": 600
  },
  "session": {
    "model": "gpt-realtime-translate",
    "audio": {
      "output": {
        "language": "es"
      }
    }
  }
}'
