import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '../ports/trace-store.js';
import { orderSpanTree } from './span-tree.js';

const span = (spanId: string, parentSpanId: string | null, startTime: number): Span => ({
  traceId: 't',
  spanId,
  parentSpanId,
  name: spanId,
  kind: 'internal',
  startTime,
  endTime: startTime + 5,
  status: 'unset',
  statusMessage: null,
  attributes: {},
  events: [],
});

const shape = (spans: Span[]) => orderSpanTree(spans).map((r) => `${'.'.repeat(r.depth)}${r.spanId}`);

test('children follow their parent in start order, whatever order the spans come in', () => {
  const spans = [
    span('b2', 'b', 40),
    span('a1', 'a', 15),
    span('root', null, 0),
    span('b', 'root', 30),
    span('a', 'root', 10),
    span('b1', 'b', 35),
  ];
  assert.deepEqual(shape(spans), ['root', '.a', '..a1', '.b', '..b1', '..b2']);
  assert.equal(orderSpanTree(spans)[0]?.durationMs, 5);
});

test('a span whose parent is not stored is a root; a cycle still shows every span once', () => {
  assert.deepEqual(shape([span('local', 'upstream', 1), span('child', 'local', 2)]), ['local', '.child']);
  assert.deepEqual(shape([span('x', 'y', 1), span('y', 'x', 2), span('r', null, 0)]), ['r', 'x', '.y']);
});
