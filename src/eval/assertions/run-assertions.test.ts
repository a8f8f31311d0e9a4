import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runAssertion, runAssertions } from './run-assertions.js';
import { assertionInput } from './test-support/assertion-input.js';

const input = assertionInput('The capital of France is Paris.');

describe('runAssertions', () => {
  test('a case passes when every weighted assertion passes; the score is the weighted mean', async () => {
    const verdict = await runAssertions(
      [
        { type: 'contains', value: 'Paris', weight: 3 },
        { type: 'contains', value: 'Lyon', weight: 1 },
      ],
      input,
    );
    assert.equal(verdict.pass, false);
    assert.equal(verdict.score, 0.75);
  });

  test('weight 0 records an assertion without letting it decide', async () => {
    const verdict = await runAssertions(
      [
        { type: 'contains', value: 'Paris' },
        { type: 'contains', value: 'Lyon', weight: 0 },
      ],
      input,
    );
    assert.deepEqual([verdict.pass, verdict.score, verdict.results.length], [true, 1, 2]);
  });

  test('a case threshold passes on the score instead (promptfoo rule)', async () => {
    const specs = [
      { type: 'contains', value: 'Paris' },
      { type: 'contains', value: 'France' },
      { type: 'contains', value: 'Lyon' },
    ];
    assert.equal((await runAssertions(specs, input, { threshold: 0.6 })).pass, true);
    assert.equal((await runAssertions(specs, input, { threshold: 0.7 })).pass, false);
  });

  test('metric names default to the type; an assertion error makes the case an error', async () => {
    const verdict = await runAssertions(
      [
        { type: 'icontains', value: 'paris', metric: 'mentions-city' },
        { type: 'regex', value: '[' },
      ],
      input,
    );
    assert.equal(verdict.results[0]!.metric, 'mentions-city');
    assert.equal(verdict.results[1]!.metric, 'regex');
    assert.equal(verdict.pass, false);
    assert.match(verdict.error ?? '', /invalid/);
  });

  test('no assertions: the case passes with score 1', async () => {
    assert.deepEqual(await runAssertions([], input), { pass: true, score: 1, results: [] });
  });

  test('an unknown type is reported, not thrown', async () => {
    const result = await runAssertion({ type: 'contain' }, input);
    assert.match(result.error ?? '', /unknown assertion type "contain"/);
  });
});

describe('cost and latency', () => {
  test('pass at or under the threshold', async () => {
    const cheap = assertionInput('x', { costUsd: 0.001, latencyMs: 900 });
    assert.equal((await runAssertion({ type: 'cost', threshold: 0.001 }, cheap)).pass, true);
    assert.equal((await runAssertion({ type: 'cost', threshold: 0.0005 }, cheap)).pass, false);
    assert.equal((await runAssertion({ type: 'latency', threshold: 1000 }, cheap)).pass, true);
    const slow = await runAssertion({ type: 'latency', threshold: 500 }, cheap);
    assert.deepEqual([slow.pass, slow.value], [false, 900]);
    assert.equal((await runAssertion({ type: 'not-latency', threshold: 500 }, cheap)).pass, true);
  });

  test('an unknown price fails the cost check and says how to fix it', async () => {
    const result = await runAssertion({ type: 'cost', threshold: 1 }, assertionInput('x', { costUsd: null }));
    assert.equal(result.pass, false);
    assert.match(result.reason, /pricing:/);
  });

  test('a missing threshold is an assertion error', async () => {
    assert.match((await runAssertion({ type: 'latency' }, input)).error ?? '', /needs a threshold/);
  });
});
