const response = await fetch('https://api.openai.com/v1/realtime/sessions', {
  method: 'POST',
  headers: {
    Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({
    modalities: ['text'],
    input_audio_transcription: {
      model: 'gpt-transcribe',
      language: 'fr',
      prompt: 'Vocabulaire technique : API, webhook, latence.',
    },
    turn_detection: { type: 'server_vad', silence_duration_ms: 700 },
    input_audio_noise_reduction: { type: 'near_field' },
  }),
});
if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
console.log(await response.json());
