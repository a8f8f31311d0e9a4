import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeTensor, fromHalf, tensorByteSize, toHalf } from './ggml-types.js';

describe('ggml encodings', () => {
  test('toHalf rounds to the nearest binary16, with Inf on overflow and subnormals near zero', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff],
      [65520, 0x7c00], // halfway to the next binade rounds to even: Inf
      [2 ** -24, 0x0001],
      [2 ** -26, 0x0000],
      [Number.POSITIVE_INFINITY, 0x7c00],
    ];
    for (const [value, bits] of cases) assert.equal(toHalf(value), bits, `toHalf(${value})`);
    assert.ok(Number.isNaN(fromHalf(toHalf(Number.NaN))));
    for (const value of [0.5, -3.25, 1024, 2 ** -20]) assert.equal(fromHalf(toHalf(value)), value);
  });

  test('Q8_0 stores an f16 scale (max|x|/127) and 32 rounded int8 per block', () => {
    const values = new Float32Array(64).map((_, i) => (i < 32 ? (i - 16) / 100 : 0));
    values[5] = 1.27;
    const bytes = encodeTensor('Q8_0', values);
    assert.equal(bytes.length, tensorByteSize('Q8_0', 64));
    assert.equal(bytes.length, 68);
    assert.ok(Math.abs(fromHalf(bytes.readUInt16LE(0)) - 0.01) < 1e-5);
    assert.equal(bytes.readInt8(2 + 5), 127);
    assert.equal(bytes.readInt8(2 + 0), -16);
    assert.equal(bytes.readUInt16LE(34), 0, 'an all-zero block has scale 0');
    assert.throws(() => tensorByteSize('Q8_0', 33), RangeError);
  });
});
