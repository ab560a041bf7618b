curl 'https://api.openai.com/v1/realtime/sessions' \
  -H "Authorization: Bearer $OPENAI_API_KEY" \
  -H 'Content-Type: application/json' \
  -d '{
  "modalities": [
    "text"
  ],
  "input_audio_transcription": {
    "model": "gpt-transcribe",
    "language": "fr",
    "prompt": "Vocabulaire technique : API, webhook, latence."
  },
  "turn_detection": {
    "type": "server_vad",
    "silence_duration_ms": 700
  },
  "input_audio_noise_reduction": {
    "type": "near_field"
  }
}'
