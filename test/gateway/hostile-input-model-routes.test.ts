/**
 * Hostile-input battery, model routes (issue 10): malformed requests to /v1/chat/completions,
 * /v1/completions, /v1/embeddings, /v1/messages and /v1/models. Each is a 4xx naming the problem
 * (`error.param`, or the message on the Anthropic route, whose errors have no param); none is a 5xx;
 * afterwards the gateway still serves and its usage log still writes rows.
 */
import { after, before, describe, test } from 'node:test';
import {
  assertHostile,
  assertStillServing,
  BODY_LIMIT_BYTES,
  CHAT,
  type HostileCase,
  type HostileGateway,
  sendHostile,
  startHostileGateway,
} from '../support/hostile-battery.js';

let gw: HostileGateway;
before(async () => {
  gw = await startHostileGateway();
});
after(() => gw.close());

const chat = (extra: Record<string, unknown>) => ({ ...CHAT, ...extra });
const user = (content: unknown) => ({ model: 'fast', messages: [{ role: 'user', content }] });
const oversized = JSON.stringify(user('x'.repeat(BODY_LIMIT_BYTES + 1024)));
// Invalid UTF-8 (a lone continuation byte and an overlong encoding) inside a JSON string.
const invalidUtf8 = Buffer.concat([
  Buffer.from('{"model":"fast","messages":[{"role":"user","content":"'),
  Buffer.from([0x80, 0xc0, 0xaf]),
  Buffer.from('"}]}'),
]);
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

const CHAT_PATH = '/v1/chat/completions';
const chatCases: HostileCase[] = [
  {
    name: 'invalid JSON',
    path: CHAT_PATH,
    body: '{"model":',
    expect: { status: 400, message: /not valid JSON/ },
  },
  {
    name: 'not JSON at all',
    path: CHAT_PATH,
    body: 'oops',
    expect: { status: 400, message: /not valid JSON/ },
  },
  { name: 'an empty body', path: CHAT_PATH, body: '', expect: { status: 400, message: /empty/ } },
  { name: 'a whitespace body', path: CHAT_PATH, body: '  \n ', expect: { status: 400, message: /empty/ } },
  { name: 'null', path: CHAT_PATH, body: 'null', expect: { status: 400, message: /JSON object/ } },
  { name: 'an array', path: CHAT_PATH, body: '[]', expect: { status: 400, message: /JSON object/ } },
  { name: 'a string', path: CHAT_PATH, body: '"hi"', expect: { status: 400, message: /JSON object/ } },
  { name: 'a number', path: CHAT_PATH, body: '42', expect: { status: 400, message: /JSON object/ } },
  {
    name: 'no model',
    path: CHAT_PATH,
    body: { messages: CHAT.messages },
    expect: { status: 400, param: 'model' },
  },
  {
    name: 'model is a number',
    path: CHAT_PATH,
    body: chat({ model: 123 }),
    expect: { status: 400, param: 'model' },
  },
  {
    name: 'model is empty',
    path: CHAT_PATH,
    body: chat({ model: '' }),
    expect: { status: 400, param: 'model' },
  },
  {
    name: 'model is an object',
    path: CHAT_PATH,
    body: chat({ model: { $ne: 1 } }),
    expect: { status: 400, param: 'model' },
  },
  {
    name: 'an unknown model',
    path: CHAT_PATH,
    body: chat({ model: 'no-such-model' }),
    expect: { status: 404, message: /no-such-model/ },
  },
  {
    name: 'no messages',
    path: CHAT_PATH,
    body: { model: 'fast' },
    expect: { status: 400, param: 'messages' },
  },
  {
    name: 'messages empty',
    path: CHAT_PATH,
    body: chat({ messages: [] }),
    expect: { status: 400, param: 'messages', message: /at least one/ },
  },
  {
    name: 'messages a string',
    path: CHAT_PATH,
    body: chat({ messages: 'hi' }),
    expect: { status: 400, param: 'messages' },
  },
  {
    name: 'messages an object',
    path: CHAT_PATH,
    body: chat({ messages: { role: 'user' } }),
    expect: { status: 400, param: 'messages' },
  },
  {
    name: 'a message that is null',
    path: CHAT_PATH,
    body: chat({ messages: [null] }),
    expect: { status: 400, param: 'messages[0]' },
  },
  {
    name: 'an unknown role',
    path: CHAT_PATH,
    body: chat({ messages: [{ role: 'wizard', content: 'x' }] }),
    expect: { status: 400, param: 'messages[0].role' },
  },
  {
    name: 'a user message without content',
    path: CHAT_PATH,
    body: chat({ messages: [{ role: 'user' }] }),
    expect: { status: 400, param: 'messages[0].content' },
  },
  {
    name: 'content a number',
    path: CHAT_PATH,
    body: user(42),
    expect: { status: 400, param: 'messages[0].content' },
  },
  {
    name: 'an unknown content part',
    path: CHAT_PATH,
    body: user([{ type: 'video', url: 'x' }]),
    expect: { status: 400, param: 'messages[0].content[0].type', message: /image_url/ },
  },
  {
    name: 'a tool message without tool_call_id',
    path: CHAT_PATH,
    body: chat({ messages: [{ role: 'tool', content: 'x' }] }),
    expect: { status: 400, param: 'messages[0].tool_call_id' },
  },
  {
    name: 'temperature too high',
    path: CHAT_PATH,
    body: chat({ temperature: 5 }),
    expect: { status: 400, param: 'temperature', message: /at most 2/ },
  },
  {
    name: 'temperature a string',
    path: CHAT_PATH,
    body: chat({ temperature: 'hot' }),
    expect: { status: 400, param: 'temperature' },
  },
  {
    name: 'temperature 1e308',
    path: CHAT_PATH,
    body: chat({ temperature: 1e308 }),
    expect: { status: 400, param: 'temperature' },
  },
  {
    name: 'max_tokens 1e308',
    path: CHAT_PATH,
    body: chat({ max_tokens: 1e308 }),
    expect: { status: 400, param: 'max_tokens' },
  },
  {
    name: 'max_tokens past the largest JSON number (1e400)',
    path: CHAT_PATH,
    body: '{"model":"fast","messages":[{"role":"user","content":"hi"}],"max_tokens":1e400}',
    expect: { status: 400, param: 'max_tokens' },
  },
  {
    name: 'max_tokens negative',
    path: CHAT_PATH,
    body: chat({ max_tokens: -1 }),
    expect: { status: 400, param: 'max_tokens', message: /at least 1/ },
  },
  {
    name: 'max_tokens fractional',
    path: CHAT_PATH,
    body: chat({ max_tokens: 1.5 }),
    expect: { status: 400, param: 'max_tokens' },
  },
  {
    name: 'n = 1000',
    path: CHAT_PATH,
    body: chat({ n: 1000 }),
    expect: { status: 400, param: 'n', message: /at most 128/ },
  },
  { name: 'n = 0', path: CHAT_PATH, body: chat({ n: 0 }), expect: { status: 400, param: 'n' } },
  {
    name: 'seed 2^64',
    path: CHAT_PATH,
    body: chat({ seed: 2 ** 64 }),
    expect: { status: 400, param: 'seed' },
  },
  {
    name: 'stream a string',
    path: CHAT_PATH,
    body: chat({ stream: 'yes' }),
    expect: { status: 400, param: 'stream' },
  },
  {
    name: 'five stop sequences',
    path: CHAT_PATH,
    body: chat({ stop: ['a', 'b', 'c', 'd', 'e'] }),
    expect: { status: 400, param: 'stop' },
  },
  {
    name: 'tools a string',
    path: CHAT_PATH,
    body: chat({ tools: 'all' }),
    expect: { status: 400, param: 'tools' },
  },
  {
    name: 'a tool name with spaces',
    path: CHAT_PATH,
    body: chat({ tools: [{ type: 'function', function: { name: 'rm -rf' } }] }),
    expect: { status: 400, param: 'tools[0].function.name' },
  },
  {
    name: 'an unknown tool_choice',
    path: CHAT_PATH,
    body: chat({ tool_choice: 'sometimes' }),
    expect: { status: 400, param: 'tool_choice' },
  },
  {
    name: 'an unknown response_format',
    path: CHAT_PATH,
    body: chat({ response_format: { type: 'xml' } }),
    expect: { status: 400, param: 'response_format.type' },
  },
  {
    name: 'logit_bias out of range',
    path: CHAT_PATH,
    body: chat({ logit_bias: { '50256': 500 } }),
    expect: { status: 400, param: 'logit_bias.50256' },
  },
  {
    name: 'top_logprobs 100',
    path: CHAT_PATH,
    body: chat({ top_logprobs: 100 }),
    expect: { status: 400, param: 'top_logprobs' },
  },
  {
    name: 'metadata values not strings',
    path: CHAT_PATH,
    body: chat({ metadata: { a: { b: 1 } } }),
    expect: { status: 400, param: 'metadata.a' },
  },
  {
    name: 'JSON nested 5,000 deep',
    path: CHAT_PATH,
    body: deep(5_000),
    expect: { status: 400, param: 'body', message: /levels deep/ },
  },
  {
    name: 'an object nested 100,000 deep',
    path: CHAT_PATH,
    body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
    expect: { status: 400, param: 'body', message: /levels deep/ },
  },
  {
    name: 'a body over the limit (content-length)',
    path: CHAT_PATH,
    body: oversized,
    expect: { status: 413, message: /limit/ },
  },
  {
    name: 'a chunked body over the limit',
    path: CHAT_PATH,
    body: oversized,
    chunks: 8,
    expect: { status: 413, message: /limit/ },
  },
  {
    name: 'invalid UTF-8 in the body',
    path: CHAT_PATH,
    body: invalidUtf8,
    expect: { status: 400, param: 'body', message: /UTF-8/ },
  },
  {
    name: 'a UTF-16 body',
    path: CHAT_PATH,
    body: Buffer.from(`\ufeff${JSON.stringify(CHAT)}`, 'utf16le'),
    expect: { status: 400, param: 'body', message: /UTF-8|JSON/ },
  },
  {
    name: 'content-type text/plain',
    path: CHAT_PATH,
    headers: { 'content-type': 'text/plain' },
    body: CHAT,
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'content-type form-urlencoded',
    path: CHAT_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: CHAT,
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'no content-type',
    path: CHAT_PATH,
    headers: { 'content-type': null },
    body: CHAT,
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'GET instead of POST',
    method: 'GET',
    path: CHAT_PATH,
    expect: { status: [400, 405], message: /Method GET/ },
  },
  {
    name: 'no API key',
    path: CHAT_PATH,
    headers: { authorization: null },
    body: CHAT,
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: 'a wrong API key',
    path: CHAT_PATH,
    headers: { authorization: 'Bearer sk-wrong' },
    body: CHAT,
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: 'an authorization header that is not Bearer',
    path: CHAT_PATH,
    headers: { authorization: 'Basic Zm9vOmJhcg==' },
    body: CHAT,
    expect: { status: 401, param: 'authorization' },
  },
];

const COMPLETIONS = '/v1/completions';
const completion = (extra: Record<string, unknown>) => ({ model: 'fast', prompt: 'hi', ...extra });
const completionCases: HostileCase[] = [
  {
    name: 'invalid JSON',
    path: COMPLETIONS,
    body: '{"prompt"',
    expect: { status: 400, message: /not valid JSON/ },
  },
  { name: 'null', path: COMPLETIONS, body: 'null', expect: { status: 400, message: /object/ } },
  { name: 'no prompt', path: COMPLETIONS, body: { model: 'fast' }, expect: { status: 400, param: 'prompt' } },
  {
    name: 'prompt a number',
    path: COMPLETIONS,
    body: completion({ prompt: 5 }),
    expect: { status: 400, param: 'prompt' },
  },
  {
    name: 'two prompts',
    path: COMPLETIONS,
    body: completion({ prompt: ['a', 'b'] }),
    expect: { status: 400, param: 'prompt' },
  },
  { name: 'no model', path: COMPLETIONS, body: { prompt: 'hi' }, expect: { status: 400, param: 'model' } },
  {
    name: 'n = 1000',
    path: COMPLETIONS,
    body: completion({ n: 1000 }),
    expect: { status: 400, param: 'n', message: /at most 128/ },
  },
  {
    name: 'max_tokens -1',
    path: COMPLETIONS,
    body: completion({ max_tokens: -1 }),
    expect: { status: 400, param: 'max_tokens' },
  },
  {
    name: 'max_tokens 1e308',
    path: COMPLETIONS,
    body: completion({ max_tokens: 1e308 }),
    expect: { status: 400, param: 'max_tokens' },
  },
  {
    name: 'echo',
    path: COMPLETIONS,
    body: completion({ echo: true }),
    expect: { status: 400, param: 'echo' },
  },
  {
    name: 'suffix',
    path: COMPLETIONS,
    body: completion({ suffix: 'end' }),
    expect: { status: 400, param: 'suffix' },
  },
  {
    name: 'stream a number',
    path: COMPLETIONS,
    body: completion({ stream: 1 }),
    expect: { status: 400, param: 'stream' },
  },
  {
    name: 'JSON nested 5,000 deep',
    path: COMPLETIONS,
    body: deep(5_000),
    expect: { status: 400, param: 'body' },
  },
  {
    name: 'content-type text/plain',
    path: COMPLETIONS,
    headers: { 'content-type': 'text/plain' },
    body: completion({}),
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'a chunked body over the limit',
    path: COMPLETIONS,
    body: JSON.stringify(completion({ prompt: 'x'.repeat(BODY_LIMIT_BYTES) })),
    chunks: 4,
    expect: { status: 413, message: /limit/ },
  },
];

const EMBEDDINGS = '/v1/embeddings';
const embedding = (extra: Record<string, unknown>) => ({ model: 'fast', input: 'hi', ...extra });
const embeddingCases: HostileCase[] = [
  { name: 'invalid JSON', path: EMBEDDINGS, body: '{', expect: { status: 400, message: /not valid JSON/ } },
  { name: 'null', path: EMBEDDINGS, body: 'null', expect: { status: 400, message: /object/ } },
  { name: 'no input', path: EMBEDDINGS, body: { model: 'fast' }, expect: { status: 400, param: 'input' } },
  {
    name: 'input empty',
    path: EMBEDDINGS,
    body: embedding({ input: [] }),
    expect: { status: 400, param: 'input' },
  },
  {
    name: 'input a number',
    path: EMBEDDINGS,
    body: embedding({ input: 5 }),
    expect: { status: 400, param: 'input' },
  },
  {
    name: 'input token ids',
    path: EMBEDDINGS,
    body: embedding({ input: [1, 2, 3] }),
    expect: { status: 400, param: 'input[0]', message: /must be string/ },
  },
  {
    name: '3,000 inputs',
    path: EMBEDDINGS,
    body: embedding({ input: Array.from({ length: 3_000 }, () => 'a') }),
    expect: { status: 400, param: 'input', message: /at most 2048/ },
  },
  {
    name: 'dimensions -1',
    path: EMBEDDINGS,
    body: embedding({ dimensions: -1 }),
    expect: { status: 400, param: 'dimensions' },
  },
  {
    name: 'dimensions 1e308',
    path: EMBEDDINGS,
    body: embedding({ dimensions: 1e308 }),
    expect: { status: 400, param: 'dimensions' },
  },
  {
    name: 'encoding_format hex',
    path: EMBEDDINGS,
    body: embedding({ encoding_format: 'hex' }),
    expect: { status: 400, param: 'encoding_format' },
  },
  { name: 'no model', path: EMBEDDINGS, body: { input: 'hi' }, expect: { status: 400, param: 'model' } },
  {
    name: 'an unknown model',
    path: EMBEDDINGS,
    body: embedding({ model: 'no-such-embedder' }),
    expect: { status: 404, message: /no-such-embedder/ },
  },
  {
    name: 'content-type text/plain',
    path: EMBEDDINGS,
    headers: { 'content-type': 'text/plain' },
    body: embedding({}),
    expect: { status: 415, message: /content-type/i },
  },
];

const MESSAGES = '/v1/messages';
const anthropic = (extra: Record<string, unknown>) => ({
  model: 'fast',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});
const messageCases: HostileCase[] = [
  {
    name: 'invalid JSON',
    path: MESSAGES,
    body: '{"model"',
    expect: { status: 400, message: /not valid JSON/ },
  },
  { name: 'null', path: MESSAGES, body: 'null', expect: { status: 400, message: /object/ } },
  {
    name: 'no max_tokens',
    path: MESSAGES,
    body: { model: 'fast', messages: CHAT.messages },
    expect: { status: 400, message: /max_tokens/ },
  },
  {
    name: 'max_tokens 0',
    path: MESSAGES,
    body: anthropic({ max_tokens: 0 }),
    expect: { status: 400, message: /max_tokens/ },
  },
  {
    name: 'max_tokens 1e308',
    path: MESSAGES,
    body: anthropic({ max_tokens: 1e308 }),
    expect: { status: 400, message: /max_tokens/ },
  },
  {
    name: 'no messages',
    path: MESSAGES,
    body: { model: 'fast', max_tokens: 16 },
    expect: { status: 400, message: /messages/ },
  },
  {
    name: 'a system role in messages',
    path: MESSAGES,
    body: anthropic({ messages: [{ role: 'system', content: 'x' }] }),
    expect: { status: 400, message: /messages\[0\]\.role/ },
  },
  {
    name: 'temperature 1.5 (Anthropic allows 0-1)',
    path: MESSAGES,
    body: anthropic({ temperature: 1.5 }),
    expect: { status: 400, message: /temperature/ },
  },
  {
    name: 'an unknown content block',
    path: MESSAGES,
    body: anthropic({ messages: [{ role: 'user', content: [{ type: 'hologram' }] }] }),
    expect: { status: 400, message: /hologram/ },
  },
  {
    name: 'an image from a file source',
    path: MESSAGES,
    body: anthropic({
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }],
    }),
    expect: { status: 400, message: /source type "file"/ },
  },
  {
    name: 'a content block without a type',
    path: MESSAGES,
    body: anthropic({ messages: [{ role: 'user', content: [{ text: 'x' }] }] }),
    expect: { status: 400, message: /messages\[0\]\.content/ },
  },
  {
    name: 'a tool without input_schema',
    path: MESSAGES,
    body: anthropic({ tools: [{ name: 't' }] }),
    expect: { status: 400, message: /tools\[0\]\.input_schema/ },
  },
  {
    name: 'tool_choice of an unknown type',
    path: MESSAGES,
    body: anthropic({ tool_choice: { type: 'whichever' } }),
    expect: { status: 400, message: /tool_choice\.type/ },
  },
  {
    name: 'stream a string',
    path: MESSAGES,
    body: anthropic({ stream: 'yes' }),
    expect: { status: 400, message: /stream/ },
  },
  {
    name: 'JSON nested 5,000 deep',
    path: MESSAGES,
    body: deep(5_000),
    expect: { status: 400, message: /levels deep/ },
  },
  {
    name: 'a body over the limit',
    path: MESSAGES,
    body: JSON.stringify(anthropic({ system: 'x'.repeat(BODY_LIMIT_BYTES) })),
    expect: { status: 413, message: /limit/ },
  },
  {
    name: 'content-type text/plain',
    path: MESSAGES,
    headers: { 'content-type': 'text/plain' },
    body: anthropic({}),
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'no API key',
    path: MESSAGES,
    headers: { authorization: null },
    body: anthropic({}),
    expect: { status: 401, message: /key/i },
  },
];

const modelsCases: HostileCase[] = [
  {
    name: 'POST /v1/models',
    path: '/v1/models',
    body: {},
    expect: { status: [400, 405], message: /Method POST/ },
  },
  {
    name: 'a model id with a bad percent-encoding',
    method: 'GET',
    path: '/v1/models/%E0%A4%A',
    expect: { status: 400, param: 'id', message: /percent-encoding/ },
  },
  {
    name: 'an unknown model id',
    method: 'GET',
    path: '/v1/models/no-such-model',
    expect: { status: 404, message: /no-such-model/ },
  },
  {
    name: 'a traversal as a model id',
    method: 'GET',
    path: '/v1/models/..%2F..%2Fetc%2Fpasswd',
    expect: { status: 404, message: /not|unknown|no /i },
  },
  {
    name: 'a 10 KB model id',
    method: 'GET',
    path: `/v1/models/${'m'.repeat(10_000)}`,
    expect: { status: 404, message: /not|unknown|no /i },
  },
  {
    name: 'no API key on the list',
    method: 'GET',
    path: '/v1/models',
    headers: { authorization: null },
    expect: { status: 401, param: 'authorization' },
  },
];

describe('hostile input: model routes', () => {
  const tables = {
    'POST /v1/chat/completions': chatCases,
    'POST /v1/completions': completionCases,
    'POST /v1/embeddings': embeddingCases,
    'POST /v1/messages': messageCases,
    '/v1/models': modelsCases,
  };
  for (const [route, cases] of Object.entries(tables)) {
    describe(route, () => {
      for (const c of cases) test(c.name, async () => assertHostile(c, await sendHostile(gw.url, c)));
    });
  }

  test('afterwards the gateway still answers and the usage log still writes rows', async () => {
    await assertStillServing(gw, gw.admin);
  });
});
