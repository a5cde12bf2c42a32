/*
 * The C reference for `npm run bench -- physics`: the same algorithms as Blockspin's JavaScript kernels
 * (src/physics/metropolis.ts, wolff.ts), with the same generator (xoshiro128**) and the same acceptance
 * tables, so the ratio measures the language and the code, not the algorithm. Built with the system's C
 * compiler at -O2 when one is found; prints one JSON object per measurement.
 *
 *   ising metropolis2d L SWEEPS | metropolis1d L SWEEPS | wolff2d L CLUSTERS
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

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: ising metropolis2d|metropolis1d|wolff2d L COUNT\n"); return 2; }
  int L = atoi(argv[2]);
  long count = atol(argv[3]);
  if (!strcmp(argv[1], "metropolis2d")) metropolis2d(L, count);
  else if (!strcmp(argv[1], "metropolis1d")) metropolis1d(L, count);
  else if (!strcmp(argv[1], "wolff2d")) wolff2d(L, count);
  else { fprintf(stderr, "unknown kernel %s\n", argv[1]); return 2; }
  return 0;
}
