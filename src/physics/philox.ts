/**
 * Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11; the
 * Random123 library): a counter-based generator. Each call maps a 128-bit counter and a 64-bit key to 128
 * random bits, with no state carried from one call to the next, so any number of GPU threads draw their own
 * numbers by naming them: (seed, temperature) as the key, (site, sweep, colour, replica) as the counter.
 *
 * Integer arithmetic only, so every JavaScript engine and every GPU gives the same bits. WGSL has no 64-bit
 * integers, so the kernel (metropolis-philox.wgsl.ts) builds the 32 x 32 -> 64-bit products from 16-bit
 * halves, as `mulhi32` does; `philox4x32` gets the same high words with the partial sums in doubles (exact
 * below 2^53), which is faster in JavaScript. The tests check both against BigInt and Random123's
 * known-answer vectors.
 */

/** Philox's round multipliers and Weyl key increments (Random123's PHILOX_M4x32_0/1, PHILOX_W32_0/1). */
export const PHILOX_M0 = 0xd2511f53;
export const PHILOX_M1 = 0xcd9e8d57;
export const PHILOX_W0 = 0x9e3779b9;
export const PHILOX_W1 = 0xbb67ae85;
export const PHILOX_ROUNDS = 10;
const M0_LO = PHILOX_M0 & 0xffff;
const M0_HI = PHILOX_M0 >>> 16;
const M1_LO = PHILOX_M1 & 0xffff;
const M1_HI = PHILOX_M1 >>> 16;

/** The high 32 bits of the 64-bit product of two uint32s, from 16-bit halves (every partial product < 2^32). */
export function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aHi * bHi + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * Philox4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1), written into out[0..3] as uint32s. The key is
 * bumped by the Weyl constants before rounds 2..10, as Random123 does.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let x0 = c0 | 0;
  let x1 = c1 | 0;
  let x2 = c2 | 0;
  let x3 = c3 | 0;
  let key0 = k0 | 0;
  let key1 = k1 | 0;
  for (let round = 0; round < PHILOX_ROUNDS; round++) {
    if (round > 0) {
      key0 = (key0 + PHILOX_W0) | 0;
      key1 = (key1 + PHILOX_W1) | 0;
    }
    // mulhi32 inlined, with the multiplier's halves as constants: x M = xHi MHi 2^32 + (xHi MLo + xLo MHi) 2^16
    // + xLo MLo, and every sum below stays under 2^35, exact in a double.
    const lo0 = x0 & 0xffff;
    const up0 = x0 >>> 16;
    const lo2 = x2 & 0xffff;
    const up2 = x2 >>> 16;
    const hi0 = up0 * M0_HI + (((up0 * M0_LO + lo0 * M0_HI + ((lo0 * M0_LO) >>> 16)) / 65536) | 0);
    const hi1 = up2 * M1_HI + (((up2 * M1_LO + lo2 * M1_HI + ((lo2 * M1_LO) >>> 16)) / 65536) | 0);
    const y0 = hi1 ^ x1 ^ key0;
    const y2 = hi0 ^ x3 ^ key1;
    x1 = Math.imul(PHILOX_M1, x2);
    x3 = Math.imul(PHILOX_M0, x0);
    x0 = y0;
    x2 = y2;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}
