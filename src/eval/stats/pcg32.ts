/**
 * A seeded random number generator for resampling: PCG32 (O'Neill 2014, PCG-XSH-RR 64/32) exactly
 * as the reference `pcg32_srandom_r` / `pcg32_random_r` / `pcg32_boundedrand_r`, so a seed printed
 * in a report reproduces the same resamples on any machine and in C, Python or Rust ports.
 * The 64-bit state is kept as two 32-bit halves to stay off BigInt on the hot path.
 */

export interface Random {
  /** The next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number;
  /** A uniform integer in [0, bound), without modulo bias. */
  nextBelow(bound: number): number;
}

// Multiplier 6364136223846793005 = 0x5851f42d_4c957f2d.
const MUL_HI = 0x5851f42d;
const MUL_LO = 0x4c957f2d;

/** Low 64 bits of (aHi:aLo) × (bHi:bLo), as [hi, lo] unsigned halves. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): [number, number] {
  // 16-bit limbs keep every partial product exact in a double.
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const mid = a1 * b0 + a0 * b1 + (p00 >>> 16);
  const lo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  const carry = Math.floor(mid / 0x10000) + a1 * b1;
  const hi = (carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
  return [hi, lo >>> 0];
}

function add64(aHi: number, aLo: number, bHi: number, bLo: number): [number, number] {
  const lo = aLo + bLo;
  const hi = aHi + bHi + (lo > 0xffffffff ? 1 : 0);
  return [hi >>> 0, lo >>> 0];
}

/**
 * Seeds as `pcg32_srandom_r(&rng, initState, initSeq)`. Seeds are 64-bit; numbers must be safe
 * integers, bigints take the full range.
 *
 * @example
 * const rng = createPcg32(42, 54);
 * rng.nextUint32().toString(16)   // 'a15c02b7', the reference demo's first output
 */
export function createPcg32(
  initState: number | bigint,
  initSeq: number | bigint = 0xda3e39cb94b95bdbn,
): Random {
  const split = (value: number | bigint): [number, number] => {
    const v = BigInt.asUintN(64, BigInt(value));
    return [Number(v >> 32n), Number(v & 0xffffffffn)];
  };
  let [stateHi, stateLo] = [0, 0];
  const [seqHi, seqLo] = split(initSeq);
  // inc = (initseq << 1) | 1
  const incHi = ((seqHi << 1) | (seqLo >>> 31)) >>> 0;
  const incLo = ((seqLo << 1) | 1) >>> 0;

  const step = () => {
    [stateHi, stateLo] = mul64(stateHi, stateLo, MUL_HI, MUL_LO);
    [stateHi, stateLo] = add64(stateHi, stateLo, incHi, incLo);
  };
  const nextUint32 = () => {
    const oldHi = stateHi;
    const oldLo = stateLo;
    step();
    // xorshifted = ((old >> 18) ^ old) >> 27, truncated to 32 bits; rot = old >> 59.
    const xHi = (oldHi >>> 18) ^ oldHi;
    const xLo = (((oldHi << 14) | (oldLo >>> 18)) ^ oldLo) >>> 0;
    const xorshifted = ((xHi << 5) | (xLo >>> 27)) >>> 0;
    const rot = oldHi >>> 27;
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  };

  step();
  const [seedHi, seedLo] = split(initState);
  [stateHi, stateLo] = add64(stateHi, stateLo, seedHi, seedLo);
  step();

  return {
    nextUint32,
    nextBelow(bound: number): number {
      if (!Number.isInteger(bound) || bound < 1 || bound > 0x100000000) {
        throw new RangeError(`bound must be an integer from 1 to 2^32, got ${bound}`);
      }
      // pcg32_boundedrand_r: reject the low (2^32 mod bound) values so every residue is equally likely.
      const threshold = (0x100000000 - bound) % bound;
      for (;;) {
        const r = nextUint32();
        if (r >= threshold) return r % bound;
      }
    },
  };
}
