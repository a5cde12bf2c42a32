/**
 * Exact averages of the periodic L x L Ising lattice by a row transfer matrix that carries the magnetisation
 * (L <= 6: 2^L row states, and the sum over all first rows closes the torus), for the |m| and m² that have no
 * closed form on a finite lattice. Enumeration (src/physics/exact.ts) reaches only L = 5; this reaches the
 * even L = 6 that checkerboard kernels need. Checked against enumeration at L = 4 and Kaufman's energy at 6.
 */

export interface TransferMatrixResult {
  /** <E>/N. */
  e: number;
  /** <|M|>/N. */
  absm: number;
  /** <(M/N)²>. */
  m2: number;
}

/** Bonds as in enumerateIsing2D: each site with its right and its lower neighbour (periodic). */
export function exactByTransferMatrix(L: number, T: number, J = 1, h = 0): TransferMatrixResult {
  if (!Number.isInteger(L) || L < 2 || L > 6) throw new RangeError(`exactByTransferMatrix: L must be 2..6, got ${L}`);
  const N = L * L;
  if ((N * (2 * Math.abs(J) + Math.abs(h))) / T > 600)
    throw new RangeError('exactByTransferMatrix: T too low (overflow)');
  const R = 1 << L;
  const width = 2 * N + 1; // M + N
  const spin = (r: number, x: number) => ((r >> x) & 1 ? 1 : -1);
  const rowE = new Float64Array(R);
  const rowM = new Int32Array(R);
  for (let r = 0; r < R; r++) {
    for (let x = 0; x < L; x++) {
      rowE[r] += -J * spin(r, x) * spin(r, (x + 1) % L) - h * spin(r, x);
      rowM[r] += spin(r, x);
    }
  }
  const bondE = new Float64Array(R * R);
  for (let r = 0; r < R; r++) {
    for (let q = 0; q < R; q++) {
      for (let x = 0; x < L; x++) bondE[r * R + q] += -J * spin(r, x) * spin(q, x);
    }
  }
  // Going from row r to row q: the bonds between them and q's own energy.
  const stepE = new Float64Array(R * R);
  const stepW = new Float64Array(R * R);
  for (let r = 0; r < R; r++) {
    for (let q = 0; q < R; q++) {
      stepE[r * R + q] = bondE[r * R + q] + rowE[q];
      stepW[r * R + q] = Math.exp(-stepE[r * R + q] / T);
    }
  }
  let Z = 0;
  let EZ = 0;
  let absmZ = 0;
  let m2Z = 0;
  // v[r][M]: the weight of the rows so far ending in row r with magnetisation M; ve: the same times their energy.
  let v = new Float64Array(R * width);
  let ve = new Float64Array(R * width);
  let nv = new Float64Array(R * width);
  let nve = new Float64Array(R * width);
  for (let a = 0; a < R; a++) {
    v.fill(0);
    ve.fill(0);
    const w0 = Math.exp(-rowE[a] / T);
    v[a * width + rowM[a] + N] = w0;
    ve[a * width + rowM[a] + N] = w0 * rowE[a];
    for (let row = 1; row < L; row++) {
      nv.fill(0);
      nve.fill(0);
      const lo = N - row * L;
      const hi = N + row * L;
      for (let r = 0; r < R; r++) {
        for (let q = 0; q < R; q++) {
          const w = stepW[r * R + q];
          const dE = stepE[r * R + q];
          const shift = rowM[q];
          for (let m = lo; m <= hi; m++) {
            const x = v[r * width + m];
            if (x === 0) continue;
            nv[q * width + m + shift] += x * w;
            nve[q * width + m + shift] += (ve[r * width + m] + x * dE) * w;
          }
        }
      }
      [v, nv] = [nv, v];
      [ve, nve] = [nve, ve];
    }
    // Close the torus: the bonds from the last row back to the first.
    for (let r = 0; r < R; r++) {
      const dE = bondE[r * R + a];
      const w = Math.exp(-dE / T);
      for (let m = 0; m < width; m++) {
        const x = v[r * width + m];
        if (x === 0) continue;
        const M = (m - N) / N;
        Z += x * w;
        EZ += (ve[r * width + m] + x * dE) * w;
        absmZ += x * w * Math.abs(M);
        m2Z += x * w * M * M;
      }
    }
  }
  return { e: EZ / Z / N, absm: absmZ / Z, m2: m2Z / Z };
}
