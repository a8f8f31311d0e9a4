/**
 * Writes a small llama-architecture GGUF model with seeded random weights: the project's own test and
 * benchmark model, since real weights cannot be downloaded here. Its text is gibberish, but llama.cpp
 * loads it like any llama model, so it tokenizes, streams, batches, embeds and obeys grammars.
 *
 * Keys and tensors are the ones llama.cpp's loader requires for `llama` (llama-model.cpp,
 * LLM_ARCH_LLAMA): the hyperparameters below, `token_embd`, `output_norm`, `output`, and per block
 * `attn_norm`, `attn_q/k/v/output`, `ffn_norm`, `ffn_gate/up/down`.
 *
 * @example
 * await writeLlamaModel('/tmp/tiny.gguf', { preset: 'tiny' });
 * await writeLlamaModel('/tmp/150m.gguf', { preset: 'bench-150m' }); // ~160 MB, Q8_0
 */

import { byteVocabulary, CHATML_TEMPLATE } from './byte-vocabulary.js';
import type { GgmlTensorType } from './ggml-types.js';
import { LLAMA_FILE_TYPE } from './ggml-types.js';
import { type GgufTensor, type GgufValue, gguf, writeGguf } from './gguf-writer.js';

export interface LlamaModelShape {
  embeddingLength: number;
  blockCount: number;
  headCount: number;
  headCountKv: number;
  feedForwardLength: number;
  contextLength: number;
}

export const LLAMA_PRESETS = {
  /** ~0.1M parameters: loads in milliseconds, for tests. */
  tiny: {
    embeddingLength: 64,
    blockCount: 2,
    headCount: 4,
    headCountKv: 2,
    feedForwardLength: 128,
    contextLength: 4096,
    type: 'F32',
  },
  /** ~154M parameters (12 blocks of width 1024): a realistic small-model workload for benchmarks. */
  'bench-150m': {
    embeddingLength: 1024,
    blockCount: 12,
    headCount: 16,
    headCountKv: 16,
    feedForwardLength: 2816,
    contextLength: 4096,
    type: 'Q8_0',
  },
} as const satisfies Record<string, LlamaModelShape & { type: GgmlTensorType }>;

export type LlamaPreset = keyof typeof LLAMA_PRESETS;

export interface WriteLlamaModelOptions extends Partial<LlamaModelShape> {
  preset?: LlamaPreset;
  /** Encoding of the matrices (norms are always F32, as llama.cpp expects). */
  type?: GgmlTensorType;
  /** Same seed, same options → byte-identical file. */
  seed?: number;
  name?: string;
}

export interface WrittenModel {
  path: string;
  bytes: number;
  parameters: number;
  shape: LlamaModelShape;
  type: GgmlTensorType;
  vocabularySize: number;
}

export async function writeLlamaModel(
  path: string,
  options: WriteLlamaModelOptions = {},
): Promise<WrittenModel> {
  const preset = LLAMA_PRESETS[options.preset ?? 'tiny'];
  const shape: LlamaModelShape = {
    embeddingLength: options.embeddingLength ?? preset.embeddingLength,
    blockCount: options.blockCount ?? preset.blockCount,
    headCount: options.headCount ?? preset.headCount,
    headCountKv: options.headCountKv ?? options.headCount ?? preset.headCountKv,
    feedForwardLength: options.feedForwardLength ?? preset.feedForwardLength,
    contextLength: options.contextLength ?? preset.contextLength,
  };
  const type = options.type ?? preset.type;
  const { embeddingLength: n, headCount, headCountKv } = shape;
  if (n % headCount !== 0) throw new RangeError('embeddingLength must be a multiple of headCount');
  if (headCount % headCountKv !== 0) throw new RangeError('headCount must be a multiple of headCountKv');
  const vocab = byteVocabulary();
  const random = seededUniform(options.seed ?? 42);
  const kvWidth = (n / headCount) * headCountKv;

  // Uniform in ±√3·σ has standard deviation σ; σ = 1/√fan_in keeps activations near unit scale
  // through the blocks, so logits stay varied rather than collapsing to one token.
  const matrix = (name: string, fanIn: number, fanOut: number, sigma = 1 / Math.sqrt(fanIn)): GgufTensor => ({
    name,
    dims: [fanIn, fanOut],
    type,
    values: () => random(fanIn * fanOut, sigma * Math.sqrt(3)),
  });
  const norm = (name: string): GgufTensor => ({
    name,
    dims: [n],
    type: 'F32',
    values: () => new Float32Array(n).fill(1),
  });

  const tensors: GgufTensor[] = [matrix('token_embd.weight', n, vocab.tokens.length, 1)];
  for (let block = 0; block < shape.blockCount; block++) {
    const at = `blk.${block}`;
    tensors.push(
      norm(`${at}.attn_norm.weight`),
      matrix(`${at}.attn_q.weight`, n, n),
      matrix(`${at}.attn_k.weight`, n, kvWidth),
      matrix(`${at}.attn_v.weight`, n, kvWidth),
      matrix(`${at}.attn_output.weight`, n, n),
      norm(`${at}.ffn_norm.weight`),
      matrix(`${at}.ffn_gate.weight`, n, shape.feedForwardLength),
      matrix(`${at}.ffn_up.weight`, n, shape.feedForwardLength),
      matrix(`${at}.ffn_down.weight`, shape.feedForwardLength, n),
    );
  }
  tensors.push(norm('output_norm.weight'), matrix('output.weight', n, vocab.tokens.length));

  const metadata: Record<string, GgufValue> = {
    'general.architecture': gguf.string('llama'),
    'general.name': gguf.string(options.name ?? `conduit-test-${options.preset ?? 'tiny'}`),
    'general.file_type': gguf.u32(LLAMA_FILE_TYPE[type]),
    'general.quantization_version': gguf.u32(2),
    'general.alignment': gguf.u32(32),
    'llama.context_length': gguf.u32(shape.contextLength),
    'llama.embedding_length': gguf.u32(n),
    'llama.block_count': gguf.u32(shape.blockCount),
    'llama.feed_forward_length': gguf.u32(shape.feedForwardLength),
    'llama.attention.head_count': gguf.u32(headCount),
    'llama.attention.head_count_kv': gguf.u32(headCountKv),
    'llama.attention.layer_norm_rms_epsilon': gguf.f32(1e-5),
    'llama.rope.dimension_count': gguf.u32(n / headCount),
    'llama.rope.freq_base': gguf.f32(10000),
    'llama.vocab_size': gguf.u32(vocab.tokens.length),
    'tokenizer.ggml.model': gguf.string('llama'),
    'tokenizer.ggml.tokens': gguf.array('string', vocab.tokens),
    'tokenizer.ggml.scores': gguf.array('f32', vocab.scores),
    'tokenizer.ggml.token_type': gguf.array('i32', vocab.types),
    'tokenizer.ggml.unknown_token_id': gguf.u32(vocab.unk),
    'tokenizer.ggml.bos_token_id': gguf.u32(vocab.bos),
    'tokenizer.ggml.eos_token_id': gguf.u32(vocab.eos),
    'tokenizer.ggml.eot_token_id': gguf.u32(vocab.imEnd),
    'tokenizer.ggml.padding_token_id': gguf.u32(vocab.unk),
    'tokenizer.ggml.add_bos_token': gguf.bool(false),
    'tokenizer.ggml.add_eos_token': gguf.bool(false),
    // Otherwise SentencePiece prepends a space to every text it tokenizes, breaking round trips.
    'tokenizer.ggml.add_space_prefix': gguf.bool(false),
    'tokenizer.chat_template': gguf.string(CHATML_TEMPLATE),
  };

  const bytes = await writeGguf(path, { metadata, tensors });
  const parameters = tensors.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
  return { path, bytes, parameters, shape, type, vocabularySize: vocab.tokens.length };
}

/** Parameters of a llama model of this shape with the byte vocabulary (what `writeLlamaModel` writes). */
export function llamaParameterCount(shape: LlamaModelShape): number {
  const vocabulary = byteVocabulary().tokens.length;
  const n = shape.embeddingLength;
  const kv = (n / shape.headCount) * shape.headCountKv;
  const block = 2 * n + n * n * 2 + 2 * n * kv + 3 * n * shape.feedForwardLength;
  return shape.blockCount * block + 2 * vocabulary * n + n;
}

/** mulberry32: tiny, fast and good enough for weights; fills arrays uniform in [-limit, limit]. */
function seededUniform(seed: number): (count: number, limit: number) => Float32Array {
  let state = seed >>> 0;
  return (count, limit) => {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      out[i] = (unit * 2 - 1) * limit;
    }
    return out;
  };
}
