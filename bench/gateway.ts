/**
 * bench:gateway — throughput and latency of one fast local upstream called directly, through
 * Conduit, and through @portkey-ai/gateway, in one run on loopback.
 *
 * Each server runs in its own process; this process is the load generator (undici Pool, 50
 * connections, requests kept in flight for a fixed time). JSON and SSE (20 chunks) bodies. Prints
 * requests/s, p50/p99 latency and ratios, added p50 latency at one connection, and each gateway's RSS
 * under load. On a 2-core machine the generator, the gateway and the upstream share the cores, which
 * caps every ratio below what separate machines would show.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 6_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = import.meta.resolve('tsx');

function start(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (c: Buffer) => {
      out += c;
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${out}`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rss?: number;
}

async function load(
  url: string,
  path: string,
  body: string,
  headers: Record<string, string>,
  connections: number,
  durationMs: number,
  pid?: number,
): Promise<Result> {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let errors = 0;
  let rss = 0;
  const deadline = performance.now() + durationMs;
  const sampler = pid ? setInterval(() => (rss = Math.max(rss, rssMb(pid))), 250) : undefined;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const response = await pool.request({
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        await response.body.text();
        if (response.statusCode !== 200) errors++;
        else latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  if (sampler) clearInterval(sampler);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, rss: pid ? rss : undefined };
}

async function main() {
  const upstream = await start(['--import', tsx, 'bench/support/fast-upstream.ts'], {}, /^(\d+)\n/m);
  const upstreamUrl = `http://127.0.0.1:${upstream.match[1]}`;
  const dir = mkdtempSync(join(tmpdir(), 'conduit-bench-'));
  const shared = [
    'models:',
    '  bench:',
    '    provider: openai-compatible',
    '    model: gpt-4o-mini',
    `    base_url: ${upstreamUrl}/v1`,
    'usage_log:',
    '  flush_ms: 250',
  ];
  // The baseline build may predate newer keys: it gets the shared part only.
  writeFileSync(join(dir, 'baseline.yaml'), shared.join('\n'));
  writeFileSync(
    join(dir, 'conduit.yaml'),
    [
      ...shared,
      // BENCH_LOCAL_TRACES=off: measure without storing spans locally (what they cost).
      ...(process.env.BENCH_LOCAL_TRACES === 'off' ? ['observability:', '  traces: { enabled: false }'] : []),
    ].join('\n'),
  );
  // The gateway runs compiled (dist/), as `npm start` runs it: tsx's runtime helpers would be measured too.
  await new Promise<void>((resolve, reject) => {
    const build = spawn('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited ${code}`))));
  });
  const conduit = await start(
    [
      // e.g. BENCH_GATEWAY_NODE_FLAGS="--max-semi-space-size=4" to try V8 heap settings.
      ...(process.env.BENCH_GATEWAY_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      'dist/cli/bin.js',
      '--config',
      join(dir, 'conduit.yaml'),
      'serve',
      '--port',
      '0',
      '--no-watch',
    ],
    { CONDUIT_HOME: join(dir, 'home') },
    /listening on (http:\/\/[\d.:]+)/,
  );
  // BENCH_BASELINE_DIR: another checkout (with node_modules and dist/ built), e.g. main before a change,
  // served on the same config and measured in the same run: before/after as a same-run ratio.
  const baselineDir = process.env.BENCH_BASELINE_DIR;
  const baseline = baselineDir
    ? await start(
        [
          join(baselineDir, 'dist/cli/bin.js'),
          '--config',
          join(dir, 'baseline.yaml'),
          'serve',
          '--port',
          '0',
          '--no-watch',
        ],
        { CONDUIT_HOME: join(dir, 'baseline-home') },
        /listening on (http:\/\/[\d.:]+)/,
      )
    : undefined;
  const portkeyPort = 18000 + Math.floor(Math.random() * 2000);
  const portkey = await start(
    ['node_modules/@portkey-ai/gateway/build/start-server.js', `--port=${portkeyPort}`, '--headless'],
    { NODE_ENV: 'production' },
    /(listening|running|Ready|localhost|8787|\d{4,5})/i,
  ).catch((error: Error) => {
    console.log(`portkey did not start: ${error.message.slice(0, 200)}`);
    return undefined;
  });
  await new Promise((r) => setTimeout(r, 500));

  const targets: {
    name: string;
    url: string;
    path: string;
    headers: Record<string, string>;
    model: string;
    pid?: number;
  }[] = [
    {
      name: 'direct',
      url: upstreamUrl,
      path: '/v1/chat/completions',
      headers: {},
      model: 'gpt-4o-mini',
      pid: upstream.child.pid,
    },
    {
      name: 'conduit',
      url: conduit.match[1]!,
      path: '/v1/chat/completions',
      headers: {},
      model: 'bench',
      pid: conduit.child.pid,
    },
    ...(baseline
      ? [
          {
            name: 'baseline',
            url: baseline.match[1]!,
            path: '/v1/chat/completions',
            headers: {},
            model: 'bench',
            pid: baseline.child.pid,
          },
        ]
      : []),
    ...(portkey
      ? [
          {
            name: 'portkey',
            url: `http://127.0.0.1:${portkeyPort}`,
            path: '/v1/chat/completions',
            headers: {
              'x-portkey-provider': 'openai',
              'x-portkey-custom-host': `${upstreamUrl}/v1`,
              authorization: 'Bearer sk-bench',
            },
            model: 'gpt-4o-mini',
            pid: portkey.child.pid,
          },
        ]
      : []),
  ];
  console.log(
    `bench:gateway — ${CONNECTIONS} connections, ${DURATION_MS / 1000}s per run, loopback, ${process.env.BENCH_SSE_CHUNKS ?? 20} SSE chunks`,
  );
  const table: string[] = [];
  for (const mode of ['json', 'sse'] as const) {
    const results = new Map<string, Result>();
    for (const t of targets) {
      const body = JSON.stringify({
        model: t.model,
        messages: [{ role: 'user', content: 'Say hello.' }],
        ...(mode === 'sse' ? { stream: true } : {}),
      });
      await load(t.url, t.path, body, t.headers, CONNECTIONS, 1_000); // warm-up
      results.set(t.name, await load(t.url, t.path, body, t.headers, CONNECTIONS, DURATION_MS, t.pid));
    }
    const direct = results.get('direct')!;
    for (const [name, r] of results) {
      table.push(
        `${mode.padEnd(5)} ${name.padEnd(8)} ${r.rps.toFixed(0).padStart(8)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  errors ${String(r.errors).padStart(5)}  rss ${(r.rss ?? 0).toFixed(0).padStart(4)} MB  vs direct ${(r.rps / direct.rps).toFixed(3)}x`,
      );
    }
    const c = results.get('conduit')!;
    const p = results.get('portkey');
    if (p) table.push(`${mode.padEnd(5)} conduit / portkey throughput: ${(c.rps / p.rps).toFixed(1)}x`);
    const b = results.get('baseline');
    if (b) table.push(`${mode.padEnd(5)} conduit / baseline throughput: ${(c.rps / b.rps).toFixed(3)}x`);
  }
  // Added latency with one connection: the gateway's own cost per request.
  for (const mode of ['json', 'sse'] as const) {
    const single = new Map<string, Result>();
    for (const t of targets.slice(0, 2)) {
      const body = JSON.stringify({
        model: t.model,
        messages: [{ role: 'user', content: 'Say hello.' }],
        ...(mode === 'sse' ? { stream: true } : {}),
      });
      await load(t.url, t.path, body, t.headers, 1, 500);
      single.set(t.name, await load(t.url, t.path, body, t.headers, 1, 3_000));
    }
    const added = single.get('conduit')!.p50 - single.get('direct')!.p50;
    table.push(
      `${mode.padEnd(5)} 1 connection: direct p50 ${single.get('direct')!.p50.toFixed(3)} ms, conduit p50 ${single.get('conduit')!.p50.toFixed(3)} ms → added ${added.toFixed(3)} ms`,
    );
  }
  console.log(table.join('\n'));
  for (const p of [conduit.child, upstream.child, portkey?.child, baseline?.child]) p?.kill('SIGTERM');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
