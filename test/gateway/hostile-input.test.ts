/**
 * Hostile or malformed input through the real gateway: every case is a 4xx naming the problem
 * (`error.param` or the message), never a 5xx, and the server keeps serving afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aliasYaml, type Harness, startHarness } from '../support/gateway-harness.js';

let h: Harness;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the assertions
type Json = Record<string, any>;
const send = async (path: string, method: string, body?: string) => {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Json, text };
};
const json = (path: string, method: string, body?: unknown) =>
  send(path, method, body === undefined ? undefined : JSON.stringify(body));

/** A 400 whose error names `param`, and whose message matches `message` when given. */
function assertBadRequest(r: { status: number; body: Json; text: string }, param: string, message?: RegExp) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.error.param, param, r.text);
  if (message) assert.match(r.body.error.message, message);
}

const chat = { model: 'fast', messages: [{ role: 'user', content: 'hi' }] };

before(async () => {
  h = await startHarness({ config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n') });
});
after(() => h.close());

describe('hostile input', () => {
  test('a malformed percent-encoding in a collection path is a 400 naming the parameter', async () => {
    for (const method of ['GET', 'DELETE']) {
      assertBadRequest(await send('/v1/collections/%E0%A4%A', method), 'name', /percent-encoding/);
    }
    assertBadRequest(await json('/v1/collections/%E0%A4%A/search', 'POST', { query: 'x' }), 'name');
  });

  test('an invalid collection name says what a name may contain, not raw validation JSON', async () => {
    const upload = await json('/v1/collections/a%20b/documents', 'POST', { filename: 'a.md', text: 'hello' });
    assertBadRequest(upload, 'name', /letters, digits/);
    assert.doesNotMatch(upload.body.error.message, /[[{]/, 'no JSON in the message');
    const created = await json('/v1/collections', 'POST', { name: 'a b' });
    assertBadRequest(created, 'name', /letters, digits/);
  });

  test('a JSON upload body that is not an object is a 400', async () => {
    assert.equal((await json('/v1/collections', 'POST', { name: 'docs' })).status, 201);
    for (const body of ['null', '[]', '42', '"text"']) {
      assertBadRequest(await send('/v1/collections/docs/documents', 'POST', body), 'body', /object/);
    }
  });

  test('JSON nested thousands deep is refused before parsing', async () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    assertBadRequest(await send('/v1/chat/completions', 'POST', deep), 'body', /levels deep/);
    const deepObject = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;
    assertBadRequest(await send('/v1/collections', 'POST', deepObject), 'body', /levels deep/);
    // Brackets inside strings do not count.
    const r = await json('/v1/chat/completions', 'POST', {
      ...chat,
      messages: [{ role: 'user', content: '['.repeat(5_000) }],
    });
    assert.equal(r.status, 200, r.text);
  });

  test('max_tokens: 0 says it must be at least 1', async () => {
    const r = await json('/v1/chat/completions', 'POST', { ...chat, max_tokens: 0 });
    assertBadRequest(r, 'max_tokens', /at least 1/);
  });

  test('a collection with an unknown embedding_model is a 400 and is not created', async () => {
    const r = await json('/v1/collections', 'POST', { name: 'vectors', embedding_model: 'no-such-model' });
    assertBadRequest(r, 'embedding_model', /no-such-model/);
    assert.equal((await json('/v1/collections/vectors', 'GET')).status, 404);
  });

  test('the server still answers a normal request afterwards', async () => {
    const r = await json('/v1/chat/completions', 'POST', chat);
    assert.equal(r.status, 200, r.text);
    assert.equal((await json('/v1/collections', 'GET')).status, 200);
  });
});
