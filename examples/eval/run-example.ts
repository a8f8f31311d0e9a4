/**
 * Runs the example suite offline and writes every output format:
 *
 *   node --import tsx examples/eval/run-example.ts [out-dir]
 *
 * It starts the local OpenAI-compatible test server, writes the local engine's tiny generated GGUF
 * model, runs `conduit eval suite.yaml` twice (cold, then from the response cache) with
 * `--output`, `--junit` and `--html`, then `conduit eval list` and `conduit eval compare`. State
 * (run database, response cache) goes to a temporary CONDUIT_HOME, so nothing of yours is touched.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EvalIo, runEval } from '../../src/cli/commands/eval.js';
import { writeLlamaModel } from '../../src/engine/gguf/write-llama-model.js';
import { startOpenAITestServer } from '../../test/support/openai-test-server.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export interface ExampleRun {
  /** Exit codes of: cold run, warm run, list, compare. */
  codes: number[];
  stdout: string;
  stderr: string;
  outDir: string;
}

export async function runExample(outDir = join(here, 'out')): Promise<ExampleRun> {
  mkdirSync(outDir, { recursive: true });
  const home = mkdtempSync(join(tmpdir(), 'conduit-eval-example-'));
  const server = await startOpenAITestServer();
  const model = join(home, 'tiny.gguf');
  await writeLlamaModel(model, { preset: 'tiny' });
  let stdout = '';
  let stderr = '';
  const io: EvalIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, CONDUIT_HOME: home, EVAL_SERVER_URL: server.baseURL, EVAL_LOCAL_MODEL: model },
    cwd: here,
  };
  const config = ['-c', join(here, 'conduit.yaml')];
  const suite = join(here, 'suite.yaml');
  try {
    const codes = [
      await runEval(
        [
          suite,
          ...config,
          '--output',
          join(outDir, 'results.json'),
          '--junit',
          join(outDir, 'junit.xml'),
          '--html',
          join(outDir, 'report.html'),
        ],
        io,
      ),
      await runEval([suite, ...config, '--output', join(outDir, 'results-warm.json')], io),
      await runEval(['list', ...config], io),
      await runEval(['compare', 'latest~1', 'latest', ...config], io),
    ];
    return { codes, stdout, stderr, outDir };
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runExample(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.stdout.write(`\nexit codes: ${result.codes.join(', ')}\nreports in ${result.outDir}\n`);
  process.exitCode = Math.max(...result.codes);
}
