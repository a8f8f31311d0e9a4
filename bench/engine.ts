/**
 * bench:engine — local engine throughput on generated llama models (no downloads): the tiny test
 * model and a ~150M-parameter Q8_0 model, both written by the project's GGUF writer and cached in
 * the temp folder.
 *
 * Per model, against the single-sequence run of the same process (ratio 1.00):
 *   - single sequence: generated tokens/s and time to first token (a ~100-token prompt);
 *   - 2, 4, 8 parallel sequences: aggregate tokens/s of that many concurrent requests (batched
 *     decoding in one context);
 *   - threads 1, 2 and the library's default (max(4, CPU math cores)): single-sequence tokens/s.
 * Every request runs to max_tokens (end-of-turn tokens are banned) after one warm-up request. A run
 * that would take too long (oversubscribed threads) stops at a time limit and reports the rate so far.
 *
 * Env: BENCH_TOKENS_TINY (256), BENCH_TOKENS_150M (48), BENCH_RUNS (3, median), BENCH_LIMIT_S (40),
 * BENCH_MODELS (tiny,bench-150m), BENCH_THREADS (the engine default for the ratio baseline).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatRequest } from '../src/core/chat-request.js';
import { LLAMA_PRESETS, type LlamaPreset, writeLlamaModel } from '../src/engine/gguf/write-llama-model.js';
import { createLocal } from '../src/engine/local-provider.js';
import { defaultThreads } from '../src/engine/runtime/llama-runtime.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 40) * 1000;
const BASE_THREADS = Number(process.env.BENCH_THREADS ?? defaultThreads());
const MODELS = (process.env.BENCH_MODELS ?? 'tiny,bench-150m').split(',') as LlamaPreset[];
const TOKENS: Record<LlamaPreset, number> = {
  tiny: Number(process.env.BENCH_TOKENS_TINY ?? 256),
  'bench-150m': Number(process.env.BENCH_TOKENS_150M ?? 48),
};

interface Measurement {
  tokensPerSecond: number;
  ttftMs: number;
  timedOut: boolean;
}

async function modelFile(preset: LlamaPreset): Promise<string> {
  const dir = join(tmpdir(), 'conduit-bench-models');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${preset}.gguf`);
  if (!existsSync(path)) {
    const started = Date.now();
    process.stdout.write(`writing ${preset} model to ${path} ... `);
    const written = await writeLlamaModel(path, { preset });
    process.stdout.write(
      `${(written.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
  return path;
}

/** A ~100-token prompt and a request that can only end at max_tokens. */
function request(i: number, maxTokens: number): ChatRequest {
  return {
    messages: [
      { role: 'system', content: 'You are a benchmark.' },
      { role: 'user', content: `Request ${i}: write about batched decoding on small CPUs, in detail.` },
    ],
    max_tokens: maxTokens,
    temperature: 0.8,
    seed: i,
    logit_bias: { '2': -100, '260': -100, '261': -100 },
  };
}

/** `parallel` concurrent requests on a fresh provider; aggregate tokens/s and mean time to first token. */
async function measure(
  path: string,
  options: { threads: number; parallel: number; tokens: number },
): Promise<Measurement> {
  const local = createLocal({
    threads: options.threads,
    sequences: options.parallel,
    contextSize: 512,
    chatWrapper: 'jinjaTemplate',
    keepAliveMs: Number.POSITIVE_INFINITY,
  });
  const model = local.languageModel(path);
  try {
    await model.generate(request(999, 4)); // load and warm up
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), LIMIT_MS);
    const started = performance.now();
    const firstTokens: number[] = [];
    let tokens = 0;
    await Promise.all(
      Array.from({ length: options.parallel }, async (_, i) => {
        let first = true;
        try {
          for await (const event of model.stream(request(i, options.tokens), { signal: stop.signal })) {
            if (event.type === 'text-delta' && first) {
              first = false;
              firstTokens.push(performance.now() - started);
            }
            if (event.type === 'usage') tokens += event.usage.completionTokens;
          }
        } catch {
          // Stopped by the time limit: counted from the metrics below.
        }
      }),
    );
    clearTimeout(timer);
    const elapsed = (performance.now() - started) / 1000;
    if (stop.signal.aborted) {
      // Tokens so far: one per inter-token interval plus the first token of each request.
      const m = local.metrics.snapshot().models[Object.keys(local.metrics.snapshot().models)[0]!]!;
      tokens = m.interTokenLatency.count + m.timeToFirstToken.count - 1 - 3; // minus the warm-up's 4 tokens
    }
    return {
      tokensPerSecond: tokens / elapsed,
      ttftMs: firstTokens.length ? firstTokens.reduce((a, b) => a + b, 0) / firstTokens.length : Number.NaN,
      timedOut: stop.signal.aborted,
    };
  } finally {
    await local.dispose();
  }
}

async function median(run: () => Promise<Measurement>, runs = RUNS): Promise<Measurement> {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await run();
    results.push(result);
    if (result.timedOut) break; // one slow run tells enough
  }
  results.sort((a, b) => a.tokensPerSecond - b.tokensPerSecond);
  return results[Math.floor(results.length / 2)]!;
}

function row(label: string, m: Measurement, baseline: Measurement, ttft = false): string {
  const rate = `${m.tokensPerSecond.toFixed(1)}${m.timedOut ? '*' : ''}`;
  const ratio = `${(m.tokensPerSecond / baseline.tokensPerSecond).toFixed(2)}x`;
  return `  ${label.padEnd(34)} ${rate.padStart(9)} ${ratio.padStart(8)}${ttft ? `   ${m.ttftMs.toFixed(1).padStart(8)}` : ''}\n`;
}

const libraryDefaultThreads = Math.max(4, (await import('node:os')).availableParallelism());
process.stdout.write(
  `bench:engine — ${(await import('node:os')).availableParallelism()} CPUs, baseline threads ${BASE_THREADS}, median of ${RUNS}, limit ${LIMIT_MS / 1000} s per run\n`,
);
for (const preset of MODELS) {
  const path = await modelFile(preset);
  const shape = LLAMA_PRESETS[preset];
  const tokens = TOKENS[preset];
  process.stdout.write(
    `\n${preset}: ${shape.blockCount} blocks × ${shape.embeddingLength}, ${shape.type}, ${tokens} tokens per request\n`,
  );
  process.stdout.write(
    `  ${'run'.padEnd(34)} ${'tok/s'.padStart(9)} ${'ratio'.padStart(8)}   ${'TTFT ms'.padStart(8)}\n`,
  );
  await measure(path, { threads: BASE_THREADS, parallel: 2, tokens: Math.min(tokens, 32) }); // process warm-up
  const baseline = await median(() => measure(path, { threads: BASE_THREADS, parallel: 1, tokens }));
  process.stdout.write(row(`1 sequence, ${BASE_THREADS} thread(s) (baseline)`, baseline, baseline, true));
  for (const parallel of [2, 4, 8]) {
    const m = await median(() => measure(path, { threads: BASE_THREADS, parallel, tokens }));
    process.stdout.write(row(`${parallel} parallel sequences (aggregate)`, m, baseline, true));
  }
  for (const threads of [1, 2, libraryDefaultThreads]) {
    const label =
      threads === libraryDefaultThreads ? `threads ${threads} (library default)` : `threads ${threads}`;
    const m = await median(() => measure(path, { threads, parallel: 1, tokens }));
    process.stdout.write(row(label, m, baseline, true));
  }
}
process.stdout.write('\n* stopped at the time limit; the rate is what it had generated by then.\n');
