import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const result = await client.beta.realtime.sessions.create({
  modalities: ['text'],
  model: 'gpt-4o-mini-realtime-preview',
  instructions: 'You are a concise assistant. Answer in plain text.',
  // @ts-ignore The API takes null to turn this off; the SDK's types leave null out.
  turn_detection: null,
  temperature: 0.7,
  max_response_output_tokens: 1024,
});
console.log(result);
