import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

const result = await client.realtime.translations.clientSecrets.create({
  expires_after: { anchor: 'created_at', seconds: 600 },
  session: {
    model: 'gpt-realtime-translate',
    audio: { output: { language: 'es' } },
  },
});
console.log(result);
