import openai from '@utdk/openai';

// @utdk/openai reads OPENAI_API_KEY from the environment.
const result = await openai.createRealtimeSession({
  modalities: ['text'],
  model: 'gpt-4o-mini-realtime-preview',
  instructions: 'You are a concise assistant. Answer in plain text.',
  turn_detection: null,
  temperature: 0.7,
  max_response_output_tokens: 1024,
});
console.log(result);
