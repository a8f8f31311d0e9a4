/**
 * `conduit eval` against a local OpenAI-compatible server: the exit codes CI relies on (0 thresholds
 * hold, 1 they fail, 2 the suite could not run or a result errored), the response cache and
 * `--no-cache`, stored runs with `list` and `compare`, and the same codes through main()'s mapping.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Command, CommanderError } from 'commander';
import { exitCodeFor } from '../../src/cli/cli-error.js';
import { type EvalIo, registerEvalCommand, runEval } from '../../src/cli/commands/eval.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { type OpenAITestServer, startOpenAITestServer } from '../support/openai-test-server.js';

let server: OpenAITestServer;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[]): Promise<Run> {
  const out = { stdout: '', stderr: '' };
  const io: EvalIo = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    env: { PATH: process.env.PATH, CONDUIT_HOME: join(dir, 'home') },
    cwd: dir,
  };
  const code = await runEval([...args, '-c', join(dir, 'conduit.yaml')], io);
  return { code, ...out };
}

function suite(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const PASSING = `
prompts: ["Say {{word}}"]
targets: [echo]
cases:
  - vars: { word: alpha }
    assert: [{ type: contains, value: alpha }]
  - vars: { word: beta }
    assert: [{ type: contains, value: beta }]
`;

before(async () => {
  server = await startOpenAITestServer();
  dir = mkdtempSync(join(tmpdir(), 'conduit-eval-cli-'));
  writeFileSync(
    join(dir, 'conduit.yaml'),
    [
      'models:',
      '  echo:',
      '    provider: openai-compatible',
      '    model: test-model',
      `    base_url: ${server.baseURL}`,
      '  down:',
      '    provider: openai-compatible',
      '    model: test-model',
      '    base_url: http://127.0.0.1:9/v1',
      'defaults:',
      '  retry: { max_attempts: 1 }',
    ].join('\n'),
  );
});
after(() => server.close());

describe('conduit eval exit codes', () => {
  test('0 when the thresholds hold; the table and the verdict are printed', async () => {
    const result = await run([suite('pass.yaml', PASSING), '--no-store']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /prompt-1 +echo +2\/2 +100\.0%/);
    assert.match(result.stdout, /Thresholds hold\./);
  });

  test('1 when a threshold fails, with the failing case and why', async () => {
    const path = suite(
      'fail.yaml',
      `${PASSING}  - vars: { word: gamma }\n    assert: [{ type: contains, value: delta }]\n`,
    );
    const result = await run([path, '--no-store']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /case-3 \[prompt-1 × echo\] contains: output contains none of "delta"/);
    assert.match(result.stdout, /pass rate 66\.7% < 100\.0%/);
    assert.match(result.stderr, /thresholds fail/);
    const relaxed = await run([
      suite('relaxed.yaml', `thresholds: { pass_rate: 0.6 }\n${readFileSync(path, 'utf8')}`),
      '--no-store',
    ]);
    assert.equal(relaxed.code, 0);
  });

  test('2 for a suite that cannot run, naming file, line and key', async () => {
    const result = await run([
      suite('bad.yaml', 'prompts: [hi]\ntargets: [echo]\ncases:\n  - vars: {}\n    expect: []\n'),
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.yaml:5: unknown key cases\[0\]\.expect/);
    assert.equal((await run([join(dir, 'missing.yaml')])).code, 2);
    assert.equal(
      (
        await run([
          suite(
            'nojudge.yaml',
            'prompts: [hi]\ntargets: [echo]\ncases: [{ assert: [{ type: llm-rubric, value: x }] }]\n',
          ),
        ])
      ).code,
      2,
    );
    assert.equal((await run([suite('pass.yaml', PASSING), '--concurrency', '0'])).code, 2);
  });

  test('2 when a result errors: the numbers are incomplete', async () => {
    const result = await run([
      suite('down.yaml', PASSING.replace('targets: [echo]', 'targets: [echo, down]')),
      '--no-store',
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /\[prompt-1 × down\] Connection refused/);
    assert.match(result.stderr, /2 results ended in an error/);
  });
});

describe('conduit eval cache, storage and reports', () => {
  test('answers are cached on disk by request; --no-cache calls again', async () => {
    const path = suite(
      'cache.yaml',
      PASSING.replace('alpha', 'cached-alpha').replaceAll('beta', 'cached-beta'),
    );
    const before = server.requests.length;
    await run([path, '--no-store']);
    assert.equal(server.requests.length - before, 2);
    const warm = await run([path, '--no-store', '--json']);
    assert.equal(server.requests.length - before, 2, 'served from the cache');
    assert.equal(JSON.parse(warm.stdout).summary.totals.cached, 2);
    await run([path, '--no-store', '--no-cache']);
    assert.equal(server.requests.length - before, 4);
  });

  test('--output, --junit and --html write their files', async () => {
    const files = ['results.json', 'junit.xml', 'report.html'].map((f) => join(dir, f));
    const result = await run([
      suite('pass.yaml', PASSING),
      '--no-store',
      '-o',
      files[0]!,
      '--junit',
      files[1]!,
      '--html',
      files[2]!,
    ]);
    assert.equal(result.code, 0);
    assert.equal(JSON.parse(readFileSync(files[0]!, 'utf8')).results.length, 2);
    assert.match(
      readFileSync(files[1]!, 'utf8'),
      /<testsuites name="pass" tests="2" failures="0" errors="0"/,
    );
    assert.match(readFileSync(files[2]!, 'utf8'), /^<!DOCTYPE html>/);
  });

  test('runs are stored; list shows them and compare tests B against A', async () => {
    const storage = ['--storage', `sqlite:${join(dir, 'runs.db')}`];
    const a = suite(
      'cmp-a.yaml',
      `${PASSING}  - vars: { word: gamma }\n    assert: [{ type: contains, value: delta }]\n`,
    );
    assert.equal((await run([a, ...storage])).code, 1);
    assert.equal(
      (
        await run([
          suite('cmp-b.yaml', readFileSync(a, 'utf8').replace('value: delta', 'value: gamma')),
          ...storage,
        ])
      ).code,
      0,
    );
    const list = await run(['list', '--json', ...storage]);
    const runs = JSON.parse(list.stdout) as { id: string; suite: string; resultCount: number }[];
    assert.deepEqual(
      runs.map((r) => [r.suite, r.resultCount]),
      [
        ['cmp-b', 3],
        ['cmp-a', 3],
      ],
    );
    const compare = await run(['compare', runs[1]!.id, 'latest', '--json', ...storage]);
    assert.equal(compare.code, 0, compare.stderr);
    const c = JSON.parse(compare.stdout);
    assert.deepEqual([c.wins, c.losses, c.ties, c.mcnemar.b, c.mcnemar.c], [1, 0, 2, 0, 1]);
    assert.ok(c.bootstrap.meanDifference > 0);
    const text = await run(['compare', 'latest~1', 'latest', ...storage]);
    assert.match(text.stdout, /B wins 1, loses 0, ties 2/);
    assert.match(text.stdout, /McNemar exact p = 1\.000/);
    assert.equal((await run(['compare', 'no-such-run', 'latest', ...storage])).code, 2);
  });

  test('the run is a trace: its id in the summary and the JSON, a span per case, model calls under them', async () => {
    const url = `sqlite:${join(dir, 'traced.db')}`;
    const path = suite('traced.yaml', PASSING.replace('alpha', 'traced-alpha'));
    const text = await run([path, '--no-store', '--no-cache', '--storage', url]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /· run run-\S+ · trace [0-9a-f]{32}/);
    const json = await run([path, '--no-store', '--no-cache', '--json', '--storage', url]);
    const traceId = JSON.parse(json.stdout).run.traceId as string;
    assert.match(traceId, /^[0-9a-f]{32}$/);

    const storage = await openStorage(url);
    const spans = await storage.traces.getTrace(traceId);
    await storage.close();
    const root = spans.find((s) => s.name === 'eval traced');
    assert.ok(root, spans.map((s) => s.name).join(', '));
    const cases = spans.filter((s) => s.parentSpanId === root.spanId);
    assert.deepEqual(cases.map((s) => s.name).sort(), ['eval case case-1', 'eval case case-2']);
    for (const span of cases) {
      assert.equal(span.attributes['conduit.eval.target'], 'echo');
      assert.equal(span.attributes['conduit.eval.pass'], true);
      assert.ok(
        spans.some((s) => s.parentSpanId === span.spanId && s.name === 'chat echo'),
        'its model call',
      );
    }
  });
});

describe('registerEvalCommand under main()', () => {
  // main() maps errors with exitCodeFor; these are the codes a shell sees from `conduit eval`.
  async function mainCode(args: string[]): Promise<number> {
    const program = new Command('conduit').option('-c, --config <file>').exitOverride();
    const quiet = { write: () => true };
    registerEvalCommand(program, {
      stdout: quiet,
      stderr: quiet,
      env: { CONDUIT_HOME: join(dir, 'home') },
      cwd: dir,
    });
    const override = (c: Command) => {
      c.exitOverride();
      c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
      for (const sub of c.commands) override(sub);
    };
    override(program);
    try {
      await program.parseAsync(['eval', ...args, '-c', join(dir, 'conduit.yaml'), '--no-store'], {
        from: 'user',
      });
      return 0;
    } catch (error) {
      if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
      return exitCodeFor(error);
    }
  }

  test('0, 1 and 2 as documented', async () => {
    assert.equal(await mainCode([join(dir, 'pass.yaml')]), 0);
    assert.equal(await mainCode([join(dir, 'fail.yaml')]), 1);
    assert.equal(await mainCode([join(dir, 'bad.yaml')]), 2);
    assert.equal(await mainCode([join(dir, 'down.yaml')]), 2);
  });
});
