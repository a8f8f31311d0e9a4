import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { createEngineMetrics } from './engine-metrics.js';
import { registerEngineMetrics } from './register-engine-metrics.js';

describe('engine metrics', () => {
  test('the snapshot holds per-model counts, cumulative buckets and quantile estimates', () => {
    const metrics = createEngineMetrics();
    for (const seconds of [0.003, 0.004, 0.03, 2]) metrics.observe('m', 'timeToFirstToken', seconds);
    metrics.addTokens('m', { prompt: 10, cached: 4, generation: 20 });
    metrics.finished('m', 'stop');
    metrics.finished('m', 'length');
    metrics.rejected('m');
    metrics.setLoad('m', { running: 2, waiting: 1 });
    const m = metrics.snapshot().models.m!;
    assert.equal(m.requests, 2);
    assert.deepEqual(m.finished, { stop: 1, length: 1 });
    assert.equal(m.rejected, 1);
    assert.deepEqual([m.promptTokens, m.cachedPromptTokens, m.generationTokens], [10, 4, 20]);
    assert.deepEqual([m.running, m.waiting], [2, 1]);
    const ttft = m.timeToFirstToken;
    assert.equal(ttft.count, 4);
    assert.ok(Math.abs(ttft.sum - 2.037) < 1e-9);
    assert.equal(ttft.buckets.find((b) => b.le === 0.005)?.count, 2);
    assert.equal(ttft.buckets.find((b) => b.le === 0.04)?.count, 3);
    assert.equal(ttft.p50, 0.005);
    assert.equal(ttft.p95, 2.5);
    assert.equal(m.interTokenLatency.p50, null);
  });

  test('registered on a prom-client registry, it exports vLLM-style series', async () => {
    const metrics = createEngineMetrics();
    const registry = new Registry();
    const detach = await registerEngineMetrics(registry, metrics);
    metrics.observe('tiny', 'interTokenLatency', 0.002);
    metrics.addTokens('tiny', { prompt: 7, cached: 0, generation: 3 });
    metrics.finished('tiny', 'stop');
    metrics.setLoad('tiny', { running: 1, waiting: 0 });
    const text = await registry.metrics();
    assert.match(text, /conduit_engine_inter_token_latency_seconds_bucket\{le="0.0025",model="tiny"\} 1/);
    assert.match(text, /conduit_engine_prompt_tokens_total\{model="tiny"\} 7/);
    assert.match(text, /conduit_engine_generation_tokens_total\{model="tiny"\} 3/);
    assert.match(text, /conduit_engine_request_success_total\{model="tiny",finished_reason="stop"\} 1/);
    assert.match(text, /conduit_engine_num_requests_running\{model="tiny"\} 1/);
    detach();
    metrics.addTokens('tiny', { prompt: 5, cached: 0, generation: 0 });
    assert.match(await registry.metrics(), /conduit_engine_prompt_tokens_total\{model="tiny"\} 7/);
  });
});
