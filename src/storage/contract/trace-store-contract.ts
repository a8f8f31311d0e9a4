/** Contract every `TraceStore` adapter must pass. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SpanInput, TraceStore } from '../ports/trace-store.js';
import { type PortFactory, rejectsWithCode, withPort } from './port-fixture.js';

const span = (
  traceId: string,
  spanId: string,
  startTime: number,
  extra: Partial<SpanInput> = {},
): SpanInput => ({
  traceId,
  spanId,
  name: spanId,
  startTime,
  endTime: startTime + 10,
  ...extra,
});

export function traceStoreContract(adapter: string, factory: PortFactory<TraceStore>): void {
  const run = (body: (traces: TraceStore) => Promise<void>) => () => withPort(factory, body);

  describe(`TraceStore contract (${adapter})`, () => {
    test(
      'a trace comes back as its spans in start order with defaults filled in',
      run(async (traces) => {
        await traces.appendSpans([
          span('t1', 'child', 105.5, {
            parentSpanId: 'root',
            kind: 'client',
            attributes: { 'gen_ai.system': 'openai' },
          }),
          span('t1', 'root', 100, {
            kind: 'server',
            status: 'ok',
            events: [{ name: 'first-token', time: 120 }],
          }),
        ]);
        const spans = await traces.getTrace('t1');
        assert.deepEqual(
          spans.map((s) => s.spanId),
          ['root', 'child'],
        );
        assert.deepEqual(spans[1], {
          traceId: 't1',
          spanId: 'child',
          parentSpanId: 'root',
          name: 'child',
          kind: 'client',
          startTime: 105.5,
          endTime: 115.5,
          status: 'unset',
          statusMessage: null,
          attributes: { 'gen_ai.system': 'openai' },
          events: [],
        });
        assert.deepEqual(spans[0]?.events, [{ name: 'first-token', time: 120 }]);
        assert.deepEqual(await traces.getTrace('unknown'), []);
      }),
    );

    test(
      're-sending a span replaces it instead of duplicating it',
      run(async (traces) => {
        await traces.appendSpans([span('t1', 's', 100, { endTime: null })]);
        await traces.appendSpans([
          span('t1', 's', 100, { endTime: 150, status: 'error', statusMessage: 'boom' }),
        ]);
        const spans = await traces.getTrace('t1');
        assert.equal(spans.length, 1);
        assert.equal(spans[0]?.endTime, 150);
        assert.equal(spans[0]?.statusMessage, 'boom');
      }),
    );

    test(
      'listTraces summarises each trace with its root, newest first, within a window',
      run(async (traces) => {
        await traces.appendSpans([
          span('old', 'r', 100),
          span('new', 'r', 300, { name: 'POST /v1/chat/completions', kind: 'server', endTime: 380 }),
          span('new', 'c1', 310, { parentSpanId: 'r', status: 'error', endTime: 390 }),
          span('new', 'c2', 320, { parentSpanId: 'r', endTime: 330 }),
          // Root of a trace that started in another service: its parent is not stored here.
          span('remote', 'local-root', 200, { parentSpanId: 'upstream', name: 'gateway' }),
        ]);
        const list = await traces.listTraces();
        assert.deepEqual(
          list.map((t) => t.traceId),
          ['new', 'remote', 'old'],
        );
        assert.deepEqual(list[0], {
          traceId: 'new',
          startTime: 300,
          endTime: 390,
          durationMs: 90,
          spanCount: 3,
          errorCount: 1,
          root: {
            spanId: 'r',
            name: 'POST /v1/chat/completions',
            kind: 'server',
            status: 'unset',
            attributes: {},
          },
        });
        assert.equal(list[1]?.root?.name, 'gateway');
        assert.deepEqual(
          (await traces.listTraces({ since: 150, until: 300 })).map((t) => t.traceId),
          ['remote'],
        );
        // A trace that began before `since` is left out even though some of its spans are later.
        assert.deepEqual(
          (await traces.listTraces({ since: 305 })).map((t) => t.traceId),
          [],
        );
        assert.equal((await traces.listTraces({ limit: 1 })).length, 1);
      }),
    );

    test(
      'listTraces filters on the root span: model alias, key and status, before the limit',
      run(async (traces) => {
        const root = (traceId: string, start: number, extra: Partial<SpanInput>) =>
          span(traceId, `${traceId}-root`, start, { kind: 'server', ...extra });
        await traces.appendSpans([
          root('a', 100, {
            status: 'ok',
            attributes: {
              'conduit.model': 'fast',
              'gen_ai.request.model': 'fast',
              'conduit.key_id': 'k1',
              'conduit.cost_usd': 0.0012,
              'gen_ai.usage.input_tokens': 12,
              'gen_ai.usage.output_tokens': 34,
              'http.response.status_code': 200,
              'gen_ai.input.messages': '[{"role":"user","content":"a long prompt"}]',
            },
          }),
          // A child's model or failure does not make the trace match.
          span('a', 'a-child', 101, {
            parentSpanId: 'a-root',
            status: 'error',
            attributes: { 'conduit.model': 'smart', 'conduit.key_id': 'k2' },
          }),
          root('b', 200, {
            status: 'error',
            attributes: { 'conduit.model': 'smart', 'conduit.key_id': 'k1' },
          }),
          root('c', 300, { attributes: { 'conduit.model': 'fast', 'conduit.key_id': 'k2' } }),
          // Spans from another service name only the upstream model.
          root('d', 400, { parentSpanId: 'elsewhere', attributes: { 'gen_ai.request.model': 'fast' } }),
        ]);
        const ids = async (q: Parameters<TraceStore['listTraces']>[0]) =>
          (await traces.listTraces(q)).map((t) => t.traceId);
        assert.deepEqual(await ids({ model: 'fast' }), ['d', 'c', 'a']);
        assert.deepEqual(await ids({ model: 'smart' }), ['b']);
        assert.deepEqual(await ids({ keyId: 'k1' }), ['b', 'a']);
        assert.deepEqual(await ids({ keyId: 'k2' }), ['c']);
        assert.deepEqual(await ids({ status: 'error' }), ['b']);
        assert.deepEqual(await ids({ status: 'ok' }), ['d', 'c', 'a']);
        assert.deepEqual(await ids({ model: 'fast', keyId: 'k2', status: 'ok' }), ['c']);
        assert.deepEqual(await ids({ model: 'fast', limit: 1, until: 400 }), ['c']);
        assert.deepEqual(await ids({ model: 'fast', since: 150 }), ['d', 'c']);
        assert.deepEqual(await ids({ model: 'nobody' }), []);
        await rejectsWithCode(traces.listTraces({ status: 'bad' as 'ok' }), 'bad_request');
        // The list carries the root's list-view attributes, not captured content.
        const [a] = await traces.listTraces({ keyId: 'k1', until: 150 });
        assert.deepEqual(a?.root?.attributes, {
          'conduit.model': 'fast',
          'gen_ai.request.model': 'fast',
          'conduit.key_id': 'k1',
          'conduit.cost_usd': 0.0012,
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 34,
          'http.response.status_code': 200,
        });
      }),
    );
  });
}
