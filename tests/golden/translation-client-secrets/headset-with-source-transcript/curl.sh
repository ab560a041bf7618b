curl 'https://api.openai.com/v1/realtime/translations/client_secrets' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -H 'Content-Type: application/json' \
  -d '{
  "session": {
    "model": "gpt-realtime-translate",
    "audio": {
      "input": {
        "noise_reduction": {
          "type": "near_field"
        },
        "transcription": {
          "model": "gpt-realtime-whisper"
        }
      },
      "output": {
        "language": "fr"
      }
    }
  }
}'
