import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatEvent, ChatResult } from '../../core/chat-event.js';
import { collectStream } from '../../core/collect-stream.js';
import { ConduitError } from '../../core/errors.js';
import { type CallOutcome, interceptCalls, type ModelPolicy, wrapModel } from './model-policy.js';
import { COST, createFakeModel, USAGE } from './test-support/fake-model.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** A policy that writes what it sees into `log`. */
const logging =
  (name: string, log: string[]): ModelPolicy =>
  (model) =>
    interceptCalls(model, () => {
      log.push(`${name} admit`);
      return { settle: ({ error }) => log.push(`${name} settle${error ? ` ${error.code}` : ''}`) };
    });

/** A policy that records every outcome it settles. */
function recording(): { policy: ModelPolicy; outcomes: CallOutcome[] } {
  const outcomes: CallOutcome[] = [];
  return { outcomes, policy: (model) => interceptCalls(model, () => ({ settle: (o) => outcomes.push(o) })) };
}

describe('wrapModel', () => {
  test('the first policy is outermost: it admits first and settles last, on every path', async () => {
    const paths: Record<string, (log: string[]) => Promise<unknown>> = {
      generate: (log) =>
        wrapModel(createFakeModel(), [logging('a', log), logging('b', log)]).generate(request),
      'stream to the end': (log) =>
        collectStream(wrapModel(createFakeModel(), [logging('a', log), logging('b', log)]).stream(request)),
      'stream stopped by the consumer': async (log) => {
        const model = wrapModel(createFakeModel(), [logging('a', log), logging('b', log)]);
        for await (const _ of model.stream(request)) break;
      },
    };
    for (const [path, run] of Object.entries(paths)) {
      const log: string[] = [];
      await run(log);
      const end = path.includes('stopped') ? ' cancelled' : '';
      assert.deepEqual(log, ['a admit', 'b admit', `b settle${end}`, `a settle${end}`], path);
    }
  });

  test('a wrapped model answers as the model it wraps', () => {
    const model = wrapModel(createFakeModel({ modelId: 'm' }), [recording().policy]);
    assert.equal(model.modelId, 'm');
    assert.equal(model.id, 'fake:m');
    assert.equal(model.provider, 'fake');
  });
});

describe('interceptCalls', () => {
  test('generate settles once with the result, usage and cost', async () => {
    const { policy, outcomes } = recording();
    const result = await policy(createFakeModel()).generate(request);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.result, result);
    assert.deepEqual(outcomes[0]!.usage, USAGE);
    assert.deepEqual(outcomes[0]!.cost, COST);
    assert.equal(outcomes[0]!.error, undefined);
  });

  test('a failing generate settles once with the error and rethrows it unchanged', async () => {
    const failure = new ConduitError('upstream_error', 'boom');
    const { policy, outcomes } = recording();
    await assert.rejects(
      policy(createFakeModel({ steps: [{ fail: failure }] })).generate(request),
      (e) => e === failure,
    );
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.error?.code, 'upstream_error');
  });

  test('a stream settles exactly once when the consumer breaks out early, and the upstream is closed', async () => {
    const { policy, outcomes } = recording();
    const fake = createFakeModel({ steps: [{ text: 'one two three four five' }] });
    const model = policy(fake);
    const seen: ChatEvent['type'][] = [];
    for await (const event of model.stream(request)) {
      seen.push(event.type);
      if (event.type === 'text-delta') break;
    }
    assert.deepEqual(seen, ['start', 'text-delta']);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.error?.code, 'cancelled');
    assert.equal(fake.closedEarly, 1, 'the inner stream was closed');
  });

  test('return() after the stream ended, or twice, does not settle again', async () => {
    const { policy, outcomes } = recording();
    const iterator = policy(createFakeModel()).stream(request)[Symbol.asyncIterator]();
    while (!(await iterator.next()).done);
    await iterator.return?.();
    await iterator.return?.();
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.error, undefined);
    assert.deepEqual(outcomes[0]!.usage, USAGE);
  });

  test('a refusal rejects the first next() of a stream before any event, and the model is not called', async () => {
    const fake = createFakeModel();
    const outer = recording();
    const refusing: ModelPolicy = (model) =>
      interceptCalls(model, () => {
        throw new ConduitError('permission', 'not for you');
      });
    const model = wrapModel(fake, [outer.policy, refusing]);
    const stream = model.stream(request); // lazy: nothing is admitted until the caller reads
    assert.equal(outer.outcomes.length, 0);
    const iterator = stream[Symbol.asyncIterator]();
    await assert.rejects(iterator.next(), (e) => ConduitError.isInstance(e) && e.code === 'permission');
    assert.equal(fake.calls.length, 0);
    assert.deepEqual((await iterator.next()).done, true, 'the refused stream is over');
    assert.equal(outer.outcomes.length, 1, 'the outer layer settled the refusal');
    assert.equal(outer.outcomes[0]!.error?.code, 'permission');
  });

  test('a stream that fails before its first event rejects next() and settles with the error', async () => {
    const { policy, outcomes } = recording();
    const model = policy(createFakeModel({ steps: [{ fail: new ConduitError('overloaded', 'busy') }] }));
    await assert.rejects(collectStream(model.stream(request)), /busy/);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.error?.code, 'overloaded');
  });

  test('an error event mid-stream reaches the caller and settles the call as failed', async () => {
    const { policy, outcomes } = recording();
    const model = policy(
      createFakeModel({ steps: [{ failMidStream: new ConduitError('upstream_error', 'cut') }] }),
    );
    const types: string[] = [];
    for await (const event of model.stream(request)) types.push(event.type);
    assert.deepEqual(types, ['start', 'text-delta', 'error']);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.error?.code, 'upstream_error');
  });

  test('an answer is replayed as stream events without calling the model', async () => {
    const fake = createFakeModel();
    const text = 'a cached answer that is longer than one replayed chunk of sixty-four characters';
    const answer: ChatResult = {
      id: 'cached',
      model: 'fake-model',
      created: 1,
      text,
      toolCalls: [],
      finishReason: 'stop',
      choices: [{ index: 0, text, toolCalls: [], finishReason: 'stop' }],
      usage: USAGE,
    };
    const settled: CallOutcome[] = [];
    const model = interceptCalls(fake, () => ({ answer, settle: (o) => settled.push(o) }));
    const events: ChatEvent[] = [];
    for await (const event of model.stream(request)) events.push(event);
    assert.equal(fake.calls.length, 0);
    assert.equal(events[0]!.type, 'start');
    assert.ok(events.filter((e) => e.type === 'text-delta').length > 1, 'text arrives in several deltas');
    const replayed = await collectStream(events);
    assert.equal(replayed.text, text);
    assert.deepEqual(replayed.usage, USAGE);
    assert.deepEqual(
      settled.map((o) => o.usage),
      [USAGE],
    );
    assert.equal((await model.generate(request)).text, text, 'generate returns the answer itself');
    assert.equal(fake.calls.length, 0);
  });

  test('the inner model gets the options the interception gives, and onEvent sees every event first', async () => {
    const fake = createFakeModel();
    const seen: string[] = [];
    const model = interceptCalls(fake, (_request, options) => ({
      options: { ...options, requestId: 'inner' },
      onEvent: (event) => seen.push(event.type),
    }));
    const delivered: string[] = [];
    for await (const event of model.stream(request, { requestId: 'outer' })) {
      delivered.push(event.type);
      assert.equal(seen.length, delivered.length, 'onEvent ran before the caller got the event');
    }
    assert.equal(fake.calls[0]!.options?.requestId, 'inner');
    assert.deepEqual(seen, [
      'start',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-delta',
      'usage',
      'finish',
    ]);
  });
});
