/**
 * A RAG `ask` through the gateway is one trace: the request's server span (named by the route's
 * shape, never the collection or the question), the `ask` span, the retrieval with the query's
 * embedding under it, and the answer's model call beside the retrieval.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Span } from '../../src/storage/ports/trace-store.js';
import { aliasYaml, type Harness, startHarness } from '../support/gateway-harness.js';

let h: Harness;
const markdown = readFileSync(new URL('../fixtures/rag/handbook.md', import.meta.url), 'utf8');

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

before(async () => {
  h = await startHarness({ config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n') });
  assert.equal((await post('/v1/collections', { name: 'handbook', embedding_model: 'fast' })).status, 201);
  const uploaded = await post('/v1/collections/handbook/documents', {
    filename: 'handbook.md',
    text: markdown,
  });
  assert.equal(uploaded.status, 200, await uploaded.text());
});
after(() => h.close());

describe('tracing of RAG requests', () => {
  test('ask: request → ask → retrieval (+ embeddings) → chat, in one trace', async () => {
    const parentTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentSpan = '00f067aa0ba902b7';
    const question = 'How many vacation days do employees get?';
    const response = await post(
      '/v1/collections/handbook/ask',
      { question, model: 'fast' },
      { traceparent: `00-${parentTrace}-${parentSpan}-01` },
    );
    assert.equal(response.status, 200, await response.clone().text());
    await response.json();
    assert.equal(response.headers.get('x-conduit-trace-id'), parentTrace);

    const conduit = h.running.conduit();
    await conduit.traces.flush();
    const spans = await conduit.storage.traces.getTrace(parentTrace);
    const byName = (name: string): Span => {
      const found = spans.filter((s) => s.name === name);
      assert.equal(found.length, 1, `one ${name} span among ${spans.map((s) => s.name).join(', ')}`);
      return found[0]!;
    };

    const server = byName('POST /v1/collections/{name}/ask');
    assert.equal(server.kind, 'server');
    assert.equal(server.parentSpanId, parentSpan);
    assert.equal(server.attributes['http.route'], '/v1/collections/{name}/ask');
    assert.equal(server.attributes['http.response.status_code'], 200);

    const ask = byName('ask handbook');
    assert.equal(ask.parentSpanId, server.spanId);
    assert.equal(ask.attributes['gen_ai.data_source.id'], 'handbook');

    const retrieval = byName('retrieval handbook');
    assert.equal(retrieval.parentSpanId, ask.spanId);
    assert.equal(retrieval.kind, 'internal');
    assert.equal(retrieval.attributes['gen_ai.operation.name'], 'retrieval');
    assert.equal(retrieval.attributes['gen_ai.data_source.id'], 'handbook');
    assert.equal(retrieval.attributes['conduit.retrieval.mode'], 'hybrid');
    assert.equal(retrieval.attributes['conduit.retrieval.k'], 8);
    assert.ok((retrieval.attributes['conduit.retrieval.results'] as number) > 0);
    assert.equal(
      retrieval.attributes['gen_ai.retrieval.query.text'],
      undefined,
      'content is not captured by default',
    );

    const embeddings = byName('embeddings fast');
    assert.equal(embeddings.parentSpanId, retrieval.spanId);

    const chat = byName('chat fast');
    assert.equal(chat.parentSpanId, ask.spanId);
    assert.ok(
      spans.some((s) => s.kind === 'client' && s.parentSpanId === chat.spanId),
      'the deployment attempt',
    );

    for (const span of spans) assert.ok(!span.name.includes('vacation'), `no request text in "${span.name}"`);
  });

  test('a failing request records its error on the server span', async () => {
    const response = await post('/v1/collections/missing/search', { query: 'anything' });
    assert.equal(response.status, 404);
    const traceId = response.headers.get('x-conduit-trace-id');
    assert.match(traceId ?? '', /^[0-9a-f]{32}$/);
    await h.running.conduit().traces.flush();
    const [span] = await h.running.conduit().storage.traces.getTrace(traceId!);
    assert.equal(span?.name, 'POST /v1/collections/{name}/search');
    assert.equal(span?.status, 'error');
    assert.equal(span?.attributes['http.response.status_code'], 404);
  });
});
