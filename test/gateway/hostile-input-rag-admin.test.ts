/**
 * Hostile-input battery, RAG, admin and operations routes (issue 10): malformed requests to
 * /v1/collections (create, list, get, delete, documents, search, ask), /admin/keys, /admin/usage,
 * /admin/traces, /admin/engine, /health, /ready and /metrics, with the master key configured. Each
 * is a 4xx naming the problem; none is a 5xx; nothing reaches outside its collection; afterwards the
 * gateway still serves and its usage log still writes rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertHostile,
  assertStillServing,
  BODY_LIMIT_BYTES,
  type HostileCase,
  type HostileGateway,
  MASTER_KEY,
  sendHostile,
  startHostileGateway,
} from '../support/hostile-battery.js';

let gw: HostileGateway;
/** A virtual key (not the master key), and its id. */
let virtualKey: string;
let keyId: string;

before(async () => {
  gw = await startHostileGateway();
  const created = await fetch(`${gw.url}/v1/collections`, {
    method: 'POST',
    headers: gw.admin,
    body: JSON.stringify({ name: 'docs' }),
  });
  assert.equal(created.status, 201, await created.text());
  const uploaded = await fetch(`${gw.url}/v1/collections/docs/documents`, {
    method: 'POST',
    headers: gw.admin,
    body: JSON.stringify({ filename: 'a.md', text: '# Paris\n\nParis is the capital of France.' }),
  });
  assert.equal(uploaded.status, 200, await uploaded.text());
  const key = await fetch(`${gw.url}/admin/keys`, {
    method: 'POST',
    headers: gw.admin,
    body: JSON.stringify({ name: 'tenant', models: ['fast'] }),
  });
  const keyText = await key.text();
  assert.equal(key.status, 201, keyText);
  ({ key: virtualKey, id: keyId } = JSON.parse(keyText) as { key: string; id: string });
});
after(() => gw.close());

const deep = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
const virtual = () => ({ authorization: `Bearer ${virtualKey}` });

const collectionCases: HostileCase[] = [
  {
    name: 'create: invalid JSON',
    path: '/v1/collections',
    body: '{"name":',
    expect: { status: 400, param: 'body', message: /not valid JSON/ },
  },
  {
    name: 'create: null',
    path: '/v1/collections',
    body: 'null',
    expect: { status: 400, message: /object|expected/i },
  },
  { name: 'create: no name', path: '/v1/collections', body: {}, expect: { status: 400, param: 'name' } },
  {
    name: 'create: name a number',
    path: '/v1/collections',
    body: { name: 7 },
    expect: { status: 400, param: 'name' },
  },
  {
    name: 'create: name "../etc"',
    path: '/v1/collections',
    body: { name: '../etc' },
    expect: { status: 400, param: 'name', message: /letters, digits/ },
  },
  {
    name: 'create: name ".."',
    path: '/v1/collections',
    body: { name: '..' },
    expect: { status: 400, param: 'name' },
  },
  {
    name: 'create: name "%2e%2e"',
    path: '/v1/collections',
    body: { name: '%2e%2e' },
    expect: { status: 400, param: 'name' },
  },
  {
    name: 'create: a NUL in the name',
    path: '/v1/collections',
    body: { name: 'a\u0000b' },
    expect: { status: 400, param: 'name' },
  },
  {
    name: 'create: a 300-character name',
    path: '/v1/collections',
    body: { name: 'a'.repeat(300) },
    expect: { status: 400, param: 'name', message: /128/ },
  },
  {
    name: 'create: an unknown field',
    path: '/v1/collections',
    body: { name: 'x', owner: 'root' },
    expect: { status: 400, message: /owner/ },
  },
  {
    name: 'create: metadata an array',
    path: '/v1/collections',
    body: { name: 'x', metadata: [1] },
    expect: { status: 400, param: 'metadata' },
  },
  {
    name: 'create: an unknown embedding_model',
    path: '/v1/collections',
    body: { name: 'vec', embedding_model: 'no-such-model' },
    expect: { status: 400, param: 'embedding_model' },
  },
  {
    name: 'create: JSON nested 5,000 deep',
    path: '/v1/collections',
    body: deep,
    expect: { status: 400, param: 'body', message: /levels deep/ },
  },
  {
    name: 'create: content-type text/plain',
    path: '/v1/collections',
    headers: { 'content-type': 'text/plain' },
    body: { name: 'x' },
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'create: a body over the limit',
    path: '/v1/collections',
    body: JSON.stringify({ name: 'x', metadata: { pad: 'x'.repeat(BODY_LIMIT_BYTES) } }),
    expect: { status: 413, message: /limit/ },
  },
  {
    name: 'list: no API key',
    method: 'GET',
    path: '/v1/collections',
    headers: { authorization: null },
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: 'get: bad percent-encoding',
    method: 'GET',
    path: '/v1/collections/%E0%A4%A',
    expect: { status: 400, param: 'name', message: /percent-encoding/ },
  },
  {
    name: 'get: a lone "%"',
    method: 'GET',
    path: '/v1/collections/%',
    expect: { status: 400, param: 'name', message: /percent-encoding/ },
  },
  {
    name: 'get: "%2e%2e" (..)',
    method: 'GET',
    path: '/v1/collections/%2e%2e',
    expect: { status: [400, 404], param: 'name' },
  },
  {
    name: 'get: an encoded traversal',
    method: 'GET',
    path: '/v1/collections/..%2F..%2Fetc%2Fpasswd',
    expect: { status: [400, 404], param: 'name' },
  },
  {
    name: 'get: a NUL (%00) in the name',
    method: 'GET',
    path: '/v1/collections/docs%00',
    expect: { status: [400, 404], param: 'name' },
  },
  {
    name: 'get: a name with a space',
    method: 'GET',
    path: '/v1/collections/a%20b',
    expect: { status: [400, 404], param: 'name' },
  },
  {
    name: 'get: an unknown collection',
    method: 'GET',
    path: '/v1/collections/missing',
    expect: { status: 404, param: 'name' },
  },
  {
    name: 'delete: a traversal',
    method: 'DELETE',
    path: '/v1/collections/%2e%2e%2fdocs',
    expect: { status: 400, param: 'name' },
  },
  {
    name: 'PUT on a collection',
    method: 'PUT',
    path: '/v1/collections/docs',
    body: {},
    expect: { status: [400, 404, 405], message: /PUT/ },
  },
  {
    name: 'upload: null',
    path: '/v1/collections/docs/documents',
    body: 'null',
    expect: { status: 400, param: 'body', message: /object/ },
  },
  {
    name: 'upload: neither url nor text',
    path: '/v1/collections/docs/documents',
    body: { filename: 'a.md' },
    expect: { status: 400, param: 'body' },
  },
  {
    name: 'upload: a file: URL',
    path: '/v1/collections/docs/documents',
    body: { url: 'file:///etc/passwd' },
    expect: { status: 422, message: /only http and https/ },
  },
  {
    name: 'upload: a URL to the metadata service',
    path: '/v1/collections/docs/documents',
    body: { url: 'http://169.254.169.254/latest/meta-data/' },
    expect: { status: 422, message: /link-local/ },
  },
  {
    name: 'upload: a URL that is not one',
    path: '/v1/collections/docs/documents',
    body: { url: 'not a url' },
    expect: { status: 422, message: /not a valid URL/ },
  },
  {
    name: 'upload: raw, without a filename',
    path: '/v1/collections/docs/documents',
    headers: { 'content-type': 'text/markdown' },
    body: '# hi',
    expect: { status: 400, param: 'filename' },
  },
  {
    name: 'upload: raw, a traversal filename',
    path: '/v1/collections/docs/documents?filename=..%2F..%2Fetc%2Fpasswd',
    headers: { 'content-type': 'text/plain' },
    body: 'x',
    expect: { status: 400, param: 'filename' },
  },
  {
    name: 'upload: raw, over the limit',
    path: '/v1/collections/docs/documents?filename=big.txt',
    headers: { 'content-type': 'text/plain' },
    body: 'x'.repeat(BODY_LIMIT_BYTES + 1),
    expect: { status: 413, message: /limit/ },
  },
  {
    name: 'upload: raw, chunked over the limit',
    path: '/v1/collections/docs/documents?filename=big.txt',
    headers: { 'content-type': 'text/plain' },
    body: 'x'.repeat(BODY_LIMIT_BYTES * 2),
    chunks: 16,
    expect: { status: 413, message: /limit/ },
  },
  {
    name: 'upload: to a traversal name',
    path: '/v1/collections/..%2Fdocs/documents',
    body: { filename: 'a.md', text: 'x' },
    expect: { status: 400, param: 'name' },
  },
  {
    name: 'documents: list of an unknown collection',
    method: 'GET',
    path: '/v1/collections/missing/documents',
    expect: { status: 404, param: 'name' },
  },
  {
    name: 'documents: delete with a bad percent-encoding',
    method: 'DELETE',
    path: '/v1/collections/docs/documents/%ZZ',
    expect: { status: 400, param: 'id', message: /percent-encoding/ },
  },
  {
    name: 'search: invalid JSON',
    path: '/v1/collections/docs/search',
    body: '{',
    expect: { status: 400, param: 'body', message: /not valid JSON/ },
  },
  {
    name: 'search: null',
    path: '/v1/collections/docs/search',
    body: 'null',
    expect: { status: 400, message: /object|expected/i },
  },
  {
    name: 'search: no query',
    path: '/v1/collections/docs/search',
    body: {},
    expect: { status: 400, param: 'query' },
  },
  {
    name: 'search: query a number',
    path: '/v1/collections/docs/search',
    body: { query: 5 },
    expect: { status: 400, param: 'query' },
  },
  {
    name: 'search: k = -1',
    path: '/v1/collections/docs/search',
    body: { query: 'paris', k: -1 },
    expect: { status: 400, param: 'k' },
  },
  {
    name: 'search: k = 1e9',
    path: '/v1/collections/docs/search',
    body: { query: 'paris', k: 1e9 },
    expect: { status: 400, param: 'k' },
  },
  {
    name: 'search: an unknown mode',
    path: '/v1/collections/docs/search',
    body: { query: 'paris', mode: 'psychic' },
    expect: { status: 400, param: 'mode' },
  },
  {
    name: 'search: an unknown field',
    path: '/v1/collections/docs/search',
    body: { query: 'paris', limit: 5 },
    expect: { status: 400, message: /limit/ },
  },
  {
    name: 'search: content-type text/plain',
    path: '/v1/collections/docs/search',
    headers: { 'content-type': 'text/plain' },
    body: { query: 'paris' },
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'search: an unknown collection',
    path: '/v1/collections/missing/search',
    body: { query: 'paris' },
    expect: { status: 404, param: 'name' },
  },
  {
    name: 'ask: null',
    path: '/v1/collections/docs/ask',
    body: 'null',
    expect: { status: 400, message: /object|question/i },
  },
  {
    name: 'ask: a string',
    path: '/v1/collections/docs/ask',
    body: '"why?"',
    expect: { status: 400, message: /object|question/i },
  },
  {
    name: 'ask: no question',
    path: '/v1/collections/docs/ask',
    body: {},
    expect: { status: 400, param: 'question' },
  },
  {
    name: 'ask: question a number',
    path: '/v1/collections/docs/ask',
    body: { question: 42 },
    expect: { status: 400, param: 'question' },
  },
  {
    name: 'ask: k = 1000',
    path: '/v1/collections/docs/ask',
    body: { question: 'capital?', k: 1000 },
    expect: { status: 400, param: 'k' },
  },
  {
    name: 'ask: stream a string',
    path: '/v1/collections/docs/ask',
    body: { question: 'capital?', stream: 'yes' },
    expect: { status: 400, param: 'stream' },
  },
  {
    name: 'ask: an unknown model',
    path: '/v1/collections/docs/ask',
    body: { question: 'capital?', model: 'no-such-model' },
    expect: { status: 404, message: /no-such-model/ },
  },
];

const adminCases: HostileCase[] = [
  {
    name: 'keys: no key',
    method: 'GET',
    path: '/admin/keys',
    headers: { authorization: null },
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: 'keys: a wrong key',
    method: 'GET',
    path: '/admin/keys',
    headers: { authorization: `Bearer ${MASTER_KEY}x` },
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: 'keys: a virtual key',
    method: 'GET',
    path: '/admin/keys',
    headers: { authorization: 'placeholder' },
    expect: { status: 403, param: 'authorization' },
  },
  {
    name: 'keys: the master key as x-api-key with a wrong bearer',
    method: 'GET',
    path: '/admin/keys',
    headers: { authorization: 'Bearer sk-wrong', 'x-api-key': MASTER_KEY },
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: 'create key: invalid JSON',
    path: '/admin/keys',
    body: '{"name"',
    expect: { status: 400, param: 'body', message: /not valid JSON/ },
  },
  {
    name: 'create key: null',
    path: '/admin/keys',
    body: 'null',
    expect: { status: 400, message: /object|expected/i },
  },
  { name: 'create key: no name', path: '/admin/keys', body: {}, expect: { status: 400, param: 'name' } },
  {
    name: 'create key: name a number',
    path: '/admin/keys',
    body: { name: 5 },
    expect: { status: 400, param: 'name' },
  },
  {
    name: 'create key: rpm -1',
    path: '/admin/keys',
    body: { name: 'k', rpm: -1 },
    expect: { status: 400, param: 'rpm' },
  },
  {
    name: 'create key: rpm 1e308',
    path: '/admin/keys',
    body: { name: 'k', rpm: 1e308 },
    expect: { status: 400, param: 'rpm' },
  },
  {
    name: 'create key: tpm a string',
    path: '/admin/keys',
    body: { name: 'k', tpm: 'lots' },
    expect: { status: 400, param: 'tpm' },
  },
  {
    name: 'create key: budget_usd negative',
    path: '/admin/keys',
    body: { name: 'k', budget_usd: -5 },
    expect: { status: 400, param: 'budget_usd' },
  },
  {
    name: 'create key: budget_usd 1e400',
    path: '/admin/keys',
    body: '{"name":"k","budget_usd":1e400}',
    expect: { status: 400, param: 'budget_usd' },
  },
  {
    name: 'create key: an unknown budget_period',
    path: '/admin/keys',
    body: { name: 'k', budget_period: 'fortnight' },
    expect: { status: 400, param: 'budget_period' },
  },
  {
    name: 'create key: models a string',
    path: '/admin/keys',
    body: { name: 'k', models: 'fast' },
    expect: { status: 400, param: 'models' },
  },
  {
    name: 'create key: expires_at a date string',
    path: '/admin/keys',
    body: { name: 'k', expires_at: 'tomorrow' },
    expect: { status: 400, param: 'expires_at' },
  },
  {
    name: 'create key: an unknown field',
    path: '/admin/keys',
    body: { name: 'k', admin: true },
    expect: { status: 400, message: /admin/ },
  },
  {
    name: 'create key: JSON nested 5,000 deep',
    path: '/admin/keys',
    body: deep,
    expect: { status: 400, param: 'body', message: /levels deep/ },
  },
  {
    name: 'create key: content-type text/plain',
    path: '/admin/keys',
    headers: { 'content-type': 'text/plain' },
    body: { name: 'k' },
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'create key: a body over the limit',
    path: '/admin/keys',
    body: JSON.stringify({ name: 'k', metadata: { pad: 'x'.repeat(BODY_LIMIT_BYTES) } }),
    chunks: 4,
    expect: { status: 413, message: /limit/ },
  },
  {
    name: 'get key: an unknown id',
    method: 'GET',
    path: '/admin/keys/nope',
    expect: { status: 404, param: 'id' },
  },
  {
    name: 'get key: bad percent-encoding',
    method: 'GET',
    path: '/admin/keys/%E0%A4%A',
    expect: { status: 400, param: 'id', message: /percent-encoding/ },
  },
  {
    name: 'patch key: rpm a string',
    method: 'PATCH',
    path: '/admin/keys/KEYID',
    body: { rpm: 'x' },
    expect: { status: 400, param: 'rpm' },
  },
  {
    name: 'patch key: an unknown id',
    method: 'PATCH',
    path: '/admin/keys/nope',
    body: { rpm: 5 },
    expect: { status: 404, message: /nope/ },
  },
  {
    name: 'delete key: an unknown id',
    method: 'DELETE',
    path: '/admin/keys/nope',
    expect: { status: 404, message: /nope/ },
  },
  {
    name: 'rotate key: an unknown id',
    path: '/admin/keys/nope/rotate',
    expect: { status: 404, message: /nope/ },
  },
  {
    name: 'an unknown key action',
    path: '/admin/keys/KEYID/promote',
    expect: { status: 404, message: /promote|route/ },
  },
  {
    name: 'usage: limit=-1',
    method: 'GET',
    path: '/admin/usage?limit=-1',
    expect: { status: 400, param: 'limit' },
  },
  {
    name: 'usage: limit=abc',
    method: 'GET',
    path: '/admin/usage?limit=abc',
    expect: { status: 400, param: 'limit' },
  },
  {
    name: 'usage: limit=0',
    method: 'GET',
    path: '/admin/usage?limit=0',
    expect: { status: 400, param: 'limit' },
  },
  {
    name: 'usage: limit=1e3',
    method: 'GET',
    path: '/admin/usage?limit=1e3',
    expect: { status: 400, param: 'limit' },
  },
  {
    name: 'usage: limit=%ZZ',
    method: 'GET',
    path: '/admin/usage?limit=%ZZ',
    expect: { status: 400, param: 'limit' },
  },
  {
    name: 'usage: since=garbage',
    method: 'GET',
    path: '/admin/usage?since=garbage',
    expect: { status: 400, param: 'since' },
  },
  {
    name: 'usage: until=garbage',
    method: 'GET',
    path: '/admin/usage?until=garbage',
    expect: { status: 400, param: 'until' },
  },
  {
    name: 'usage: since a huge epoch',
    method: 'GET',
    path: '/admin/usage?since=99999999999999999999999',
    expect: { status: 400, param: 'since' },
  },
  {
    name: 'usage: since a huge duration',
    method: 'GET',
    path: '/admin/usage?since=99999999999999999999d',
    expect: { status: 400, param: 'since' },
  },
  {
    name: 'usage: status=abc',
    method: 'GET',
    path: '/admin/usage?status=abc',
    expect: { status: 400, param: 'status' },
  },
  {
    name: 'usage: status=999',
    method: 'GET',
    path: '/admin/usage?status=999',
    expect: { status: 400, param: 'status' },
  },
  {
    name: 'usage: cursor=garbage',
    method: 'GET',
    path: '/admin/usage?cursor=garbage',
    expect: { status: 400, param: 'cursor' },
  },
  {
    name: 'usage: POST',
    path: '/admin/usage',
    body: {},
    expect: { status: [400, 404, 405], message: /POST|route/ },
  },
  {
    name: 'usage: a virtual key',
    method: 'GET',
    path: '/admin/usage',
    headers: { authorization: 'placeholder' },
    expect: { status: 403, param: 'authorization' },
  },
  {
    name: 'traces: limit=-1',
    method: 'GET',
    path: '/admin/traces?limit=-1',
    expect: { status: 400, param: 'limit' },
  },
  {
    name: 'traces: limit=abc',
    method: 'GET',
    path: '/admin/traces?limit=abc',
    expect: { status: 400, param: 'limit' },
  },
  {
    name: 'traces: since=garbage',
    method: 'GET',
    path: '/admin/traces?since=garbage',
    expect: { status: 400, param: 'since' },
  },
  {
    name: 'traces: status=maybe',
    method: 'GET',
    path: '/admin/traces?status=maybe',
    expect: { status: 400, param: 'status' },
  },
  {
    name: 'traces: an id with a traversal',
    method: 'GET',
    path: '/admin/traces/..%2F..%2Fetc',
    expect: { status: 400, param: 'id' },
  },
  {
    name: 'traces: a 65-character id',
    method: 'GET',
    path: `/admin/traces/${'a'.repeat(65)}`,
    expect: { status: 400, param: 'id' },
  },
  {
    name: 'traces: an unknown id',
    method: 'GET',
    path: `/admin/traces/${'0'.repeat(32)}`,
    expect: { status: 404, param: 'id' },
  },
  {
    name: 'traces: bad percent-encoding',
    method: 'GET',
    path: '/admin/traces/%E0%A4%A',
    expect: { status: 400, param: 'id' },
  },
  {
    name: 'engine: POST',
    path: '/admin/engine',
    body: {},
    expect: { status: [400, 404, 405], message: /POST|route/ },
  },
  {
    name: 'engine: no key',
    method: 'GET',
    path: '/admin/engine',
    headers: { authorization: null },
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: 'an unknown admin resource',
    method: 'GET',
    path: '/admin/secrets',
    expect: { status: 404, message: /route/ },
  },
  {
    name: 'a traversal out of /admin',
    method: 'GET',
    path: '/admin/keys/../../etc/passwd',
    expect: { status: 404, message: /route/ },
  },
];

const operationsCases: HostileCase[] = [
  { name: 'POST /health', path: '/health', body: {}, expect: { status: [400, 405], message: /Method POST/ } },
  {
    name: 'DELETE /ready',
    method: 'DELETE',
    path: '/ready',
    expect: { status: [400, 405], message: /Method DELETE/ },
  },
  {
    name: '/metrics without the master key',
    method: 'GET',
    path: '/metrics',
    headers: { authorization: null },
    expect: { status: 401, param: 'authorization' },
  },
  {
    name: '/metrics with a virtual key',
    method: 'GET',
    path: '/metrics',
    headers: { authorization: 'placeholder' },
    expect: { status: 403, param: 'authorization' },
  },
  {
    name: 'POST /metrics',
    path: '/metrics',
    body: {},
    expect: { status: [400, 405], message: /Method POST/ },
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/v2/everything',
    expect: { status: 404, message: /No route/ },
  },
  {
    name: 'an unknown route with a bad percent-encoding',
    method: 'GET',
    path: '/%E0%A4%A',
    expect: { status: [400, 404], message: /route|percent/ },
  },
];

/** Fills in the ids the table refers to (a virtual key, an existing key id). */
function resolve(c: HostileCase): HostileCase {
  const headers = c.headers?.authorization === 'placeholder' ? { ...c.headers, ...virtual() } : c.headers;
  return { ...c, path: c.path.replace('KEYID', keyId), headers };
}

describe('hostile input: RAG, admin and operations routes', () => {
  const tables = {
    '/v1/collections': collectionCases,
    '/admin': adminCases,
    'health, ready, metrics': operationsCases,
  };
  for (const [route, cases] of Object.entries(tables)) {
    describe(route, () => {
      for (const c of cases)
        test(c.name, async () => {
          const resolved = resolve(c);
          assertHostile(resolved, await sendHostile(gw.url, resolved));
        });
    });
  }

  test('nothing of the above created, deleted or leaked anything', async () => {
    const list = (await (await fetch(`${gw.url}/v1/collections`, { headers: gw.admin })).json()) as {
      collections: { name: string }[];
    };
    assert.deepEqual(
      list.collections.map((c) => c.name),
      ['docs'],
    );
    const docs = await fetch(`${gw.url}/v1/collections/docs/documents`, { headers: gw.admin });
    assert.equal(docs.status, 200);
    assert.doesNotMatch(await docs.text(), /passwd|meta-data/);
    const keys = (await (await fetch(`${gw.url}/admin/keys`, { headers: gw.admin })).json()) as {
      data: { name: string }[];
    };
    assert.deepEqual(
      keys.data.map((k) => k.name),
      ['tenant'],
    );
  });

  test('afterwards the gateway still answers and the usage log still writes rows', async () => {
    await assertStillServing(gw, gw.admin);
  });
});
