/**
 * Embeddings from the generated model: the model's dimension, unit length, deterministic, and
 * different for different texts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocal, type LocalProvider } from './local-provider.js';
import { testModelPath } from './test-support/test-model.js';

let local: LocalProvider;
let path: string;

before(async () => {
  path = await testModelPath();
  local = createLocal({ threads: 1, sequences: 1, contextSize: 512, chatWrapper: 'jinjaTemplate' });
});
after(() => local.dispose());

const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

describe('local embeddings', () => {
  test('vectors have the model’s dimension, unit length, and the same text gives the same vector', async () => {
    const model = local.embeddingModel(path);
    const texts = ['the cat sat on the mat', 'quantum chromodynamics', 'the cat sat on the mat'];
    const { embeddings, usage, model: name } = await model.embed(texts);
    assert.equal(name, path);
    assert.equal(embeddings.length, 3);
    for (const vector of embeddings) {
      assert.equal(vector.length, 64); // embedding_length of the tiny preset
      assert.ok(Math.abs(dot(vector, vector) - 1) < 1e-6);
    }
    assert.deepEqual(embeddings[0], embeddings[2]);
    assert.ok(dot(embeddings[0]!, embeddings[1]!) < 0.999, 'different texts, different vectors');
    // Every byte is one token here, every space one "▁" token.
    assert.equal(
      usage.promptTokens,
      texts.reduce((n, t) => n + Buffer.byteLength(t), 0),
    );
    const again = await local.embeddingModel(path).embed([texts[1]!]);
    assert.deepEqual(again.embeddings[0], embeddings[1]);
  });

  test('dimensions truncates and re-normalises; an impossible size or an empty input is refused', async () => {
    const model = local.embeddingModel(path);
    const [short] = (await model.embed(['hello'], { dimensions: 16 })).embeddings;
    assert.equal(short!.length, 16);
    assert.ok(Math.abs(dot(short!, short!) - 1) < 1e-6);
    await assert.rejects(model.embed(['hello'], { dimensions: 65 }), {
      code: 'bad_request',
      param: 'dimensions',
    });
    await assert.rejects(model.embed(['']), { code: 'bad_request', param: 'input[0]' });
  });
});
