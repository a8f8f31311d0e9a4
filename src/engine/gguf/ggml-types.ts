/**
 * The three ggml tensor encodings the test-model writer emits — F32, F16 and Q8_0 — with their
 * byte sizes, as ggml lays them out (little-endian; Q8_0 in blocks of 32 values: an f16 scale,
 * then 32 int8). Type ids are ggml's `enum ggml_type`.
 */

export type GgmlTensorType = 'F32' | 'F16' | 'Q8_0';

export const GGML_TYPE_ID = { F32: 0, F16: 1, Q8_0: 8 } as const satisfies Record<GgmlTensorType, number>;

/** `general.file_type` (llama_ftype) of a model whose big matrices use this type. */
export const LLAMA_FILE_TYPE = { F32: 0, F16: 1, Q8_0: 7 } as const satisfies Record<GgmlTensorType, number>;

export const Q8_0_BLOCK = 32;
const Q8_0_BLOCK_BYTES = 2 + Q8_0_BLOCK;

/** Bytes taken by `count` values of a type; Q8_0 needs a multiple of 32. */
export function tensorByteSize(type: GgmlTensorType, count: number): number {
  if (type === 'F32') return count * 4;
  if (type === 'F16') return count * 2;
  if (count % Q8_0_BLOCK !== 0)
    throw new RangeError(`Q8_0 needs a multiple of ${Q8_0_BLOCK} values, got ${count}`);
  return (count / Q8_0_BLOCK) * Q8_0_BLOCK_BYTES;
}

export function encodeTensor(type: GgmlTensorType, values: Float32Array): Buffer {
  if (type === 'F32') return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  if (type === 'F16') return encodeF16(values);
  return encodeQ8_0(values);
}

function encodeF16(values: Float32Array): Buffer {
  const out = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) out.writeUInt16LE(toHalf(values[i]!), i * 2);
  return out;
}

/** ggml's reference quantizer (quantize_row_q8_0_ref): scale = max|x| / 127, round to nearest. */
function encodeQ8_0(values: Float32Array): Buffer {
  const out = Buffer.alloc(tensorByteSize('Q8_0', values.length));
  for (let block = 0, at = 0; block < values.length; block += Q8_0_BLOCK, at += Q8_0_BLOCK_BYTES) {
    let amax = 0;
    for (let i = 0; i < Q8_0_BLOCK; i++) amax = Math.max(amax, Math.abs(values[block + i]!));
    const scale = amax / 127;
    const inverse = scale === 0 ? 0 : 1 / scale;
    out.writeUInt16LE(toHalf(scale), at);
    for (let i = 0; i < Q8_0_BLOCK; i++) out.writeInt8(Math.round(values[block + i]! * inverse), at + 2 + i);
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary32 → binary16, round to nearest even; overflow → ±Inf, tiny values → subnormals. */
export function toHalf(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa bumps the exponent, up to 0x7c00 (Inf) — both correct.
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** binary16 → number (for tests and readers). */
export function fromHalf(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
