import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { startSpan, type TraceContext } from '../../core/trace-context.js';
import { createMemoryTraceStore } from '../../storage/memory/memory-trace-store.js';
import type { SpanInput } from '../../storage/ports/trace-store.js';
import type { SpanRecord, SpanResource } from './span-record.js';
import { createTracer } from './tracer.js';

/** A clock that advances 1 ms per reading, so start/end/event times are predictable. */
function tickingClock(start = 1_700_000_000_000) {
  let now = start;
  return () => now++;
}

/** A store whose appendSpans calls are recorded and scripted: fail the next n, or hang. */
function scriptedStore() {
  const batches: SpanInput[][] = [];
  const calls: { resolve: () => void }[] = [];
  let failures = 0;
  let hang = false;
  let onCall: (() => void) | undefined;
  return {
    batches,
    calls,
    failNext(n: number) {
      failures = n;
    },
    hang() {
      hang = true;
    },
    /** Resolves at the next appendSpans call (spans written by the tracer's own timer). */
    nextCall(): Promise<void> {
      return new Promise((resolve) => {
        onCall = resolve;
      });
    },
    async appendSpans(spans: SpanInput[]) {
      const notify = onCall;
      onCall = undefined;
      notify?.();
      if (hang) return new Promise<void>((resolve) => calls.push({ resolve }));
      if (failures > 0) {
        failures--;
        throw new Error('database is locked');
      }
      batches.push(spans);
    },
  };
}

function root(recorder: ReturnType<typeof createTracer>): TraceContext {
  return { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), recorder };
}

describe('createTracer', () => {
  test('spans reach the store with parent and child ids, kinds, attributes and error status', async () => {
    const store = createMemoryTraceStore();
    const tracer = createTracer({ store, now: tickingClock() });
    const trace = root(tracer);

    const server = startSpan(trace, 'POST /v1/chat/completions', {
      kind: 'server',
      attributes: { 'http.request.method': 'POST', 'conduit.key_id': undefined },
    });
    const client = startSpan(server.context, 'chat gpt-4o-mini', { kind: 'client' });
    client.setAttributes({ 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.request.seed': undefined });
    client.addEvent('retry', { attempt: 2 });
    client.recordError(new ConduitError('rate_limited', 'Too many requests', { provider: 'openai' }));
    client.end();
    server.setAttribute('http.response.status_code', 429);
    server.end();
    await tracer.flush();

    const spans = await store.getTrace(trace.traceId);
    assert.equal(spans.length, 2);
    const [s, c] = spans as [(typeof spans)[number], (typeof spans)[number]];
    assert.equal(s.parentSpanId, trace.spanId, 'the first span hangs from the incoming context');
    assert.equal(c.parentSpanId, s.spanId);
    assert.equal(server.context.spanId, s.spanId);
    assert.match(c.spanId, /^[0-9a-f]{16}$/);
    assert.deepEqual([s.kind, c.kind], ['server', 'client']);
    assert.deepEqual(s.attributes, { 'http.request.method': 'POST', 'http.response.status_code': 429 });
    assert.ok(!('conduit.key_id' in s.attributes), 'undefined attributes are left out');
    assert.equal(s.status, 'unset');
    assert.ok(s.endTime! > c.endTime!, 'the parent ends after its child');

    assert.equal(c.status, 'error');
    assert.equal(c.statusMessage, 'Too many requests');
    assert.deepEqual(c.attributes, { 'gen_ai.request.model': 'gpt-4o-mini', 'error.type': 'rate_limited' });
    assert.deepEqual(
      c.events.map((e) => [e.name, e.attributes]),
      [
        ['retry', { attempt: 2 }],
        ['exception', { 'exception.type': 'ConduitError', 'exception.message': 'Too many requests' }],
      ],
    );
  });

  test('a span without a parent starts a trace; explicit span ids and times are kept', async () => {
    const store = createMemoryTraceStore();
    const tracer = createTracer({ store });
    const span = tracer.startSpan('eval case 1', undefined, { spanId: 'c'.repeat(16), startTime: 1000.25 });
    span.recordError(new TypeError('bad'));
    span.end(1002.5);
    span.end(9999);
    await tracer.flush();
    const [stored] = await store.getTrace(span.context.traceId);
    assert.match(span.context.traceId, /^[0-9a-f]{32}$/);
    assert.equal(stored?.spanId, 'c'.repeat(16));
    assert.equal(stored?.parentSpanId, null);
    assert.deepEqual([stored?.startTime, stored?.endTime], [1000.25, 1002.5], 'a second end() is ignored');
    assert.equal(stored?.attributes['error.type'], 'TypeError');
  });

  test('an unsampled parent records nothing, and its children stay unsampled', async () => {
    const store = scriptedStore();
    const tracer = createTracer({ store });
    const parent: TraceContext = { ...root(tracer), sampled: false };
    const viaCore = startSpan(parent, 'chat');
    const direct = tracer.startSpan('chat', parent);
    assert.equal(direct.context.sampled, false);
    assert.equal(direct.context.traceId, parent.traceId, 'the trace id still propagates');
    startSpan(direct.context, 'child').end();
    viaCore.end();
    direct.end();
    await tracer.flush();
    assert.equal(store.batches.length, 0);
  });

  test('writes one appendSpans call per batch', async () => {
    const store = scriptedStore();
    const tracer = createTracer({ store, batchSize: 3 });
    for (let i = 0; i < 7; i++) startSpan(root(tracer), `span ${i}`).end();
    await tracer.flush();
    assert.deepEqual(
      store.batches.map((b) => b.length),
      [3, 3, 1],
    );
    assert.deepEqual(
      store.batches.flat().map((s) => s.name),
      ['span 0', 'span 1', 'span 2', 'span 3', 'span 4', 'span 5', 'span 6'],
    );
  });

  test('writes on its own, without flush(): after flushMs, or once a batch is full', async () => {
    const store = scriptedStore();
    const tracer = createTracer({ store, flushMs: 5, batchSize: 2 });
    let written = store.nextCall();
    startSpan(root(tracer), 'alone').end();
    await written;
    assert.deepEqual(
      store.batches.flat().map((s) => s.name),
      ['alone'],
    );

    written = store.nextCall();
    startSpan(root(tracer), 'a').end();
    startSpan(root(tracer), 'b').end();
    await written;
    assert.deepEqual(
      store.batches.at(-1)?.map((s) => s.name),
      ['a', 'b'],
    );
    await tracer.close();
  });

  test('a failing store: the batch is retried once, then given up with onError; later spans still land', async () => {
    const store = scriptedStore();
    const errors: { error: unknown; spans: number }[] = [];
    const tracer = createTracer({
      store,
      batchSize: 2,
      onError: (error, context) => errors.push({ error, spans: context.spans }),
    });

    store.failNext(3); // the first attempt of both batches, and the retry of the first
    for (let i = 0; i < 4; i++) startSpan(root(tracer), `early ${i}`).end();
    await tracer.flush();
    assert.equal(store.batches.length, 0);
    assert.equal(tracer.pending, 4, 'failed batches wait for their retry');

    startSpan(root(tracer), 'later').end();
    await tracer.flush();
    assert.deepEqual(
      store.batches.map((b) => b.map((s) => s.name)),
      [['early 2', 'early 3'], ['later']],
      'the second retry succeeds, the new span is not held back',
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.spans, 2);
    assert.match(String(errors[0]?.error), /database is locked/);
    assert.equal(tracer.dropped, 2);
    assert.equal(tracer.pending, 0);
  });

  test('a hanging store: the queue stays bounded, drops are counted and reported once per burst', async () => {
    const store = scriptedStore();
    const drops: number[] = [];
    const tracer = createTracer({
      store,
      batchSize: 5,
      maxQueue: 10,
      onDrop: ({ dropped }) => drops.push(dropped),
    });
    store.hang();
    for (let i = 0; i < 5; i++) startSpan(root(tracer), `in flight ${i}`).end();
    const writing = store.nextCall();
    void tracer.flush(); // takes the 5 spans and waits on the store forever
    await writing;
    for (let i = 0; i < 25; i++) startSpan(root(tracer), `queued ${i}`).end();
    assert.equal(tracer.pending, 10);
    assert.equal(tracer.dropped, 15);
    assert.deepEqual(drops, [1], 'one report for the whole burst');
    assert.equal(store.calls.length, 1, 'nothing else is written while the store hangs');
  });

  test('close() flushes what is queued and drops spans ended afterwards', async () => {
    const store = createMemoryTraceStore();
    const tracer = createTracer({ store, flushMs: 60_000 });
    const span = startSpan(root(tracer), 'before close');
    span.end();
    await tracer.close();
    assert.equal((await store.getTrace('a'.repeat(32))).length, 1);
    startSpan(root(tracer), 'after close').end();
    await tracer.flush();
    assert.equal((await store.getTrace('a'.repeat(32))).length, 1);
    assert.equal(tracer.dropped, 1);
  });

  test('the exporter gets the same spans with the service name, independently of the store', async () => {
    const exported: { spans: readonly SpanRecord[]; resource: SpanResource }[] = [];
    let shutdown = 0;
    const store = scriptedStore();
    store.failNext(2);
    const tracer = createTracer({
      store,
      serviceName: 'gateway-eu',
      exporter: {
        async export(spans, resource) {
          exported.push({ spans, resource });
        },
        async shutdown() {
          shutdown++;
        },
      },
    });
    startSpan(root(tracer), 'chat').end();
    await tracer.close();
    assert.equal(exported.length, 1, 'a failing store does not hold the export back');
    assert.equal(exported[0]?.spans[0]?.name, 'chat');
    assert.deepEqual(exported[0]?.resource, { serviceName: 'gateway-eu' });
    assert.equal(shutdown, 1);
    assert.equal(store.batches.length, 0);
  });

  test('captureContent defaults to false', () => {
    assert.equal(createTracer().captureContent, false);
    assert.equal(createTracer({ captureContent: true }).captureContent, true);
  });
});
