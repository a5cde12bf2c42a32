/*
 * The C reference for `npm run bench -- physics`: the same algorithms as Blockspin's JavaScript kernels
 * (src/physics/metropolis.ts, wolff.ts), with the same generator (xoshiro128**) and the same acceptance
 * tables, so the ratio measures the language and the code, not the algorithm. Built with the system's C
 * compiler at -O2 when one is found; prints one JSON object per measurement.
 *
 *   ising metropolis2d L SWEEPS | metropolis1d L SWEEPS | wolff2d L CLUSTERS | multispin2d L SWEEPS
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint32_t s[4] = {0x9e3779b9u, 0x243f6a88u, 0xb7e15162u, 0x85a308d3u};
static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static inline uint32_t next(void) {
  uint32_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return r;
}
static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}
static const double TC = 2.269185314213022;

static void metropolis2d(int L, long sweeps) {
  int8_t *d = malloc((size_t)L * L);
  for (long i = 0; i < (long)L * L; i++) d[i] = (next() & 1) ? 1 : -1;
  double thr[18];
  for (int sp = -1; sp <= 1; sp += 2)
    for (int S = -4; S <= 4; S++) {
      double p = exp(-2.0 * sp * S / TC);
      thr[sp * S + 4 + 9 * ((sp + 1) >> 1)] = (p > 1 ? 1 : p) * 4294967296.0;
    }
  double start = now_ns();
  for (long sw = 0; sw < sweeps; sw++)
    for (int parity = 0; parity < 2; parity++)
      for (int y = 0; y < L; y++) {
        int row = y * L, up = (y == 0 ? L - 1 : y - 1) * L, down = (y == L - 1 ? 0 : y + 1) * L;
        for (int x = (y + parity) & 1; x < L; x += 2) {
          int i = row + x, left = x == 0 ? row + L - 1 : i - 1, right = x == L - 1 ? row : i + 1;
          int sum = d[left] + d[right] + d[up + x] + d[down + x], sp = d[i];
          int accept = next() < thr[sp * sum + 4 + 9 * ((sp + 1) >> 1)];
          d[i] = (int8_t)(sp - 2 * sp * accept);
        }
      }
  double ns = (now_ns() - start) / ((double)sweeps * L * L);
  long m = 0;
  for (long i = 0; i < (long)L * L; i++) m += d[i];
  printf("{\"kernel\":\"metropolis2d\",\"L\":%d,\"ns\":%.4f,\"check\":%ld}\n", L, ns, m);
  free(d);
}

static void metropolis1d(int L, long sweeps) {
  int8_t *d = malloc(L);
  for (int i = 0; i < L; i++) d[i] = (next() & 1) ? 1 : -1;
  double thr[10];
  for (int sp = -1; sp <= 1; sp += 2)
    for (int S = -2; S <= 2; S++) {
      double p = exp(-2.0 * sp * S / 1.0);
      thr[sp * S + 2 + 5 * ((sp + 1) >> 1)] = (p > 1 ? 1 : p) * 4294967296.0;
    }
  uint32_t reject_below = (uint32_t)((4294967296ull - L) % L);
  double start = now_ns();
  long attempts = sweeps * L;
  for (long a = 0; a < attempts; a++) {
    uint64_t m;
    do m = (uint64_t)next() * L; while ((uint32_t)m < reject_below);
    int i = (int)(m >> 32);
    int sum = d[i == 0 ? L - 1 : i - 1] + d[i == L - 1 ? 0 : i + 1], sp = d[i];
    int accept = next() < thr[sp * sum + 2 + 5 * ((sp + 1) >> 1)];
    d[i] = (int8_t)(sp - 2 * sp * accept);
  }
  double ns = (now_ns() - start) / (double)attempts;
  long mag = 0;
  for (int i = 0; i < L; i++) mag += d[i];
  printf("{\"kernel\":\"metropolis1d\",\"L\":%d,\"ns\":%.4f,\"check\":%ld}\n", L, ns, mag);
  free(d);
}

static void wolff2d(int L, long clusters) {
  long N = (long)L * L;
  int8_t *d = malloc(N);
  int32_t *stack = malloc(N * sizeof(int32_t));
  for (long i = 0; i < N; i++) d[i] = (next() & 1) ? 1 : -1;
  uint32_t thr = (uint32_t)((1 - exp(-2.0 / TC)) * 4294967296.0);
  long flipped = 0;
  double start = 0;
  for (long c = 0; c < clusters + 1000; c++) {
    if (c == 1000) { start = now_ns(); flipped = 0; }
    uint64_t m;
    uint32_t reject_below = (uint32_t)((4294967296ull - N) % N);
    do m = (uint64_t)next() * N; while ((uint32_t)m < reject_below);
    int32_t seed = (int32_t)(m >> 32);
    int8_t spin = d[seed];
    d[seed] = -spin;
    stack[0] = seed;
    long top = 1, size = 1;
    while (top > 0) {
      int32_t i = stack[--top];
      int y = i / L, x = i - y * L;
      int32_t nb[4] = {x == 0 ? i + L - 1 : i - 1, x == L - 1 ? i - L + 1 : i + 1,
                       y == 0 ? i + (L - 1) * L : i - L, y == L - 1 ? x : i + L};
      for (int k = 0; k < 4; k++) {
        int32_t j = nb[k];
        if (d[j] != spin) continue;
        if (next() < thr) { d[j] = -spin; stack[top++] = j; size++; }
      }
    }
    flipped += size;
  }
  double ns = (now_ns() - start) / (double)flipped;
  printf("{\"kernel\":\"wolff2d\",\"L\":%d,\"ns\":%.4f,\"check\":%ld}\n", L, ns, flipped);
  free(d);
  free(stack);
}

/* src/physics/metropolis-msc.ts: n lanes per 32-bit word, each decided bit-plane by bit-plane. */
static void multispin2d(int L, long sweeps) {
  int n = 0;
  for (int k = 32; k >= 8 && !n; k--) if (L % k == 0 && (L / k) % 2 == 0) n = k;
  if (!n) { fprintf(stderr, "multispin2d: no lane count for L = %d\n", L); exit(2); }
  int W = L / n, top = n - 1;
  uint32_t mask = n == 32 ? 0xffffffffu : (1u << n) - 1;
  uint32_t *w = malloc((size_t)L * W * sizeof(uint32_t));
  for (long i = 0; i < (long)L * W; i++) w[i] = next() & mask;
  uint32_t p4[64], p8[64];
  double r4 = exp(-4.0 / TC), r8 = exp(-8.0 / TC);
  for (int k = 0; k < 64; k++) {
    r4 *= 2; r8 *= 2;
    p4[k] = r4 >= 1 ? 0xffffffffu : 0; if (r4 >= 1) r4 -= 1;
    p8[k] = r8 >= 1 ? 0xffffffffu : 0; if (r8 >= 1) r8 -= 1;
  }
  double start = now_ns();
  for (long sw = 0; sw < sweeps; sw++)
    for (int parity = 0; parity < 2; parity++)
      for (int y = 0; y < L; y++) {
        int row = y * W, up = (y == 0 ? L - 1 : y - 1) * W, down = (y == L - 1 ? 0 : y + 1) * W;
        for (int x = (y + parity) & 1; x < W; x += 2) {
          int i = row + x;
          uint32_t sp = w[i], lw = w[x == 0 ? row + W - 1 : i - 1], rw = w[x == W - 1 ? row : i + 1];
          uint32_t left = x == 0 ? ((lw << 1) | (lw >> top)) & mask : lw;
          uint32_t right = x == W - 1 ? (rw >> 1) | ((rw & 1u) << top) : rw;
          uint32_t a1 = sp ^ left, a2 = sp ^ right, a3 = sp ^ w[up + x], a4 = sp ^ w[down + x];
          uint32_t s12 = a1 ^ a2, s34 = a3 ^ a4;
          uint32_t two = (a1 & a2) | (a3 & a4) | (s12 & s34), any = a1 | a2 | a3 | a4;
          uint32_t one = any & ~two, zero = ~any & mask, flip = two, undecided = one | zero;
          for (int k = 0; undecided && k < 64; k++) {
            uint32_t u = next(), digit = (one & p4[k]) | (zero & p8[k]);
            flip |= undecided & ~u & digit;
            undecided &= ~(u ^ digit);
          }
          w[i] = sp ^ flip;
        }
      }
  double ns = (now_ns() - start) / ((double)sweeps * L * L);
  long m = 0;
  for (long i = 0; i < (long)L * W; i++) m += __builtin_popcount(w[i]);
  printf("{\"kernel\":\"multispin2d\",\"L\":%d,\"ns\":%.4f,\"check\":%ld}\n", L, ns, m);
  free(w);
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: ising metropolis2d|metropolis1d|wolff2d|multispin2d L COUNT\n"); return 2; }
  int L = atoi(argv[2]);
  long count = atol(argv[3]);
  if (!strcmp(argv[1], "metropolis2d")) metropolis2d(L, count);
  else if (!strcmp(argv[1], "metropolis1d")) metropolis1d(L, count);
  else if (!strcmp(argv[1], "wolff2d")) wolff2d(L, count);
  else if (!strcmp(argv[1], "multispin2d")) multispin2d(L, count);
  else { fprintf(stderr, "unknown kernel %s\n", argv[1]); return 2; }
  return 0;
}
