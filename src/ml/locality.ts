/**
 * How local a receptive field is, on a periodic L x L lattice. Around the site where |w| peaks:
 * - halfMassRadius: the smallest periodic distance R such that sites within R hold half of Σ|w|;
 * - concentration(R): the share of Σ|w| within R divided by the share of sites within R (1 for a
 *   field spread evenly, large for a field concentrated around its peak).
 * A block spin is a field with a small half-mass radius and a large concentration.
 */

export interface Locality {
  halfMassRadius: number;
  concentration: number;
}

export function locality(field: ArrayLike<number>, L: number, radius: number): Locality {
  const N = L * L;
  let peak = 0;
  let total = 0;
  for (let i = 0; i < N; i++) {
    const a = Math.abs(field[i]);
    total += a;
    if (a > Math.abs(field[peak])) peak = i;
  }
  const [py, px] = [Math.floor(peak / L), peak % L];
  const distance = (i: number) => {
    const dy = Math.abs(Math.floor(i / L) - py);
    const dx = Math.abs((i % L) - px);
    return Math.hypot(Math.min(dy, L - dy), Math.min(dx, L - dx));
  };
  const sites = Array.from({ length: N }, (_, i) => ({ d: distance(i), a: Math.abs(field[i]) })).sort(
    (p, q) => p.d - q.d,
  );
  let mass = 0;
  let halfMassRadius = NaN;
  let inside = 0;
  let massInside = 0;
  for (const { d, a } of sites) {
    mass += a;
    if (Number.isNaN(halfMassRadius) && mass >= total / 2) halfMassRadius = d;
    if (d <= radius) {
      inside++;
      massInside += a;
    }
  }
  return { halfMassRadius, concentration: total > 0 ? massInside / total / (inside / N) : NaN };
}
