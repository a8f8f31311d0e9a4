import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ChatRequest } from '../../core/chat-request.js';
import { collectStream } from '../../core/collect-stream.js';
import { registerPrices, resetPrices } from '../../core/cost/pricing.js';
import { ConduitError } from '../../core/errors.js';
import { createMemoryBudgetLedger } from '../../storage/memory/memory-budget-ledger.js';
import { type BudgetGuard, createBudgetGuard } from '../budget-guard.js';
import { budget, estimateCost, estimateWithConfiguredPrices } from './budget.js';
import { DEFAULT_RESERVED_OUTPUT_TOKENS } from './estimate-request.js';
import { type ModelPolicy, wrapModel } from './model-policy.js';
import { responseCache } from './response-cache.js';
import { COST, createFakeModel, deferred, type FakeStep, routerOver } from './test-support/fake-model.js';
import { createTrackedResponseCache, virtualKey } from './test-support/policy-fixtures.js';

// $0.001 per output token and nothing for the prompt: a request with max_tokens 3 reserves $0.003.
registerPrices({ 'budget-test-model': { input: 0, output: 1000 } });
after(() => resetPrices());

const PER_REQUEST = 0.003;
const ask = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }], max_tokens: 3 });
const isBudgetExceeded = (e: unknown) => ConduitError.isInstance(e) && e.code === 'budget_exceeded';

function guard(): BudgetGuard {
  return createBudgetGuard(createMemoryBudgetLedger(Date.now));
}

function pricedRouter(steps: FakeStep[] = [], onCall?: () => void) {
  const fake = createFakeModel({ modelId: 'budget-test-model', steps, onCall });
  return { fake, router: routerOver(fake, { alias: 'fast' }) };
}

const responseCachePolicy = (cache = createTrackedResponseCache()): ModelPolicy => responseCache({ cache });

describe('budget', () => {
  // The gateway puts the budget outside the response cache; the estimate must see the router's price
  // through it, or concurrent calls reserve nothing.
  const stacks: Record<string, () => ModelPolicy[]> = {
    'budget alone': () => [],
    'budget outside the response cache (the gateway’s order)': () => [responseCachePolicy()],
  };
  for (const [name, inner] of Object.entries(stacks)) {
    test(`concurrent calls against a small budget stay within one request of it: ${name}`, async () => {
      const budgetUsd = 0.01;
      const principal = virtualKey({ budgetUsd });
      const budgets = guard();
      const gate = deferred();
      const n = 10;
      let arrived = 0;
      let refused = 0;
      // Every call has either reached the model or been refused: all admissions are decided.
      const allDecided = deferred();
      const decided = () => {
        if (arrived + refused === n) allDecided.resolve();
      };
      const { fake, router } = pricedRouter(
        Array.from({ length: n }, () => ({ gate: gate.promise, cost: { ...COST, total: 0.002 } })),
        () => {
          arrived++;
          decided();
        },
      );
      const model = wrapModel(router, [budget({ guard: budgets }), ...inner()]);
      const calls = Array.from({ length: n }, (_, i) =>
        model.generate(ask(`question ${i}`), { principal }).catch((e: unknown) => {
          refused++;
          decided();
          throw e;
        }),
      );
      await allDecided.promise;
      gate.resolve();
      const outcomes = await Promise.allSettled(calls);
      const admitted = outcomes.filter((o) => o.status === 'fulfilled').length;
      for (const o of outcomes)
        if (o.status === 'rejected') assert.ok(isBudgetExceeded(o.reason), String(o.reason));
      assert.equal(fake.calls.length, admitted);
      assert.ok(admitted >= 1, 'some calls fit the budget');
      assert.ok(
        refused >= 1,
        `calls in flight were refused once their reservations filled it (${admitted} admitted)`,
      );
      assert.ok(
        admitted * PER_REQUEST <= budgetUsd + PER_REQUEST + 1e-12,
        `${admitted} admitted could spend $${admitted * PER_REQUEST}, more than one request over $${budgetUsd}`,
      );
      assert.ok(
        Math.abs((await budgets.spent(principal.key)) - admitted * 0.002) < 1e-12,
        'actual costs settled',
      );

      // Reservations were released: what is left of the budget is used next, then it is refused.
      let sequential = 0;
      for (;;) {
        assert.ok(sequential < 20, 'the budget never ran out');
        try {
          await model.generate(ask(`later ${sequential}`), { principal });
          sequential++;
        } catch (e) {
          assert.ok(isBudgetExceeded(e));
          break;
        }
      }
      const spent = await budgets.spent(principal.key);
      assert.ok(spent >= budgetUsd, `the budget was used up ($${spent}), not refused early`);
      assert.ok(spent <= budgetUsd + PER_REQUEST + 1e-12, `spent $${spent}`);
    });
  }

  test('the default estimate prices a request at the router’s deployment, through inner layers', () => {
    const { router } = pricedRouter();
    assert.ok(Math.abs(estimateCost(router, ask('hi')) - PER_REQUEST) < 1e-12);
    const wrapped = wrapModel(router, [responseCachePolicy()]);
    assert.equal(estimateCost(wrapped, ask('hi')), estimateCost(router, ask('hi')));
  });

  test('a fallback may land on any deployment: the most expensive one prices the estimate', () => {
    const { router } = pricedRouter();
    const twoDeployments = {
      ...router,
      deployments: [
        { id: 'fast/0', provider: 'fake', model: 'unpriced-model' },
        { id: 'fast/1', provider: 'fake', model: 'budget-test-model' },
      ],
    };
    assert.ok(Math.abs(estimateCost(twoDeployments, ask('hi')) - PER_REQUEST) < 1e-12);
  });

  test('a request without max_tokens reserves the default output', () => {
    const { router } = pricedRouter();
    const estimate = estimateCost(router, { messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(Math.abs(estimate - DEFAULT_RESERVED_OUTPUT_TOKENS * 0.001) < 1e-12);
  });

  // Issue 10, defect 3: a deployment priced only in conduit.yaml reserved nothing, so 100 of 100
  // concurrent requests were admitted against a budget that fitted 10.
  test('a deployment priced only by its own pricing: in conduit.yaml is reserved at that price', () => {
    const fake = createFakeModel({ modelId: 'priced-at-deployment' });
    const router = routerOver(fake, { alias: 'fast' });
    const request = ask('hi');
    assert.equal(estimateCost(router, request), 0, 'not in the price table');
    const estimate = estimateWithConfiguredPrices({
      fast: { deployments: [{ pricing: { input: 0, output: 1000 } }] },
    });
    assert.ok(Math.abs(estimate(router, request) - PER_REQUEST) < 1e-12);
    const other = estimateWithConfiguredPrices({
      slow: { deployments: [{ pricing: { input: 0, output: 1000 } }] },
    });
    assert.equal(other(router, request), 0, 'another alias’s price is not this one’s');
  });

  test('a used-up budget refuses with 429 insufficient_quota before calling the model', async () => {
    const principal = virtualKey({ budgetUsd: 0.005 });
    const { fake, router } = pricedRouter();
    const model = budget({ guard: guard() })(router);
    await model.generate(ask('1'), { principal }); // $0.003
    await collectStream(model.stream(ask('2'), { principal })); // $0.006: over, but admitted while under
    for (const call of [
      () => model.generate(ask('3'), { principal }),
      () => collectStream(model.stream(ask('4'), { principal })),
    ]) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(isBudgetExceeded(e));
        assert.equal((e as ConduitError).status, 429);
        return true;
      });
    }
    assert.equal(fake.calls.length, 2);
  });

  test('failed calls settle nothing and release their reservation', async () => {
    const principal = virtualKey({ budgetUsd: 0.01 });
    const budgets = guard();
    const { router } = pricedRouter([
      { fail: new ConduitError('upstream_error', 'down') },
      { failMidStream: new ConduitError('upstream_error', 'cut') },
    ]);
    // Each call reserves more than the whole budget: a leaked reservation would refuse the next call.
    const model = budget({ guard: budgets, estimate: () => 0.02 })(router);
    await assert.rejects(model.generate(ask('1'), { principal }), /down/);
    await assert.rejects(collectStream(model.stream(ask('2'), { principal })), /cut/);
    assert.equal(await budgets.spent(principal.key), 0);
    await model.generate(ask('3'), { principal });
    assert.equal(await budgets.spent(principal.key), COST.total);
  });

  test('a cache hit costs nothing', async () => {
    const principal = virtualKey({ budgetUsd: 1 });
    const budgets = guard();
    const { fake, router } = pricedRouter();
    const cache = createTrackedResponseCache();
    const model = wrapModel(router, [budget({ guard: budgets }), responseCachePolicy(cache)]);
    await model.generate(ask('same'), { principal });
    await cache.written();
    await model.generate(ask('same'), { principal });
    await collectStream(model.stream(ask('same'), { principal }));
    assert.equal(fake.calls.length, 1);
    assert.equal(await budgets.spent(principal.key), COST.total);
  });

  test('callers without a budget are not checked', async () => {
    const refusing: BudgetGuard = {
      admit: () => assert.fail('no budget check for this caller'),
      flush: async () => undefined,
      spent: async () => 0,
    };
    const model = budget({ guard: refusing })(pricedRouter().router);
    await model.generate(ask('1'), { principal: virtualKey({ budgetUsd: null }) });
    await model.generate(ask('2'), { principal: { kind: 'master' } });
    await collectStream(model.stream(ask('3')));
  });
});
