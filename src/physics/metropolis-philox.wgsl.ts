/**
 * The WGSL of the Philox checkerboard Metropolis kernel (the algorithm: metropolis-philox.ts, whose JS twin it
 * must match bit for bit). A TypeScript string, so Vite, Node and tsx all load it as a plain module.
 *
 * - `sweep`: one colour of one sweep for every chain at once. Thread g is site group q of chain c (each chain's
 *   colour has GROUPS = ceil(L²/2 / 4) groups); it draws one Philox4x32-10 block and updates up to four sites.
 * - `pack`: copies the lattices, 4 spins per u32 as int8 bytes, into sample slot `step.slot`, so a read-back
 *   is the output's Int8Array layout.
 * Integer arithmetic only: the 32 x 32 -> 64-bit products of Philox are built from 16-bit halves.
 * The step (sweep, colour, sample slot) comes from a uniform at a dynamic offset, one per dispatch.
 */
export const WORKGROUP_SIZE = 64;
/** Workgroups per row of a dispatch grid; more go into further rows (the limit per dimension is 65535). */
export const GRID_ROW_WORKGROUPS = 32768;
/** Bytes between steps in the uniform buffer: WebGPU's default minUniformBufferOffsetAlignment. */
export const STEP_STRIDE = 256;

export const METROPOLIS_PHILOX_WGSL = /* wgsl */ `
override L: u32;
override CHAINS: u32;
override HALF_ROW: u32 = L / 2u;
override SITES: u32 = L * L;
override HALF: u32 = SITES / 2u;
override GROUPS: u32 = (HALF + 3u) / 4u;
const ROW_THREADS: u32 = ${GRID_ROW_WORKGROUPS}u * ${WORKGROUP_SIZE}u;

const M0: u32 = 0xd2511f53u;
const M1: u32 = 0xcd9e8d57u;
const W0: u32 = 0x9e3779b9u;
const W1: u32 = 0xbb67ae85u;

struct Step {
  sweep_lo: u32,
  sweep_hi: u32,
  colour: u32,
  slot: u32,
}

@group(0) @binding(0) var<storage, read_write> spins: array<i32>;
// 16 per chain: the thresholds of the 10 (spin, neighbour sum) cases, then the always-accept mask
@group(0) @binding(1) var<storage, read> thresholds: array<u32>;
// 4 per chain: the Philox key (seed, hash of T), the replica (counter word 3), unused
@group(0) @binding(2) var<storage, read> keys: array<u32>;
@group(0) @binding(3) var<storage, read_write> samples: array<u32>;
@group(0) @binding(4) var<uniform> step: Step;

// The high and low words of a * b.
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a_lo = a & 0xffffu;
  let a_hi = a >> 16u;
  let b_lo = b & 0xffffu;
  let b_hi = b >> 16u;
  let ll = a_lo * b_lo;
  let lh = a_lo * b_hi;
  let hl = a_hi * b_lo;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  let hi = a_hi * b_hi + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
  return vec2<u32>(hi, a * b);
}

fn philox4x32_10(counter: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var x = counter;
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    if (round > 0u) {
      k = k + vec2<u32>(W0, W1);
    }
    let p0 = mulhilo(M0, x.x);
    let p1 = mulhilo(M1, x.z);
    x = vec4<u32>(p1.x ^ x.y ^ k.x, p1.y, p0.x ^ x.w ^ k.y, p0.y);
  }
  return x;
}

// Site j of the colour (row-major among that colour's sites) of the chain whose lattice starts at base.
fn update(base: u32, table: u32, always: u32, j: u32, u: u32) {
  let y = j / HALF_ROW;
  let x = 2u * (j - y * HALF_ROW) + ((y + step.colour) & 1u);
  let row = base + y * L;
  let left = select(x - 1u, L - 1u, x == 0u);
  let right = select(x + 1u, 0u, x == L - 1u);
  let up = base + select(y - 1u, L - 1u, y == 0u) * L;
  let down = base + select(y + 1u, 0u, y == L - 1u) * L;
  let s = spins[row + x];
  let sum = spins[row + left] + spins[row + right] + spins[up + x] + spins[down + x];
  let entry = u32((s + 1) / 2 * 5 + (sum + 4) / 2);
  if (((always >> entry) & 1u) != 0u || u < thresholds[table + entry]) {
    spins[row + x] = -s;
  }
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn sweep(@builtin(global_invocation_id) id: vec3<u32>) {
  let g = id.x + id.y * ROW_THREADS;
  if (g >= GROUPS * CHAINS) {
    return;
  }
  let chain = g / GROUPS;
  let q = g - chain * GROUPS;
  let key = vec2<u32>(keys[4u * chain], keys[4u * chain + 1u]);
  let counter = vec4<u32>(q, step.sweep_lo, (step.sweep_hi << 2u) | step.colour, keys[4u * chain + 2u]);
  let words = philox4x32_10(counter, key);
  let base = chain * SITES;
  let table = 16u * chain;
  let always = thresholds[table + 10u];
  let j = 4u * q;
  // The last group of a colour may hold fewer than 4 sites (L² / 2 not divisible by 4).
  update(base, table, always, j, words.x);
  if (j + 1u < HALF) {
    update(base, table, always, j + 1u, words.y);
  }
  if (j + 2u < HALF) {
    update(base, table, always, j + 2u, words.z);
  }
  if (j + 3u < HALF) {
    update(base, table, always, j + 3u, words.w);
  }
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn pack(@builtin(global_invocation_id) id: vec3<u32>) {
  let w = id.x + id.y * ROW_THREADS;
  let words = CHAINS * SITES / 4u;
  if (w >= words) {
    return;
  }
  let i = 4u * w;
  let b0 = bitcast<u32>(spins[i]) & 0xffu;
  let b1 = bitcast<u32>(spins[i + 1u]) & 0xffu;
  let b2 = bitcast<u32>(spins[i + 2u]) & 0xffu;
  let b3 = bitcast<u32>(spins[i + 3u]) & 0xffu;
  samples[step.slot * words + w] = b0 | (b1 << 8u) | (b2 << 16u) | (b3 << 24u);
}
`;
