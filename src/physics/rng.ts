/**
 * xoshiro128** (Blackman & Vigna): a fast, seedable generator on 32-bit integer arithmetic, so the
 * same seed gives the same numbers in every JavaScript engine. Hot kernels copy `state` into locals
 * and inline the step (see `xoshiroStep` for the reference form).
 */

/** splitmix32: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Hashes a float64 to 32 bits: used to give each temperature its own stream. */
export function hashNumber(value: number): number {
  const words = new Uint32Array(new Float64Array([value]).buffer);
  let h = Math.imul(words[0] ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ words[1], 0x85ebca77);
  return (h ^ (h >>> 13)) >>> 0;
}

export class Rng {
  /** s0..s3 of xoshiro128**; never all zero. */
  readonly state = new Uint32Array(4);

  /** A generator for `seed`; distinct `stream`s give independent sequences for the same seed. */
  constructor(seed: number, stream = 0) {
    const mix = splitmix32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stream >>> 0, 0x7f4a7c15)) >>> 0);
    mix(); // decorrelate nearby seeds
    for (let i = 0; i < 4; i++) this.state[i] = mix();
    if (!(this.state[0] | this.state[1] | this.state[2] | this.state[3])) this.state[0] = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform number in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextU32() * 2.3283064365386963e-10;
  }

  /**
   * Fills `out` with uniform numbers in [0, 1) of 24 random bits each (exact in float32, never 1): the
   * same values as (nextU32() >>> 8) * 2^-24 one by one, with the step inlined on locals.
   */
  fillUniform24(out: Float32Array): void {
    const s = this.state;
    let [s0, s1, s2, s3] = [s[0], s[1], s[2], s[3]];
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(s1, 5);
      const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = (result >>> 8) * 5.960464477539063e-8;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  }

  /** A uniform integer in [0, n), n <= 2^32 (Lemire's nearly-divisionless method, unbiased). */
  below(n: number): number {
    if (n <= 0) throw new Error(`Rng.below needs n > 0, got ${n}`);
    for (;;) {
      const x = this.nextU32();
      const m = x * n;
      const low = m % 4294967296;
      if (low >= (4294967296 - n) % n) return Math.floor(m / 4294967296);
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** 2^32 as a float: a uint32 u is below p * 2^32 with probability p. */
export const TWO_POW_32 = 4294967296;

/** The uint32 threshold for an event of probability p: `u < threshold(p)` happens with probability p. */
export function threshold(p: number): number {
  return Math.min(1, Math.max(0, p)) * TWO_POW_32;
}
