// `conduit score` end to end through runScore: files on disk, real option parsing, exit codes and
// output shapes. Expected BLEU/chrF lines were produced by sacreBLEU 2.5.1's CLI on the same files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerScoreCommand, runScore, type ScoreIo } from './score.js';

const dir = mkdtempSync(join(tmpdir(), 'conduit-score-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function score(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const io: ScoreIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => stdin,
  };
  const code = await runScore(args, io);
  return { code, stdout, stderr };
}

const hyps = file(
  'hyps.txt',
  'After the storm, the old bridge was closed to all traffic.\nThe dog bit the man.\n',
);
const refs = file(
  'refs.txt',
  'After the storm , the old road was shut to all traffic .\nThe dog bit the man.\n',
);

describe('conduit score bleu', () => {
  it('prints sacreBLEU’s line (signature without the version field)', async () => {
    const { code, stdout } = await score(['bleu', '--hypotheses', hyps, '--references', refs]);
    assert.equal(code, 0);
    assert.equal(
      stdout,
      'BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp = 70.40 89.5/76.5/66.7/53.8 ' +
        '(BP = 1.000 ratio = 1.000 hyp_len = 19 ref_len = 19)\n',
    );
  });

  it('--json gives the score, precisions, brevity penalty and lengths', async () => {
    const { code, stdout } = await score(['bleu', '--hypotheses', hyps, '--references', refs, '--json']);
    assert.equal(code, 0);
    const json = JSON.parse(stdout);
    assert.deepEqual(Object.keys(json), [
      'name',
      'score',
      'precisions',
      'bp',
      'ratio',
      'hyp_len',
      'ref_len',
      'counts',
      'totals',
      'signature',
    ]);
    assert.equal(json.score.toFixed(2), '70.40');
    assert.deepEqual([json.hyp_len, json.ref_len, json.bp], [19, 19, 1]);
  });

  it('--sentence-level --json gives one object per line, with effective order', async () => {
    const { stdout } = await score([
      'bleu',
      '--hypotheses',
      hyps,
      '--references',
      refs,
      '--sentence-level',
      '--json',
    ]);
    const list = JSON.parse(stdout);
    assert.equal(list.length, 2);
    assert.equal(list[0].score, 59.230330720232516);
    // sacreBLEU prints the same 100.00000000000004 for an exact match: exp(log(100)).
    assert.equal(list[1].score, 100.00000000000004);
    assert.match(list[0].signature, /eff:yes/);
  });

  it('passes tokenizer, smoothing, case and order options through', async () => {
    const args = ['--hypotheses', hyps, '--references', refs, '--json'];
    const run = async (...extra: string[]) => JSON.parse((await score(['bleu', ...args, ...extra])).stdout);
    assert.notEqual((await run('--tokenize', 'none')).score, (await run()).score);
    assert.equal((await run('--max-ngram-order', '2')).precisions.length, 2);
    assert.match(
      (await run('--smooth-method', 'floor', '--smooth-value', '0.5')).signature,
      /smooth:floor\[0\.50\]/,
    );
    assert.match((await run('--lowercase')).signature, /case:lc/);
  });

  it('reads hypotheses from stdin with "-"', async () => {
    const stdin = 'After the storm, the old bridge was closed to all traffic.\nThe dog bit the man.\n';
    const { code, stdout } = await score(['bleu', '--hypotheses', '-', '--references', refs], stdin);
    assert.equal(code, 0);
    assert.match(stdout, / = 70\.40 /);
  });
});

describe('usage errors exit 2 with a clear message', () => {
  it('line counts that differ', async () => {
    const short = file('short.txt', 'one line\n');
    const { code, stderr } = await score(['bleu', '--hypotheses', hyps, '--references', short]);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /has 2 lines but .*short\.txt has 1; hypotheses and references must be line-aligned/,
    );
  });

  it('no inputs, unreadable files, bad option values', async () => {
    assert.equal((await score(['bleu'])).code, 2);
    const missing = await score(['chrf', '--hypotheses', join(dir, 'nope.txt'), '--references', refs]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.txt: ENOENT/);
    assert.equal(
      (await score(['bleu', '--tokenize', 'moses', '--hypotheses', hyps, '--references', refs])).code,
      2,
    );
    assert.equal(
      (await score(['bleu', '--max-ngram-order', '0', '--hypotheses', hyps, '--references', refs])).code,
      2,
    );
    assert.equal(
      (await score(['rouge', '--rouge-types', 'rouge0', '--hypotheses', hyps, '--references', refs])).code,
      2,
    );
    assert.equal((await score(['nosuchmetric'])).code, 2);
  });

  it('a malformed JSONL record names its line', async () => {
    const bad = file('bad.jsonl', '{"hypothesis": "a", "references": ["a"]}\n{"hypothesis": 3}\n');
    const { code, stderr } = await score(['rouge', '--input', bad]);
    assert.equal(code, 2);
    assert.match(stderr, /bad\.jsonl:2: "hypothesis" must be a string/);
  });
});

describe('--help', () => {
  it('each subcommand prints its options and exits 0', async () => {
    for (const metric of ['bleu', 'chrf', 'rouge', 'squad']) {
      const { code, stdout } = await score([metric, '--help']);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`Usage: conduit score ${metric}`));
    }
    assert.match((await score(['bleu', '--help'])).stdout, /--smooth-method <method>/);
    assert.match((await score(['rouge', '--help'])).stdout, /--use-stemmer/);
  });
});

describe('conduit score chrf, rouge, squad', () => {
  it('chrF++ with two reference files', async () => {
    const { stdout } = await score([
      'chrf',
      '--chrf-word-order',
      '2',
      '--hypotheses',
      hyps,
      '--references',
      refs,
      hyps,
    ]);
    assert.equal(stdout, 'chrF2++|nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no = 100.00\n');
  });

  it('ROUGE from JSONL with multi-line summaries: rougeLsum splits on the newlines', async () => {
    const pairs = file(
      'pairs.jsonl',
      `${JSON.stringify({ hypothesis: 'Second sentence.\nFirst Sentence.', references: ['First sentence.\nSecond Sentence.'] })}\n`,
    );
    const { code, stdout } = await score(['rouge', '--input', pairs, '--use-stemmer', '--json']);
    assert.equal(code, 0);
    const json = JSON.parse(stdout);
    assert.deepEqual(Object.keys(json), ['rouge1', 'rouge2', 'rougeL', 'rougeLsum']);
    assert.deepEqual(Object.keys(json.rouge1), ['precision', 'recall', 'fmeasure']);
    assert.equal(json.rougeLsum.fmeasure, 1);
    assert.equal(json.rougeL.fmeasure, 0.5);
  });

  it('ROUGE --sentence-level --json is a list of per-line results', async () => {
    const { stdout } = await score([
      'rouge',
      '--hypotheses',
      hyps,
      '--references',
      refs,
      '--sentence-level',
      '--json',
    ]);
    const list = JSON.parse(stdout);
    assert.equal(list.length, 2);
    assert.equal(list[1].rouge1.fmeasure, 1);
  });

  // Expected: the official script's output for the same three questions.
  it('SQuAD line mode: an empty gold line means no answer from that annotator', async () => {
    const answers = file('answers.txt', 'in 1976\nParis\n\n');
    const gold1 = file('gold1.txt', '1976\n\n\n');
    const gold2 = file('gold2.txt', 'the year 1976\nLyon\n\n');
    const { stdout } = await score([
      'squad',
      '--hypotheses',
      answers,
      '--references',
      gold1,
      gold2,
      '--json',
    ]);
    assert.deepEqual(JSON.parse(stdout), {
      exact: 33.333333333333336,
      f1: 55.55555555555555,
      total: 3,
      HasAns_exact: 0,
      HasAns_f1: 33.33333333333333,
      HasAns_total: 2,
      NoAns_exact: 100,
      NoAns_f1: 100,
      NoAns_total: 1,
    });
  });

  it('SQuAD dataset mode prints the official script’s JSON', async () => {
    const dataset = file(
      'dev.json',
      JSON.stringify({
        data: [
          {
            paragraphs: [
              {
                qas: [
                  { id: 'q1', answers: [{ text: '1976' }] },
                  { id: 'q2', answers: [] },
                ],
              },
            ],
          },
        ],
      }),
    );
    const predictions = file('preds.json', JSON.stringify({ q1: '1976', q2: 'no' }));
    const { code, stdout } = await score([
      'squad',
      '--dataset',
      dataset,
      '--predictions',
      predictions,
      '--json',
    ]);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), {
      exact: 50,
      f1: 50,
      total: 2,
      HasAns_exact: 100,
      HasAns_f1: 100,
      HasAns_total: 1,
      NoAns_exact: 0,
      NoAns_f1: 0,
      NoAns_total: 1,
    });
  });
});

describe('registerScoreCommand', () => {
  it('adds score with its four metrics', () => {
    const program = new Command('conduit');
    registerScoreCommand(program);
    const scoreCommand = program.commands.find((c) => c.name() === 'score');
    assert.deepEqual(
      scoreCommand?.commands.map((c) => c.name()),
      ['bleu', 'chrf', 'rouge', 'squad'],
    );
  });
});
