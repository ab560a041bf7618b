const response = await fetch('https://api.openai.com/v1/realtime/client_secrets', {
  method: 'POST',
  headers: {
    Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({
    session: {
      type: 'realtime',
      model: 'gpt-realtime-2.1',
      instructions: 'Answer questions about our product. Search the docs before answering.',
      tools: [
        {
          type: 'function',
          name: 'lookup_order',
          description: 'Find an order by its number.',
          parameters: {
            type: 'object',
            properties: { order_number: { type: 'string' } },
            required: ['order_number'],
          },
        },
        {
          type: 'mcp',
          server_label: 'docs',
          server_url: 'https://mcp.example.com/sse',
          allowed_tools: ['search'],
          require_approval: 'never',
        },
      ],
      tool_choice: 'auto',
    },
  }),
});
if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
console.log(await response.json());
