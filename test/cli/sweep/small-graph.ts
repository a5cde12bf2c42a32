/** A graph small enough to sweep in seconds: a Wolff lattice and its observables. */
export function smallGraphText(seed: number): string {
  return JSON.stringify({
    format: 'blockspin.graph',
    version: 1,
    meta: { title: 'small sweep' },
    nodes: [
      {
        id: 'lattice',
        type: 'ising.lattice',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { L: 8, T: 2.3, samples: 300, burnIn: 100, seed, algorithm: 'wolff' },
      },
      { id: 'obs', type: 'measure.observables', typeVersion: 1, position: { x: 300, y: 0 }, params: {} },
    ],
    edges: [{ id: 'e1', source: 'lattice', sourcePort: 'spins', target: 'obs', targetPort: 'spins' }],
  });
}
