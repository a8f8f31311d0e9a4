/**
 * The fastest OpenAI-compatible upstream we can write: fixed JSON and SSE bodies prepared once, so a
 * benchmark measures the gateway, not the upstream. Run as its own process: prints its port.
 */
import { createServer } from 'node:http';

const CHUNKS = Number(process.env.BENCH_SSE_CHUNKS ?? 20);
const base =
  '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":';
let sse = `data: ${base}[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`;
for (let i = 0; i < CHUNKS; i++)
  sse += `data: ${base}[{"index":0,"delta":{"content":"tok${i} "},"finish_reason":null}]}\n\n`;
sse += `data: ${base}[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`;
sse += `data: ${base}[],"usage":{"prompt_tokens":12,"completion_tokens":${CHUNKS},"total_tokens":${12 + CHUNKS}}}\n\n`;
sse += 'data: [DONE]\n\n';
const json = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1700000000,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello from the benchmark upstream.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
});
const sseBuffer = Buffer.from(sse);
const jsonBuffer = Buffer.from(json);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseBuffer);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': jsonBuffer.length });
      res.end(jsonBuffer);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
