/**
 * bench:eval — how fast `conduit eval` runs a 500-case suite against one fast local upstream
 * (bench/support/fast-upstream.ts, its own process): cases/s at concurrency 1, 8 and 32 with the
 * cache off, then with a warm response cache. Every case renders a template, calls the model
 * through the openai-compatible provider, runs three assertions (contains, regex, javascript in
 * node:vm) and is stored in SQLite, as `conduit eval` does by default.
 *
 * Baseline, measured in the same run: the same 500 model calls made directly (`model.generate` at
 * the same concurrency, no suite, no assertions, no storage), so the ratio is the share of raw
 * call throughput the eval harness keeps. When promptfoo is installed, a separate block runs the
 * same suite through promptfoo's `evaluate()` and prints Conduit/promptfoo ratios.
 *
 * On a 2-core machine the upstream and this process share the cores; compare ratios, not absolutes.
 * Every figure is the best of BENCH_EVAL_REPEAT runs (default 3).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/index.js';
import type { LanguageModel } from '../src/core/language-model.js';
import { createDiskCache } from '../src/eval/runner/disk-cache.js';
import { createLimiter } from '../src/eval/runner/limiter.js';
import { runSuite } from '../src/eval/runner/run-suite.js';
import { createSuiteTargets } from '../src/eval/runner/suite-targets.js';
import type { EvalSuite } from '../src/eval/suite/eval-suite.js';
import { evalFactories } from '../src/runtime/eval-factories.js';
import { openConduit } from '../src/runtime/open-conduit.js';

const CASES = Number(process.env.BENCH_EVAL_CASES ?? 500);
// Each figure is the best of this many runs: on a shared 2-core box the median mostly measures
// the neighbours, the best run measures the code.
const REPEAT = Number(process.env.BENCH_EVAL_REPEAT ?? 3);
const CONCURRENCY = [1, 8, 32];
const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = import.meta.resolve('tsx');

function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, 'bench/support/fast-upstream.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.once('data', (c: Buffer) =>
      resolve({ child, url: `http://127.0.0.1:${String(c).trim()}/v1` }),
    );
    child.on('exit', (code) => reject(new Error(`upstream exited (${code})`)));
  });
}

/** The suite both tools run: 500 distinct prompts, three cheap deterministic assertions each. */
function benchSuite(): EvalSuite {
  return {
    name: 'bench',
    prompts: [{ id: 'q', messages: [{ role: 'user', content: 'Question {{i}}: {{topic}}?' }], examples: [] }],
    targets: [{ id: 'upstream', model: 'bench' }],
    cases: Array.from({ length: CASES }, (_, i) => ({
      id: `case-${i}`,
      vars: { i, topic: `topic number ${i % 37}` },
      assert: [
        { type: 'contains', value: 'benchmark' },
        { type: 'regex', value: '^Hello' },
        { type: 'javascript', value: 'output.length < 200' },
      ],
      source: 'bench',
    })),
    thresholds: {},
  };
}

async function direct(model: LanguageModel, concurrency: number): Promise<number> {
  const limit = createLimiter({ concurrency });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CASES }, (_, i) =>
      limit(() =>
        model.generate({ messages: [{ role: 'user', content: `Question ${i}: topic number ${i % 37}?` }] }),
      ),
    ),
  );
  return CASES / ((performance.now() - started) / 1000);
}

const fmt = (n: number) => n.toFixed(0).padStart(6);

async function best(measure: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < REPEAT; i++) top = Math.max(top, await measure());
  return top;
}

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const home = mkdtempSync(join(tmpdir(), 'conduit-bench-eval-'));
  const config = configSchema.parse({
    models: { bench: { provider: 'openai-compatible', model: 'gpt-4o-mini', base_url: upstream.url } },
  });
  const runtime = await openConduit({ config, env: {}, storage: `sqlite:${join(home, 'conduit.db')}` });
  const { storage } = runtime;
  const factories = evalFactories(runtime);
  const suite = benchSuite();
  const conduit = async (concurrency: number, cache?: ReturnType<typeof createDiskCache>) => {
    const targets = await createSuiteTargets(suite, factories, { concurrency, ...(cache ? { cache } : {}) });
    const started = performance.now();
    const run = await runSuite({ suite, targets, store: storage.evals, concurrency });
    if (run.summary.totals.passed !== CASES)
      throw new Error(`expected every case to pass: ${run.summary.thresholdFailures}`);
    return { rate: CASES / ((performance.now() - started) / 1000), cached: run.summary.totals.cached };
  };
  try {
    process.stdout.write(
      `bench:eval — ${CASES} cases (3 assertions each, stored in SQLite), one fast local upstream\n\n`,
    );
    await conduit(8); // warm-up: JIT, sockets, SQLite pages
    const model = runtime.models.entry('bench').deployments[0]!.languageModel();
    process.stdout.write('concurrency   conduit eval   direct calls   eval/direct   (cases/s)\n');
    const rates: Record<number, number> = {};
    for (const c of CONCURRENCY) {
      const raw = await best(() => direct(model, c));
      const rate = await best(async () => (await conduit(c)).rate);
      rates[c] = rate;
      process.stdout.write(
        `${String(c).padStart(11)}   ${fmt(rate)}         ${fmt(raw)}         ${(rate / raw).toFixed(2)}\n`,
      );
    }
    const cache = createDiskCache(join(home, 'cache', 'eval'));
    const cold = await conduit(32, cache);
    const warm = await best(async () => {
      const run = await conduit(32, cache);
      if (run.cached !== CASES) throw new Error(`warm run: ${run.cached} of ${CASES} cached`);
      return run.rate;
    });
    process.stdout.write(
      `\nwarm cache (concurrency 32): ${fmt(warm)} cases/s — ${(warm / cold.rate).toFixed(2)}× the run that filled it (${fmt(cold.rate)} cases/s), ${(warm / rates[32]!).toFixed(2)}× no cache\n`,
    );
    await comparePromptfoo(upstream.url, rates, warm);
  } finally {
    await runtime.close();
    upstream.child.kill();
    rmSync(home, { recursive: true, force: true });
  }
}

// ─── promptfoo comparison ─────────────────────────────────────────────────────────────────────
// Runs only when promptfoo is installed (a devDependency; promptfoo@0.121.20 is the last release
// whose engines allow Node 20). Same prompts, same assertions, same upstream, its cache off for the
// concurrency runs and on for the warm run; its results database goes to a temporary directory.
async function comparePromptfoo(url: string, rates: Record<number, number>, warmRate: number): Promise<void> {
  // PROMPTFOO_MODULE points at a promptfoo installed elsewhere (its entry file), for registries that
  // cannot resolve every optional package of promptfoo's lock (see docs/evaluation.md).
  const specifier = process.env.PROMPTFOO_MODULE ?? 'promptfoo';
  let promptfoo: { evaluate: (suite: unknown, options: unknown) => Promise<unknown> };
  try {
    promptfoo = (await import(specifier)) as typeof promptfoo;
  } catch {
    process.stdout.write(
      '\npromptfoo: not installed, comparison skipped (npm i -D promptfoo@0.121.20 to include it)\n',
    );
    return;
  }
  process.env.PROMPTFOO_CONFIG_DIR ??= mkdtempSync(join(tmpdir(), 'promptfoo-bench-'));
  process.env.PROMPTFOO_DISABLE_TELEMETRY = '1';
  process.env.PROMPTFOO_CACHE_PATH ??= mkdtempSync(join(tmpdir(), 'promptfoo-cache-'));
  const suite = {
    prompts: ['Question {{i}}: {{topic}}?'],
    providers: [{ id: 'openai:chat:gpt-4o-mini', config: { apiBaseUrl: url, apiKey: 'bench' } }],
    tests: Array.from({ length: CASES }, (_, i) => ({
      vars: { i: String(i), topic: `topic number ${i % 37}` },
      assert: [
        { type: 'contains', value: 'benchmark' },
        { type: 'regex', value: '^Hello' },
        { type: 'javascript', value: 'output.length < 200' },
      ],
    })),
  };
  const run = (maxConcurrency: number, cache: boolean) =>
    best(async () => {
      const started = performance.now();
      await promptfoo.evaluate(suite, {
        maxConcurrency,
        cache,
        showProgressBar: false,
        writeLatestResults: false,
      });
      return CASES / ((performance.now() - started) / 1000);
    });
  process.stdout.write(
    '\npromptfoo (same suite, same upstream)\nconcurrency   promptfoo   conduit/promptfoo   (cases/s)\n',
  );
  for (const c of CONCURRENCY) {
    const rate = await run(c, false);
    process.stdout.write(`${String(c).padStart(11)}   ${fmt(rate)}      ${(rates[c]! / rate).toFixed(2)}\n`);
  }
  await run(32, true);
  const warm = await run(32, true);
  process.stdout.write(`  warm cache   ${fmt(warm)}      ${(warmRate / warm).toFixed(2)}\n`);
}

await main();
