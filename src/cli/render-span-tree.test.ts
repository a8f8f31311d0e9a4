import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '../storage/ports/trace-store.js';
import { renderSpanTree } from './render-span-tree.js';

const T0 = Date.UTC(2026, 11, 1, 9, 30);

function span(spanId: string, parentSpanId: string | null, start: number, extra: Partial<Span> = {}): Span {
  return {
    traceId: 'trace-1',
    spanId,
    parentSpanId,
    name: spanId,
    kind: 'internal',
    startTime: T0 + start,
    endTime: T0 + start + 10,
    status: 'unset',
    statusMessage: null,
    attributes: {},
    events: [],
    ...extra,
  };
}

test('prints the tree indented under each parent, with duration, tokens, cost and status', () => {
  const text = renderSpanTree([
    span('execute_tool weather', 'router', 300, { endTime: T0 + 320.25 }),
    span('POST /v1/chat/completions', null, 0, {
      spanId: 'root',
      kind: 'server',
      endTime: T0 + 412.5,
      status: 'ok',
      attributes: {
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 34,
        'conduit.cost_usd': 0.0012,
        'http.response.status_code': 200,
      },
    }),
    span('router', 'root', 5, { name: 'router fast', endTime: T0 + 400 }),
    span('attempt-1', 'router', 10, {
      name: 'chat gpt-4o-mini',
      kind: 'client',
      endTime: T0 + 110,
      status: 'error',
      statusMessage: 'upstream timed out',
    }),
    span('attempt-2', 'router', 120, {
      name: 'chat claude-haiku',
      kind: 'client',
      endTime: T0 + 290,
      attributes: {
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 34,
        'conduit.cost_usd': 0.0012,
      },
    }),
    span('sibling', 'root', 401, { name: 'usage log', endTime: null }),
  ]);
  assert.equal(
    text,
    [
      'trace trace-1 · 2026-12-01T09:30:00Z · 412.5 ms · 6 spans · ✗ 1 failed',
      '',
      'SPAN                        KIND      DURATION MS  IN  OUT       COST  STATUS',
      'POST /v1/chat/completions   server          412.5  12   34  $0.001200  ok 200',
      '├─ router fast              internal        395.0   -    -          -  -',
      '│  ├─ chat gpt-4o-mini      client          100.0   -    -          -  ✗ error: upstream timed out',
      '│  ├─ chat claude-haiku     client          170.0  12   34  $0.001200  -',
      '│  └─ execute_tool weather  internal         20.3   -    -          -  -',
      '└─ usage log                internal            -   -    -          -  -',
      '',
    ].join('\n'),
  );
});

test('a lone span with sub-cent cost', () => {
  const text = renderSpanTree([
    span('embed', null, 0, { attributes: { 'conduit.cost_usd': 0.0000123 }, status: 'error' }),
  ]);
  assert.match(text, /1 span · ✗ 1 failed\n/);
  assert.match(text, /\nembed\s+internal\s+10\.0\s+-\s+-\s+\$0\.000012\s+✗ error\n/);
});
