/** The structure of a graph file (format version 1), checked before anything is looked up. */
import { z } from 'zod';
import { GRAPH_FORMAT, GRAPH_VERSION } from './document';

const id = z.string().min(1, 'must be a non-empty string').max(200, 'must be at most 200 characters');
const position = z.strictObject({ x: z.number(), y: z.number() });

/** A node's shell; its params are checked later against its type's own schema. */
export const nodeSchema = z.strictObject({
  id,
  type: z.string().min(1, 'must be a non-empty string'),
  typeVersion: z.number().int().min(1),
  position,
  label: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

/** A node of an unknown type only needs enough shape to be shown and wired; the rest is kept raw. */
export const placeholderNodeSchema = z.looseObject({
  id,
  type: z.string().min(1),
  position: position.optional(),
  label: z.string().optional(),
});

export const edgeSchema = z.strictObject({
  id,
  source: id,
  sourcePort: id,
  target: id,
  targetPort: id,
});

export const documentSchema = z.strictObject({
  format: z.literal(GRAPH_FORMAT),
  version: z.literal(GRAPH_VERSION),
  meta: z
    .looseObject({
      title: z.string().optional(),
      description: z.string().optional(),
      app: z.string().optional(),
    })
    .default({}),
  // Nodes are checked one by one (known type or placeholder), so only their container is checked here.
  nodes: z.array(z.record(z.string(), z.unknown())),
  edges: z.array(z.unknown()).default([]),
  view: z.strictObject({ x: z.number(), y: z.number(), zoom: z.number().positive() }).optional(),
});
