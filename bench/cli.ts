/**
 * bench:cli — cold start of the built `conduit` command against a bare `node -e 0`, in one run.
 *
 * Measures wall time from spawn to exit of: `node -e 0` (the baseline), `conduit --version`,
 * `conduit --help`, and `conduit chat -m test "hi"` against a local OpenAI-compatible server started
 * here (a fixed streamed answer, so the number is the CLI's own cost: imports, config, one request).
 * The commands alternate within each round so drift on a shared machine hits all of them alike.
 * Prints the median and the ratio to the baseline beside the targets; never fails on them.
 *
 * Uses dist/ as `npm start` and the published package do; it builds nothing (run `npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const ANSWER = 'Hello from the bench upstream.';

if (!existsSync(bin)) {
  console.log(`bench:cli needs the built CLI at ${bin}: run \`npm run build\` first.`);
  process.exit(1);
}

/** A fixed chat completion, streamed or not as asked. */
function startUpstream(): Promise<{ port: number; close: () => void }> {
  const base = '{"id":"c","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":';
  const sse = Buffer.from(
    `data: ${base}[{"index":0,"delta":{"role":"assistant","content":${JSON.stringify(ANSWER)}},"finish_reason":null}]}\n\n` +
      `data: ${base}[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n` +
      `data: ${base}[],"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11}}\n\n` +
      'data: [DONE]\n\n',
  );
  const json = Buffer.from(
    JSON.stringify({
      id: 'c',
      object: 'chat.completion',
      created: 1700000000,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
    }),
  );
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c;
    });
    req.on('end', () => {
      const stream = (JSON.parse(body) as { stream?: boolean }).stream === true;
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
      res.end(stream ? sse : json);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, close: () => server.close() }),
    ),
  );
}

interface Case {
  name: string;
  args: string[];
  /** The target, as a multiple of `node -e 0`. */
  target?: number;
  expect?: RegExp;
}

/** Milliseconds from spawn to exit; throws unless the command succeeds with the expected output. */
function time(args: string[], cwd: string, env: NodeJS.ProcessEnv, expect?: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0 || (expect && !expect.test(out)))
        reject(new Error(`node ${args.join(' ')} exited ${code}: ${out.slice(0, 500)}`));
      else resolve(ms);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const upstream = await startUpstream();
const dir = mkdtempSync(join(tmpdir(), 'conduit-bench-cli-'));
try {
  writeFileSync(
    join(dir, 'conduit.yaml'),
    [
      'models:',
      '  test:',
      '    provider: openai-compatible',
      `    base_url: http://127.0.0.1:${upstream.port}/v1`,
      '    model: m',
      '',
    ].join('\n'),
  );
  const env = { PATH: process.env.PATH, HOME: dir, CONDUIT_HOME: join(dir, 'home') };
  const cases: Case[] = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'conduit --version', args: [bin, '--version'], target: 2, expect: /^\d+\.\d+\.\d+/ },
    { name: 'conduit --help', args: [bin, '--help'], target: 2, expect: /Usage: conduit/ },
    {
      name: 'conduit chat -m test "hi"',
      args: [bin, 'chat', '-m', 'test', 'hi'],
      target: 4,
      expect: new RegExp(ANSWER),
    },
  ];
  const samples = cases.map((): number[] => []);
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [i, c] of cases.entries()) {
      const ms = await time(c.args, dir, env, c.expect);
      if (round >= WARMUP) samples[i]!.push(ms);
    }
  }
  const baseline = median(samples[0]!);
  console.log(
    `bench:cli — spawn to exit, median of ${RUNS} alternating runs after ${WARMUP} warm-up rounds (node ${process.version})`,
  );
  for (const [i, c] of cases.entries()) {
    const ms = median(samples[i]!);
    const ratio = ms / baseline;
    const target = c.target ? `target ≤ ${c.target}x  ${ratio <= c.target ? 'met' : 'missed'}` : 'baseline';
    console.log(
      `${c.name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2).padStart(5)}x  ${target}`,
    );
  }
} finally {
  upstream.close();
  rmSync(dir, { recursive: true, force: true });
}
