/**
 * The generated model is a valid GGUF that llama.cpp loads: read back with node-llama-cpp's own GGUF
 * reader, loaded and run in all three encodings, byte-identical for the same seed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readGgufFileInfo } from 'node-llama-cpp';
import { createLocal } from '../local-provider.js';
import { testDir } from '../test-support/test-model.js';
import { LLAMA_PRESETS, llamaParameterCount, writeLlamaModel } from './write-llama-model.js';

const local = createLocal({
  threads: 1,
  sequences: 1,
  contextSize: 256,
  chatWrapper: 'jinjaTemplate',
  maxLoadedModels: 1,
});
after(() => local.dispose());

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('writeLlamaModel', () => {
  test('is deterministic: same options, same bytes; another seed, other weights', async () => {
    const a = await writeLlamaModel(join(testDir(), 'a.gguf'), { seed: 1 });
    const b = await writeLlamaModel(join(testDir(), 'b.gguf'), { seed: 1 });
    const c = await writeLlamaModel(join(testDir(), 'c.gguf'), { seed: 2 });
    assert.equal(await sha256(a.path), await sha256(b.path));
    assert.notEqual(await sha256(a.path), await sha256(c.path));
    assert.equal(a.bytes, (await readFile(a.path)).length);
  });

  test('holds the llama hyperparameters, a byte-level vocabulary with token types and a ChatML template', async () => {
    const written = await writeLlamaModel(join(testDir(), 'meta.gguf'), { blockCount: 3 });
    const info = await readGgufFileInfo(written.path, { readTensorInfo: true });
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
    assert.equal(metadata.general?.architecture, 'llama');
    assert.equal((metadata.llama as { block_count: number }).block_count, 3);
    const ggml = (metadata.tokenizer as { ggml: { model: string; tokens: string[]; token_type: number[] } })
      .ggml;
    assert.equal(ggml.model, 'llama');
    assert.deepEqual(ggml.tokens.slice(0, 4), ['<unk>', '<s>', '</s>', '<0x00>']);
    assert.equal(ggml.tokens[3 + 0xff], '<0xFF>');
    assert.equal(ggml.token_type.filter((t) => t === 6).length, 256, 'BYTE token type');
    assert.match(String((metadata.tokenizer as { chat_template: string }).chat_template), /<\|im_start\|>/);
    assert.equal(info.tensorInfo?.length, 2 + 3 * 9 + 1);
    assert.equal(
      written.parameters,
      info.tensorInfo!.reduce((n, t) => n + t.dimensions.reduce<number>((a, d) => a * Number(d), 1), 0),
    );
  });

  for (const type of ['F32', 'F16', 'Q8_0'] as const) {
    test(`a ${type} model loads in llama.cpp, round-trips Unicode and generates`, async () => {
      const written = await writeLlamaModel(join(testDir(), `${type}.gguf`), { type });
      const model = local.languageModel(written.path);
      const text = 'Grüße, 世界! 🦊 <|im_start|> tabs\tand\nlines';
      const tokens = await model.tokenize(text);
      assert.equal(await model.detokenize(tokens), text);
      const result = await model.generate({
        messages: [{ role: 'user', content: text }],
        max_tokens: 8,
        seed: 1,
      });
      assert.ok(result.usage.completionTokens > 0);
    });
  }

  test('the benchmark preset is a ~150M-parameter model (counted the way the writer counts)', async () => {
    const small = await writeLlamaModel(join(testDir(), 'count.gguf'), { blockCount: 2 });
    assert.equal(llamaParameterCount(small.shape), small.parameters);
    const bench = llamaParameterCount(LLAMA_PRESETS['bench-150m']);
    assert.ok(bench > 140e6 && bench < 160e6, String(bench));
  });
});
