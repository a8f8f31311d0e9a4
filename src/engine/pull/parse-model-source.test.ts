import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseModelSource } from './parse-model-source.js';

describe('parseModelSource', () => {
  test('repo paths, hf: specs and Hub page URLs all resolve to the same download URL', () => {
    const expected =
      'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf';
    for (const source of [
      'Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:qwen2.5-0.5b-instruct-q4_k_m.gguf',
      'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/blob/main/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    ]) {
      const parsed = parseModelSource(source, { env: {} });
      assert.equal(parsed.url, expected, source);
      assert.equal(parsed.fileName, 'qwen2.5-0.5b-instruct-q4_k_m.gguf');
      assert.equal(parsed.kind, 'huggingface');
    }
  });

  test('the Hub endpoint comes from CONDUIT_HF_ENDPOINT, then HF_ENDPOINT; revisions and subfolders are kept', () => {
    assert.equal(
      parseModelSource('a/b/q4/m.gguf', { env: { HF_ENDPOINT: 'https://mirror.example/' }, revision: 'v1.0' })
        .url,
      'https://mirror.example/a/b/resolve/v1.0/q4/m.gguf',
    );
    assert.equal(
      parseModelSource('a/b/m.gguf', {
        env: { CONDUIT_HF_ENDPOINT: 'http://127.0.0.1:9', HF_ENDPOINT: 'https://x' },
      }).url,
      'http://127.0.0.1:9/a/b/resolve/main/m.gguf',
    );
  });

  test('any other URL downloads as-is, named after its last path segment', () => {
    const parsed = parseModelSource('https://example.com/files/My%20Model.gguf?download=1');
    assert.deepEqual([parsed.kind, parsed.fileName], ['url', 'My Model.gguf']);
  });
});
