/**
 * `conduit ingest`, `search` and `ask` end to end through the functions their commands call: the
 * default SQLite file under $CONDUIT_HOME, conduit.yaml, a real OpenAI-compatible provider against a
 * local test server, the JSON shapes and the exit codes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Command } from 'commander';
import { exitCodeFor } from '../../src/cli/cli-error.js';
import { registerAskCommand, runAsk } from '../../src/cli/commands/ask.js';
import { type CommandIo, registerIngestCommand, runIngest } from '../../src/cli/commands/ingest.js';
import { registerSearchCommand, runSearch } from '../../src/cli/commands/search.js';
import { type OpenAITestServer, startOpenAITestServer } from '../support/openai-test-server.js';
import { FIXTURES, fixture } from './support/fixtures.js';

let dir: string;
let server: OpenAITestServer;

interface Captured extends CommandIo {
  out: () => string;
  err: () => string;
}

function io(env: Record<string, string> = {}): Captured {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: { CONDUIT_HOME: join(dir, 'home'), ...env },
    cwd: dir,
    out: () => out,
    err: () => err,
  };
}

/** The exit code the CLI would give: the returned code, or the one `main` derives from the error. */
async function exitOf(run: Promise<number>): Promise<number> {
  try {
    return await run;
  } catch (error) {
    return exitCodeFor(error);
  }
}

before(async () => {
  server = await startOpenAITestServer();
  dir = mkdtempSync(join(tmpdir(), 'conduit-rag-cli-'));
  mkdirSync(join(dir, 'home'));
  writeFileSync(
    join(dir, 'conduit.yaml'),
    [
      'models:',
      '  fast:',
      '    provider: openai-compatible',
      '    model: gpt-4o-mini',
      `    base_url: ${server.baseURL}`,
    ].join('\n'),
  );
});
after(() => server.close());

describe('conduit ingest / search / ask', () => {
  test('ingest writes to $CONDUIT_HOME/conduit.db, prints a summary, and is idempotent', async () => {
    const first = io();
    const inputs = ['handbook.md', 'solar-panels.html', 'release-notes.txt'].map(fixture);
    assert.equal(await runIngest(inputs, { collection: 'docs' }, first), 0);
    assert.ok(existsSync(join(dir, 'home', 'conduit.db')));
    assert.match(first.out(), /Ingested into "docs": 3 files, \d+ chunks written/);
    assert.match(first.out(), /3 added, 0 updated, 0 unchanged \(skipped\), 0 removed/);
    assert.match(first.out(), /BM25 only/);

    const second = io();
    assert.equal(await runIngest(inputs, { collection: 'docs', json: true }, second), 0);
    const summary = JSON.parse(second.out());
    assert.deepEqual(summary.documents, { added: 0, updated: 0, unchanged: 3, removed: 0 });
    assert.equal(summary.chunks, 0);
    assert.deepEqual(Object.keys(summary), [
      'collection',
      'files',
      'documents',
      'chunks',
      'skipped',
      'failed',
      'embedding_model',
      'embedding_tokens',
      'embedding_cost_usd',
      'notices',
      'elapsed_ms',
    ]);
  });

  test('ingest exits 1 when a source fails (after ingesting the rest) and 2 on bad usage', async () => {
    const failing = io();
    assert.equal(
      await runIngest(
        [fixture('faq.jsonl'), 'does-not-exist.pdf'],
        { collection: 'faq', idField: 'faq_id', textField: 'answer', titleField: 'question' },
        failing,
      ),
      1,
    );
    assert.match(failing.out(), /failed: 1\n {4}does-not-exist\.pdf: no such file or directory/);
    assert.equal(await exitOf(runIngest([FIXTURES], {}, io())), 2);
    assert.equal(await exitOf(runIngest([], { collection: 'x' }, io())), 2);
    assert.equal(await exitOf(runIngest([FIXTURES], { collection: 'x', chunkSize: 'big' }, io())), 2);
  });

  test('search --json prints exactly { results: [{ chunk_id, document_id, score, text, source }] }', async () => {
    const run = io();
    assert.equal(await runSearch('refund after purchase', { collection: 'faq', json: true, k: '2' }, run), 0);
    const json = JSON.parse(run.out());
    assert.deepEqual(Object.keys(json), ['results']);
    assert.equal(json.results.length, 2);
    const [top] = json.results;
    assert.deepEqual(Object.keys(top), ['chunk_id', 'document_id', 'score', 'text', 'source']);
    assert.deepEqual(Object.keys(top.source), ['uri', 'title', 'page', 'start', 'end']);
    assert.equal(top.document_id, 'billing-2'); // the --id-field value
    assert.equal(top.source.title, 'Can I get a refund?');
    assert.equal(top.chunk_id, 'billing-2#0');
    assert.equal(typeof top.score, 'number');
    assert.match(run.err(), /BM25 only/);
  });

  test('search --by-document, filters, and its exit codes', async () => {
    const byDoc = io();
    await runSearch('panels leave vacation', { collection: 'docs', json: true, byDocument: true }, byDoc);
    const ids = JSON.parse(byDoc.out()).results.map((r: { document_id: string }) => r.document_id);
    assert.equal(new Set(ids).size, ids.length);

    const filtered = io();
    await runSearch('days', { collection: 'docs', json: true, where: ['department=hr'] }, filtered);
    assert.ok(
      JSON.parse(filtered.out()).results.every(
        (r: { source: { title: string } }) => r.source.title === 'Acme Employee Handbook',
      ),
    );

    const text = io();
    await runSearch('parental leave', { collection: 'docs', k: '1' }, text);
    assert.match(text.out(), / 1\. \d+\.\d{4} {2}Acme Employee Handbook › Time off › Parental leave\n/);

    assert.equal(await exitOf(runSearch('x', { collection: 'nope' }, io())), 1);
    assert.equal(await exitOf(runSearch('x', { collection: 'docs', where: ['no operator'] }, io())), 2);
    assert.equal(await exitOf(runSearch('x', { collection: 'docs', mode: 'semantic' }, io())), 2);
    assert.equal(await exitOf(runSearch('x', { collection: 'docs', filter: '{"field":1}' }, io())), 2);
    assert.equal(await exitOf(runSearch('', { collection: 'docs' }, io())), 2);
  });

  test('ask without a model gives a labelled extractive answer; --json has answer, citations, chunks, usage, cost, timings', async () => {
    const run = io();
    assert.equal(await runAsk('How long is parental leave?', { collection: 'docs', json: true }, run), 0);
    const json = JSON.parse(run.out());
    assert.equal(json.status, 'extractive');
    assert.equal(json.extractive, true);
    assert.match(json.answer, /^Extractive answer/);
    for (const key of ['answer', 'citations', 'chunks', 'usage', 'cost_usd', 'timings'])
      assert.ok(key in json, key);
    assert.ok(json.citations.every((c: { verified: boolean; quote: string }) => c.verified && c.quote));
    assert.deepEqual(Object.keys(json.chunks[0]), [
      'n',
      'chunk_id',
      'document_id',
      'score',
      'text',
      'source',
      'heading_path',
    ]);
    assert.deepEqual(Object.keys(json.timings), [
      'retrieval_ms',
      'generation_ms',
      'verification_ms',
      'total_ms',
    ]);
  });

  test('ask streams through a configured model (real provider, local server) and lists the sources', async () => {
    const run = io();
    assert.equal(await runAsk('How long is parental leave?', { collection: 'docs', model: 'fast' }, run), 0);
    // The test server echoes the prompt, so the "answer" quotes the sources verbatim.
    assert.match(run.out(), /^Echo: Sources:/);
    const request = server.requests.at(-1)!;
    assert.equal(request.body.stream, true);
    assert.match(JSON.stringify(request.body.messages), /Question: How long is parental leave\?/);

    const json = io();
    await runAsk('How long is parental leave?', { collection: 'docs', model: 'fast', json: true }, json);
    const result = JSON.parse(json.out());
    // Every alias is a router (issue 9): the answer names the alias it was asked for.
    assert.equal(result.model, 'router:fast');
    assert.ok(result.usage.prompt_tokens > 0);
    assert.equal(await exitOf(runAsk('x', { collection: 'docs', model: 'nope:model' }, io())), 2);
    assert.equal(await exitOf(runAsk('x', { collection: 'docs', verify: true }, io())), 2);
  });

  test('the commands register with --help text and their flags', () => {
    const program = new Command('conduit').exitOverride();
    registerIngestCommand(program);
    registerSearchCommand(program);
    registerAskCommand(program);
    const help = Object.fromEntries(program.commands.map((c) => [c.name(), c.helpInformation()]));
    assert.match(help.ingest!, /--prune/);
    assert.match(help.ingest!, /--id-field <field>/);
    assert.match(help.search!, /--by-document/);
    assert.match(help.search!, /--mode <mode>/);
    assert.match(help.ask!, /--verify/);
  });
});
