/**
 * Port types: what flows along an edge. Values are plain objects with typed arrays (see values.ts),
 * so they cross a worker boundary by structured clone or transfer.
 */
export const PORT_TYPES = {
  spins: { title: 'Spins', color: '#3b82f6', doc: 'Ising configurations (±1) with the temperature of each sample' },
  tensor: { title: 'Tensor', color: '#8b5cf6', doc: 'A float32 array with a shape' },
  rbm: { title: 'RBM', color: '#f97316', doc: 'A trained restricted Boltzmann machine (and the stack below it)' },
  series: { title: 'Series', color: '#10b981', doc: 'Named curves over one x, with optional error bars' },
  table: { title: 'Table', color: '#eab308', doc: 'Columns and rows of numbers' },
  figure: { title: 'Figure', color: '#ec4899', doc: 'A figure spec: panels of marks with axes' },
  any: { title: 'Any', color: '#6b7280', doc: 'Accepts a value of any type' },
} as const;

export type PortType = keyof typeof PORT_TYPES;

export const PORT_TYPE_IDS = Object.keys(PORT_TYPES) as PortType[];

export function isPortType(value: string): value is PortType {
  return Object.prototype.hasOwnProperty.call(PORT_TYPES, value);
}

/** Types accepted by an input of a given type, besides that type itself. */
const WIDENINGS: Partial<Record<PortType, readonly PortType[]>> = {
  // A spins value is a tensor of ±1 with extra labels.
  tensor: ['spins'],
};

/** Whether an output of type `from` may be wired into an input of type `to`. */
export function canConnect(from: PortType, to: PortType): boolean {
  if (to === 'any' || from === to) return true;
  return WIDENINGS[to]?.includes(from) ?? false;
}

/** Why an edge from `from` to `to` is refused, or null when it is allowed. */
export function connectionError(from: PortType, to: PortType): string | null {
  if (canConnect(from, to)) return null;
  const accepted = [to, ...(WIDENINGS[to] ?? [])].join(' or ');
  return `a ${from} output cannot feed a ${to} input (it accepts ${accepted})`;
}
