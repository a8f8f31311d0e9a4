/**
 * RAG targets: a collection's `ask` (loaded lazily from src/rag) evaluated like a model, with its
 * retrieved passages reaching the RAG metrics as contexts — in code and through `conduit eval`
 * with a `rag:` target on the same SQLite file `conduit ingest` writes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type EvalIo, runEval } from '../../src/cli/commands/eval.js';
import { createScriptedModel } from '../../src/core/generate/test-support/scripted-model.js';
import { contentText } from '../../src/core/messages.js';
import { createRagTarget } from '../../src/eval/runner/rag-target.js';
import { runSuite } from '../../src/eval/runner/run-suite.js';
import type { EvalSuite } from '../../src/eval/suite/eval-suite.js';
import { ingest } from '../../src/rag/ingest/ingest.js';
import { createSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

const handbook = fileURLToPath(new URL('../fixtures/rag/handbook.md', import.meta.url));
let dir: string;
let dbPath: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conduit-eval-rag-'));
  dbPath = join(dir, 'conduit.db');
  const storage = createSqliteStorage({ path: dbPath });
  await ingest({
    store: storage.documents,
    collection: 'handbook',
    inputs: [handbook],
    chunking: { maxTokens: 80 },
  });
  await storage.close();
});

const suite: EvalSuite = {
  name: 'rag',
  prompts: [{ id: 'q', messages: [{ role: 'user', content: '{{question}}' }], examples: [] }],
  targets: [],
  cases: [
    {
      id: 'leave',
      vars: { question: 'How long is parental leave?' },
      assert: [{ type: 'icontains', value: '16 weeks' }, { type: 'faithfulness' }],
      source: 'inline',
    },
  ],
  thresholds: {},
};

describe('rag targets', () => {
  test("ask's answer is the output and its sources are the contexts the metrics judge", async () => {
    const storage = createSqliteStorage({ path: dbPath });
    const judge = createScriptedModel({
      steps: [
        { text: JSON.stringify({ statements: ['Parents receive 16 weeks of paid leave.'] }) },
        {
          text: JSON.stringify({ verdicts: [{ statement: 's', reason: 'in the handbook', verdict: true }] }),
        },
      ],
    });
    try {
      // No generative model: ask answers extractively, quoting the best passages.
      const target = createRagTarget({ id: 'handbook', store: storage.documents, collection: 'handbook' });
      const run = await runSuite({ suite, targets: [target], judge: { model: judge } });
      const [result] = run.results;
      assert.equal(result!.error, undefined);
      assert.ok(result!.pass, JSON.stringify(result!.assertions));
      assert.ok(result!.contexts!.some((c) => c.includes('16 weeks')));
      assert.match(contentText(judge.requests[1]!.messages.at(-1)!.content), /Parents receive 16 weeks/);
      assert.equal(result!.costUsd, 0);
    } finally {
      await storage.close();
    }
  });

  test('a custom ask function stands in for conduit/rag', async () => {
    const target = createRagTarget({
      id: 'fake',
      store: {} as never,
      collection: 'x',
      ask: async ({ question }) => ({
        answer: `answer to ${question}`,
        status: 'answered',
        sources: [{ n: 1, hit: { chunk: { text: 'context one' } } }],
        usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
        cost: { input: 0, cachedInput: 0, output: 0.01, total: 0.01 },
      }),
    });
    const output = await target.call({
      prompt: suite.prompts[0]!,
      messages: [{ role: 'user', content: 'Why?' }],
      vars: {},
      caseId: 'c',
    });
    assert.deepEqual(
      [output.text, output.contexts, output.costUsd],
      ['answer to Why?', ['context one'], 0.01],
    );
  });

  test('conduit eval runs a rag: target on the stored collection', async () => {
    writeFileSync(join(dir, 'conduit.yaml'), 'models: {}\n');
    const path = join(dir, 'suite.yaml');
    writeFileSync(
      path,
      [
        'prompts: ["{{question}}"]',
        'targets:',
        '  - rag: { collection: handbook, mode: bm25 }',
        'cases:',
        '  - vars: { question: How long is parental leave? }',
        '    assert: [{ type: icontains, value: 16 weeks }, { type: javascript, value: "context.contexts.length > 0" }]',
      ].join('\n'),
    );
    let stdout = '';
    let stderr = '';
    const io: EvalIo = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { CONDUIT_HOME: join(dir, 'home') },
      cwd: dir,
    };
    const code = await runEval([path, '--storage', `sqlite:${dbPath}`, '-c', join(dir, 'conduit.yaml')], io);
    assert.equal(code, 0, stderr + stdout);
    assert.match(stdout, /prompt-1 +rag:handbook +1\/1/);
  });
});
