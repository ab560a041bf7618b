const response = await fetch('https://api.openai.com/v1/realtime/sessions', {
  method: 'POST',
  headers: {
    Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({
    modalities: ['text'],
    model: 'gpt-4o-mini-realtime-preview',
    instructions: 'You are a concise assistant. Answer in plain text.',
    turn_detection: null,
    temperature: 0.7,
    max_response_output_tokens: 1024,
  }),
});
if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
console.log(await response.json());
