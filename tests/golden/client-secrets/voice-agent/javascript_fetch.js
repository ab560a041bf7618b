const response = await fetch('https://api.openai.com/v1/realtime/client_secrets', {
  method: 'POST',
  headers: {
    Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({
    expires_after: { anchor: 'created_at', seconds: 600 },
    session: {
      type: 'realtime',
      model: 'gpt-realtime-2.1',
      instructions: 'You are a friendly voice assistant. Keep answers short.',
      output_modalities: ['audio'],
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          noise_reduction: { type: 'far_field' },
          transcription: { model: 'gpt-transcribe', language: 'en' },
          turn_detection: { type: 'semantic_vad', eagerness: 'auto' },
        },
        output: {
          format: { type: 'audio/pcm', rate: 24000 },
          voice: 'marin',
          speed: 1.0,
        },
      },
    },
  }),
});
if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
console.log(await response.json());
