/**
 * A dependency-free GGUF v3 writer (format: ggml `docs/gguf.md`): header, typed metadata, tensor
 * infos, then tensor data aligned to `general.alignment`. Tensor values are produced one tensor at a
 * time and streamed to disk, so a 150M-parameter model never sits in memory whole. The file is written
 * under a temporary name and renamed at the end: a reader never sees half a model.
 *
 * @example
 * await writeGguf('/tmp/m.gguf', {
 *   metadata: { 'general.architecture': gguf.string('llama'), 'llama.block_count': gguf.u32(2) },
 *   tensors: [{ name: 'output_norm.weight', dims: [64], type: 'F32', values: () => new Float32Array(64).fill(1) }],
 * });
 */
import { open, rename, rm } from 'node:fs/promises';
import { encodeTensor, GGML_TYPE_ID, type GgmlTensorType, tensorByteSize } from './ggml-types.js';

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
const GGUF_VERSION = 3;
const DEFAULT_ALIGNMENT = 32;

/** gguf_metadata_value_type */
const VALUE_TYPE = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;

type ScalarType = Exclude<keyof typeof VALUE_TYPE, 'array'>;

export type GgufValue =
  | { type: ScalarType; value: number | bigint | boolean | string }
  | { type: 'array'; itemType: ScalarType; values: readonly (number | bigint | boolean | string)[] };

/** Typed constructors, so a key's GGUF type is stated where its value is. */
export const gguf = {
  u32: (value: number): GgufValue => ({ type: 'u32', value }),
  i32: (value: number): GgufValue => ({ type: 'i32', value }),
  f32: (value: number): GgufValue => ({ type: 'f32', value }),
  bool: (value: boolean): GgufValue => ({ type: 'bool', value }),
  string: (value: string): GgufValue => ({ type: 'string', value }),
  array: (itemType: ScalarType, values: readonly (number | bigint | boolean | string)[]): GgufValue => ({
    type: 'array',
    itemType,
    values,
  }),
};

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the fastest-varying (row length), e.g. [n_embd, n_vocab]. */
  dims: readonly number[];
  type: GgmlTensorType;
  /** Called once, when the tensor is written; returns dims.product values. */
  values: () => Float32Array;
}

export interface GgufFile {
  metadata: Record<string, GgufValue>;
  tensors: readonly GgufTensor[];
}

/** Writes `file` to `path` atomically (temporary file + rename); returns the size in bytes. */
export async function writeGguf(path: string, file: GgufFile): Promise<number> {
  const alignment = alignmentOf(file.metadata);
  const header = new ByteWriter();
  header.u32(GGUF_MAGIC).u32(GGUF_VERSION);
  header.u64(file.tensors.length).u64(Object.keys(file.metadata).length);
  for (const [key, value] of Object.entries(file.metadata)) {
    header.string(key);
    writeValue(header, value);
  }
  let offset = 0;
  const sizes: number[] = [];
  for (const tensor of file.tensors) {
    const count = tensor.dims.reduce((a, b) => a * b, 1);
    const size = tensorByteSize(tensor.type, count);
    header.string(tensor.name).u32(tensor.dims.length);
    for (const dim of tensor.dims) header.u64(dim);
    header.u32(GGML_TYPE_ID[tensor.type]).u64(offset);
    sizes.push(size);
    offset = align(offset + size, alignment);
  }
  header.pad(alignment);

  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    let written = await write(handle, header.toBuffer());
    for (const [i, tensor] of file.tensors.entries()) {
      const values = tensor.values();
      const expected = tensor.dims.reduce((a, b) => a * b, 1);
      if (values.length !== expected)
        throw new RangeError(`${tensor.name}: ${values.length} values for dims ${tensor.dims.join('×')}`);
      const data = encodeTensor(tensor.type, values);
      written += await write(handle, data);
      const padding = align(sizes[i]!, alignment) - sizes[i]!;
      if (padding > 0 && i < file.tensors.length - 1) written += await write(handle, Buffer.alloc(padding));
    }
    await handle.close();
    await rename(temporary, path);
    return written;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}

async function write(handle: Awaited<ReturnType<typeof open>>, data: Buffer): Promise<number> {
  await handle.write(data);
  return data.length;
}

function alignmentOf(metadata: Record<string, GgufValue>): number {
  const value = metadata['general.alignment'];
  if (value === undefined) return DEFAULT_ALIGNMENT;
  if (value.type !== 'u32' || typeof value.value !== 'number' || value.value % 8 !== 0)
    throw new RangeError('general.alignment must be a u32 multiple of 8');
  return value.value;
}

function align(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

function writeValue(out: ByteWriter, value: GgufValue): void {
  out.u32(VALUE_TYPE[value.type]);
  if (value.type === 'array') {
    out.u32(VALUE_TYPE[value.itemType]).u64(value.values.length);
    for (const item of value.values) writeScalar(out, value.itemType, item);
  } else {
    writeScalar(out, value.type, value.value);
  }
}

function writeScalar(out: ByteWriter, type: ScalarType, value: number | bigint | boolean | string): void {
  switch (type) {
    case 'string':
      out.string(String(value));
      return;
    case 'bool':
      out.bytes(Buffer.of(value ? 1 : 0));
      return;
    default: {
      const size = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, u64: 8, i64: 8, f64: 8 }[type];
      const buffer = Buffer.alloc(size);
      if (type === 'u8') buffer.writeUInt8(Number(value));
      else if (type === 'i8') buffer.writeInt8(Number(value));
      else if (type === 'u16') buffer.writeUInt16LE(Number(value));
      else if (type === 'i16') buffer.writeInt16LE(Number(value));
      else if (type === 'u32') buffer.writeUInt32LE(Number(value));
      else if (type === 'i32') buffer.writeInt32LE(Number(value));
      else if (type === 'f32') buffer.writeFloatLE(Number(value));
      else if (type === 'u64') buffer.writeBigUInt64LE(BigInt(value));
      else if (type === 'i64') buffer.writeBigInt64LE(BigInt(value));
      else buffer.writeDoubleLE(Number(value));
      out.bytes(buffer);
    }
  }
}

/** Little-endian byte builder for the header section. */
class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private length = 0;

  bytes(buffer: Buffer): this {
    this.chunks.push(buffer);
    this.length += buffer.length;
    return this;
  }

  u32(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    return this.bytes(buffer);
  }

  u64(value: number): this {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    return this.bytes(buffer);
  }

  /** gguf_string_t: u64 byte length, then UTF-8 bytes without a terminator. */
  string(value: string): this {
    const data = Buffer.from(value, 'utf8');
    return this.u64(data.length).bytes(data);
  }

  pad(alignment: number): this {
    const padding = align(this.length, alignment) - this.length;
    return padding > 0 ? this.bytes(Buffer.alloc(padding)) : this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}
