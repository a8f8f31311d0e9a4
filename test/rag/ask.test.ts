/**
 * The answer pipeline on the real SQLite store. A scripted LanguageModel stands in for the model only
 * to produce answer text in the format under test; retrieval and ingestion are real. Covers citation
 * checking, refusal when unsupported, extractive answers, streaming and draft → judge → refine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatRequest } from '../../src/core/chat-request.js';
import { createScriptedModel } from '../../src/core/generate/test-support/scripted-model.js';
import { ask, askStream } from '../../src/rag/answer/ask.js';
import { NOT_FOUND_ANSWER } from '../../src/rag/answer/cited-answer-format.js';
import { ingest } from '../../src/rag/ingest/ingest.js';
import { fixture, openTestStorage } from './support/fixtures.js';

const storage = openTestStorage();
const store = storage.documents;
const QUESTION = 'How long is parental leave?';

before(async () => {
  await ingest({
    store,
    collection: 'kb',
    inputs: [fixture('handbook.md'), fixture('release-notes.txt')],
    chunking: { maxTokens: 80 },
  });
  await store.createCollection({ name: 'empty' });
});
after(() => storage.close());

/** The number the prompt gives to the source containing `phrase`. */
function sourceNumber(request: ChatRequest, phrase: string): number {
  const prompt = String(request.messages.at(-1)!.content);
  const blocks = prompt.split(/\n\n(?=\[\d+\] )/);
  const block = blocks.find((b) => b.includes(phrase));
  assert.ok(block, `no source contains "${phrase}"`);
  return Number(/\[(\d+)\]/.exec(block)![1]);
}

describe('ask', () => {
  test('a cited answer is checked: the quote is found in the cited chunk and located in the document', async () => {
    const model = createScriptedModel({
      steps: [
        (request) => {
          const n = sourceNumber(request, 'Parents receive 16 weeks');
          return {
            text: `Parental leave lasts 16 weeks and is fully paid [${n}].\n\nQUOTES:\n[${n}] "Parents receive 16 weeks of fully paid parental leave"`,
          };
        },
      ],
    });
    const result = await ask({ store, collection: 'kb', question: QUESTION, model });
    assert.equal(result.status, 'answered');
    assert.match(result.answer, /^Parental leave lasts 16 weeks and is fully paid \[\d\]\.$/);
    const [citation] = result.citations;
    assert.equal(citation!.verified, true);
    assert.equal(citation!.match, 'exact');
    assert.deepEqual(citation!.headingPath, ['Acme Employee Handbook', 'Time off', 'Parental leave']);
    const doc = await store.getDocument('kb', fixture('handbook.md'));
    assert.equal(
      doc!.text.slice(citation!.start!, citation!.end!),
      'Parents receive 16 weeks of fully paid parental leave',
    );
    // The prompt carried the rules, numbered sources with heading paths, and the question.
    const request = model.requests[0]!;
    assert.match(String(request.messages[0]!.content), /QUOTES:/);
    assert.match(
      String(request.messages[1]!.content),
      /\[\d\] Acme Employee Handbook › Time off › Parental leave\n/,
    );
    assert.equal(request.temperature, 0);
    assert.equal(result.usage.totalTokens, 15);
    assert.equal(result.model, 'scripted:test');
  });

  test('a quote that is not in the cited chunk is flagged; if no citation holds, the answer is "not found"', async () => {
    const model = createScriptedModel({
      steps: [
        (request) => {
          const n = sourceNumber(request, 'Parents receive 16 weeks');
          return {
            text: `Parental leave lasts 52 weeks [${n}].\nQUOTES:\n[${n}] "Parents receive 52 weeks of leave on full pay"`,
          };
        },
      ],
    });
    const result = await ask({ store, collection: 'kb', question: QUESTION, model });
    assert.equal(result.status, 'not_found');
    assert.equal(result.answer, NOT_FOUND_ANSWER);
    assert.equal(result.unsupportedAnswer, `Parental leave lasts 52 weeks [${result.citations[0]!.n}].`);
    assert.equal(result.citations[0]!.verified, false);
    assert.match(result.citations[0]!.reason!, /the quote is not in the cited source/);
    assert.match(result.warnings[0]!, /reported as not found in the documents/);
  });

  test('without a quote, the closest sentence of the cited chunk is shown as inferred support, not as verified', async () => {
    const model = createScriptedModel({
      steps: [
        (request) => {
          const n = sourceNumber(request, 'eligible for parental leave');
          return {
            text: `Employees become eligible for parental leave after 6 months of employment [${n}].`,
          };
        },
      ],
    });
    const result = await ask({
      store,
      collection: 'kb',
      question: 'When do employees become eligible for parental leave?',
      model,
    });
    assert.equal(result.status, 'answered');
    const [citation] = result.citations;
    assert.equal(citation!.match, 'inferred');
    assert.equal(citation!.verified, false);
    assert.equal(
      citation!.quote,
      'Employees become eligible for parental leave after 6 months of employment.',
    );
    assert.match(result.warnings[0]!, /could not be verified: no quote was given/);
  });

  test('citing a source that was not given, or citing nothing, is not an answer', async () => {
    const model = createScriptedModel({
      steps: [{ text: 'Leave is 16 weeks [42].' }, { text: 'Leave is 16 weeks.' }],
    });
    const bad = await ask({ store, collection: 'kb', question: QUESTION, model });
    assert.equal(bad.status, 'not_found');
    assert.match(bad.citations[0]!.reason!, /there is no source \[42\]/);
    const uncited = await ask({ store, collection: 'kb', question: QUESTION, model });
    assert.equal(uncited.status, 'not_found');
    assert.match(uncited.warnings[0]!, /cites no source/);
  });

  test('the model\'s own refusal is kept as "not found in the documents"', async () => {
    const model = createScriptedModel({ steps: [{ text: 'Not found in the documents.' }] });
    const result = await ask({
      store,
      collection: 'kb',
      question: "What is the CEO's favourite colour?",
      model,
    });
    assert.equal(result.status, 'not_found');
    assert.equal(result.answer, NOT_FOUND_ANSWER);
    assert.deepEqual(result.citations, []);
  });

  test('nothing retrieved: "not found" without calling the model', async () => {
    const model = createScriptedModel({ steps: [] });
    const result = await ask({ store, collection: 'empty', question: QUESTION, model });
    assert.equal(result.status, 'not_found');
    assert.equal(model.requests.length, 0);
  });

  test('without a model the answer is extractive, labelled, and its quotes are exact', async () => {
    const result = await ask({ store, collection: 'kb', question: QUESTION });
    assert.equal(result.status, 'extractive');
    assert.match(result.answer, /^Extractive answer \(no generative model is configured\)/);
    assert.match(
      result.answer,
      /1\. "Parents receive 16 weeks of fully paid parental leave after the birth or adoption of a child\." \[1\]/,
    );
    const doc = await store.getDocument('kb', fixture('handbook.md'));
    for (const c of result.citations.filter((c) => c.documentId === doc!.id))
      assert.equal(doc!.text.slice(c.start!, c.end!), c.quote);
    assert.ok(result.citations.every((c) => c.verified));
  });

  test('streams the prose as deltas and holds the quotes back', async () => {
    const model = createScriptedModel({
      chunkSize: 3,
      steps: [
        (request) => {
          const n = sourceNumber(request, 'Parents receive 16 weeks');
          return {
            text: `It is 16 weeks [${n}].\n\nQUOTES:\n[${n}] "16 weeks of fully paid parental leave"`,
          };
        },
      ],
    });
    const run = askStream({ store, collection: 'kb', question: QUESTION, model });
    const types: string[] = [];
    let text = '';
    for await (const event of run) {
      types.push(event.type);
      if (event.type === 'text-delta') text += event.text;
    }
    assert.equal(types[0], 'retrieval');
    assert.equal(types.at(-1), 'result');
    assert.ok(types.filter((t) => t === 'text-delta').length > 3, 'the answer arrived in pieces');
    assert.match(text, /^It is 16 weeks \[\d\]\.$/);
    assert.equal((await run.result).status, 'answered');
  });

  test('--verify: draft, judge, refine — each step recorded, the refined answer checked', async () => {
    const model = createScriptedModel({
      steps: [
        (request) => {
          const n = sourceNumber(request, 'Parents receive 16 weeks');
          return {
            text: `Leave is 16 weeks [${n}] and can be split into three blocks [${n}].\nQUOTES:\n[${n}] "16 weeks of fully paid parental leave"`,
          };
        },
        {
          text: JSON.stringify({
            verdict: 'partially_supported',
            issues: [
              { claim: 'can be split into three blocks', problem: 'the source says at most two blocks' },
            ],
          }),
        },
        (request) => {
          assert.match(String(request.messages.at(-1)!.content), /the source says at most two blocks/);
          const n = sourceNumber(request, 'Parents receive 16 weeks');
          return {
            text: `Leave is 16 weeks, in at most two blocks [${n}].\nQUOTES:\n[${n}] "split into at most two blocks"`,
          };
        },
      ],
    });
    const result = await ask({ store, collection: 'kb', question: QUESTION, model, verify: true });
    assert.deepEqual(
      result.steps.map((s) => s.name),
      ['retrieve', 'draft', 'judge', 'refine'],
    );
    assert.equal(result.steps[2]!.judgement?.verdict, 'partially_supported');
    assert.equal(result.status, 'answered');
    assert.match(result.answer, /at most two blocks/);
    assert.equal(result.citations[0]!.verified, true);
    assert.equal(result.usage.totalTokens, 45);
    assert.ok(result.timings.verificationMs > 0);
  });

  test("the sources fit the model's context window, best first, whole", async () => {
    const model = createScriptedModel({ steps: [{ text: NOT_FOUND_ANSWER }] });
    const small = await ask({ store, collection: 'kb', question: QUESTION, model, maxContextTokens: 120 });
    const prompt = String(model.requests[0]!.messages.at(-1)!.content);
    assert.ok(small.sources.length >= 1 && small.sources.length < 4, `${small.sources.length} sources`);
    for (const { hit } of small.sources) assert.ok(prompt.includes(hit.chunk.text));
  });
});
