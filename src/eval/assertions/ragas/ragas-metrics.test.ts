// The four RAG metrics with Ragas' definitions, on a scripted judge: each test states the judge's
// verdicts and checks the arithmetic Ragas applies to them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createScriptedModel } from '../../../core/generate/test-support/scripted-model.js';
import { contentText } from '../../../core/messages.js';
import { runAssertion } from '../run-assertions.js';
import { assertionInput } from '../test-support/assertion-input.js';
import { fakeEmbedder } from '../test-support/fake-embedder.js';
import { averagePrecision } from './context-precision.js';

const judgeWith = (...answers: object[]) =>
  createScriptedModel({ steps: answers.map((a) => ({ text: JSON.stringify(a) })) });
const contexts = ['Einstein was born in Ulm, Germany, in 1879.', 'He received the Nobel Prize in 1921.'];
const question = 'Where and when was Einstein born?';

describe('faithfulness', () => {
  test('supported statements / statements', async () => {
    const model = judgeWith(
      {
        statements: [
          'Einstein was born in Germany.',
          'Einstein was born in 1879.',
          'Einstein was born on 20 March.',
        ],
      },
      {
        verdicts: [
          { statement: 'a', reason: 'context says Germany', verdict: true },
          { statement: 'b', reason: 'context says 1879', verdict: true },
          { statement: 'c', reason: 'no date given', verdict: false },
        ],
      },
    );
    const result = await runAssertion(
      { type: 'faithfulness' },
      assertionInput('Einstein was born in Germany on 20 March 1879.', {
        question,
        contexts,
        judge: { model },
      }),
    );
    assert.ok(Math.abs(result.score - 2 / 3) < 1e-12);
    assert.equal(result.pass, true);
    assert.match(
      contentText(model.requests[1]!.messages.at(-1)!.content),
      /1\. Einstein was born in Germany\./,
    );
    assert.match(contentText(model.requests[1]!.messages.at(-1)!.content), /born in Ulm/);
  });

  test('contexts come from the assertion, the target or vars; none is an assertion error', async () => {
    const model = judgeWith(
      { statements: ['x'] },
      { verdicts: [{ statement: 'x', reason: 'r', verdict: false }] },
    );
    const fromVars = await runAssertion(
      { type: 'faithfulness', threshold: 0.5 },
      assertionInput('x', { vars: { context: 'ctx' }, judge: { model } }),
    );
    assert.deepEqual([fromVars.score, fromVars.pass], [0, false]);
    assert.match(contentText(model.requests[1]!.messages.at(-1)!.content), /<context>\nctx\n<\/context>/);
    const none = await runAssertion(
      { type: 'faithfulness' },
      assertionInput('x', { judge: { model: judgeWith() } }),
    );
    assert.match(none.error ?? '', /needs retrieved contexts/);
  });
});

describe('answer-relevance', () => {
  test('mean cosine of generated questions to the question; strictness samples at 0.3 with distinct seeds', async () => {
    const model = judgeWith(
      { question: 'q1', noncommittal: false },
      { question: 'q2', noncommittal: true },
      { question: 'q3', noncommittal: false },
    );
    const embedder = fakeEmbedder({ [question]: [1, 0], q1: [1, 0], q2: [0.6, 0.8], q3: [0, 1] });
    const result = await runAssertion(
      { type: 'answer-relevance' },
      assertionInput('Ulm, 1879.', { question, judge: { model }, embedder }),
    );
    assert.ok(Math.abs(result.score - (1 + 0.6 + 0) / 3) < 1e-12);
    assert.deepEqual(
      model.requests.map((r) => [r.temperature, r.seed]),
      [
        [0.3, 0],
        [0.3, 1],
        [0.3, 2],
      ],
    );
  });

  test('0 when every sample calls the answer noncommittal', async () => {
    const model = judgeWith({ question: 'q', noncommittal: true });
    const embedder = fakeEmbedder({});
    const result = await runAssertion(
      { type: 'answer-relevance', strictness: 1 },
      assertionInput("I don't know.", { question, judge: { model }, embedder }),
    );
    assert.deepEqual([result.score, result.pass], [0, false]);
    assert.equal(model.requests[0]!.temperature, 0);
  });
});

describe('context-precision', () => {
  test("Ragas' average precision, with its 1e-10 guard", () => {
    assert.ok(Math.abs(averagePrecision([true, false, true]) - (1 + 2 / 3) / 2) < 1e-9);
    assert.ok(Math.abs(averagePrecision([false, true]) - 0.5) < 1e-9);
    assert.equal(averagePrecision([false, false]), 0);
    assert.ok(Math.abs(averagePrecision([true]) - 1 / (1 + 1e-10)) < 1e-15);
  });

  test('one verdict per context, in rank order, against the reference answer', async () => {
    const model = judgeWith({ reason: 'irrelevant', verdict: false }, { reason: 'says Ulm', verdict: true });
    const result = await runAssertion(
      {
        type: 'context-precision',
        value: 'Ulm, Germany, 1879',
        contexts: ['Nobel 1921', 'Born in Ulm in 1879'],
      },
      assertionInput('x', { question, judge: { model } }),
    );
    assert.ok(Math.abs(result.score - 0.5) < 1e-9);
    assert.match(
      contentText(model.requests[0]!.messages.at(-1)!.content),
      /<answer>\nUlm, Germany, 1879\n<\/answer>/,
    );
    const missing = await runAssertion(
      { type: 'context-precision', contexts },
      assertionInput('x', { judge: { model: judgeWith() } }),
    );
    assert.match(missing.error ?? '', /needs a reference answer/);
  });
});

describe('context-recall', () => {
  test('attributed reference sentences / sentences; the reference may come from vars', async () => {
    const model = judgeWith({
      classifications: [
        { statement: 'Born in Ulm.', reason: 'in context', attributed: true },
        { statement: 'Born in 1879.', reason: 'in context', attributed: true },
        { statement: 'Moved to Munich.', reason: 'absent', attributed: false },
        { statement: 'Studied in Zurich.', reason: 'absent', attributed: false },
      ],
    });
    const result = await runAssertion(
      { type: 'context-recall' },
      assertionInput('x', {
        question,
        contexts,
        vars: { reference: 'Born in Ulm in 1879. Moved to Munich. Studied in Zurich.' },
        judge: { model },
      }),
    );
    assert.deepEqual([result.score, result.pass], [0.5, true]);
  });
});
