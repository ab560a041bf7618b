const response = await fetch('https://api.openai.com/v1/realtime/translations/client_secrets', {
  method: 'POST',
  headers: {
    Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({
    session: {
      model: 'gpt-realtime-translate',
      audio: {
        input: {
          noise_reduction: { type: 'near_field' },
          transcription: { model: 'gpt-realtime-whisper' },
        },
        output: { language: 'fr' },
      },
    },
  }),
});
if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
console.log(await response.json());
