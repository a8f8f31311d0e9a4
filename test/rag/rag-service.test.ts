/**
 * The functions the HTTP server mounts: collections CRUD, upload (bytes and URL), search with the
 * CLI's JSON, and ask as server-sent events. Bodies are validated into `bad_request` errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { createScriptedModel } from '../../src/core/generate/test-support/scripted-model.js';
import { createRagService } from '../../src/rag/service/rag-service.js';
import { fixture, openTestStorage } from './support/fixtures.js';
import { createHashingEmbedder } from './support/hashing-embedder.js';

const storage = openTestStorage();
after(() => storage.close());

const embedder = createHashingEmbedder(32, 'test:hashing');
const model = createScriptedModel({
  steps: [
    (request) => {
      const prompt = String(request.messages.at(-1)!.content);
      const n = /\[(\d+)\][^\n]*\n[^[]*Refunds are available/.exec(prompt)![1];
      return {
        text: `Refunds are possible within 14 days [${n}].\nQUOTES:\n[${n}] "Refunds are available within 14 days of a purchase"`,
      };
    },
  ],
});
const rag = createRagService({
  store: storage.documents,
  embeddingModel: (spec) => {
    assert.equal(spec, 'embed-alias');
    return embedder;
  },
  languageModel: () => model,
  defaultModel: 'fast',
});

describe('RAG service', () => {
  test('collections: create (recording the embedding model), list, get, delete; errors are ConduitErrors', async () => {
    const created = await rag.createCollection({
      name: 'support',
      embedding_model: 'embed-alias',
      metadata: { team: 'cx' },
    });
    assert.equal(created.embedding_model, 'embed-alias');
    assert.equal(created.dimensions, 32);
    assert.deepEqual(
      (await rag.listCollections()).collections.map((c) => c.name),
      ['support'],
    );
    await assert.rejects(rag.createCollection({ name: 'support' }), { code: 'conflict' });
    await assert.rejects(rag.createCollection({ name: 'bad name!' }), { code: 'bad_request', param: 'name' });
    await assert.rejects(rag.getCollection('nope'), { code: 'not_found' });
    await rag.createCollection({ name: 'scratch' });
    assert.deepEqual(await rag.deleteCollection('scratch'), { name: 'scratch', deleted: true });
  });

  test("upload: bytes of any supported format, embedded with the collection's model; re-upload is skipped", async () => {
    const data = readFileSync(fixture('faq.jsonl'));
    const jsonl = { idField: 'faq_id', textField: 'answer', titleField: 'question' };
    const summary = await rag.addDocument('support', { filename: 'faq.jsonl', data, jsonl });
    assert.equal(summary.documents.added, 4);
    assert.equal(summary.embeddings.model, 'test:hashing');
    const again = await rag.addDocument('support', { filename: 'faq.jsonl', data, jsonl });
    assert.equal(again.documents.unchanged, 4);
    const pdf = await rag.addDocument('support', {
      filename: 'primer.pdf',
      data: readFileSync(fixture('orbital-mechanics.pdf')),
      contentType: 'application/pdf',
      id: 'primer',
      metadata: { team: 'science' },
    });
    assert.equal(pdf.documents.added, 1);
    const docs = await rag.listDocuments('support');
    assert.ok(docs.documents.some((d) => d.id === 'primer' && d.metadata.team === 'science'));
    await assert.rejects(rag.addDocument('support', { filename: 'x.docx', data: 'x' }), {
      code: 'unprocessable',
    });
    await assert.rejects(rag.addDocument('support', { url: 'http://127.0.0.1:9/' }), /loopback address/);
  });

  test('search returns the same JSON as the CLI, and validates its body', async () => {
    const { results } = await rag.search('support', {
      query: 'refund',
      k: 2,
      filter: { field: 'category', op: 'eq', value: 'billing' },
    });
    assert.equal(results[0]!.document_id, 'billing-2');
    assert.deepEqual(Object.keys(results[0]!), ['chunk_id', 'document_id', 'score', 'text', 'source']);
    await assert.rejects(rag.search('support', { query: '' }), { code: 'bad_request', param: 'query' });
    await assert.rejects(rag.search('support', { query: 'x', k: 0 }), { code: 'bad_request', param: 'k' });
    await assert.rejects(
      rag.search('support', { query: 'x', filter: { field: 'a', op: 'like', value: 1 } }),
      {
        code: 'bad_request',
      },
    );
  });

  test('ask streams server-sent events: retrieval, step, deltas, then the result', async () => {
    const events = [];
    for await (const e of rag.askEvents('support', { question: 'Can I get a refund?' })) events.push(e);
    assert.equal(events[0]!.event, 'retrieval');
    assert.equal((events[0]!.data as { mode: string }).mode, 'hybrid');
    assert.ok(events.some((e) => e.event === 'delta'));
    const last = events.at(-1)!;
    assert.equal(last.event, 'result');
    const result = last.data as { status: string; citations: { verified: boolean; document_id: string }[] };
    assert.equal(result.status, 'answered');
    assert.equal(result.citations[0]!.document_id, 'billing-2');
    assert.equal(result.citations[0]!.verified, true);
  });
});
