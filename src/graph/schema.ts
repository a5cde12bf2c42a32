/**
 * The structure of a graph file (format version 2), checked before anything is looked up.
 *
 * The objects are loose: a field this app does not know is let through, and parse.ts keeps it (in
 * `extra`) to be written back. Version 1 had no such fields, so parse.ts refuses them in a version-1
 * file, where they can only be typos. Known fields are checked in full either way.
 */
import { z } from 'zod';
import { GRAPH_FORMAT, GRAPH_VERSION, MAX_NOTE_CHARS } from './document';

/** The rule for every id in a file: nodes, edges, frames and notes. */
export const idSchema = z.string().min(1, 'must be a non-empty string').max(200, 'must be at most 200 characters');
const position = z.strictObject({ x: z.number(), y: z.number() });
const extent = z.number().positive('must be positive');

/** A node's shell; its params are checked later against its type's own schema. */
export const nodeSchema = z.looseObject({
  id: idSchema,
  type: z.string().min(1, 'must be a non-empty string'),
  typeVersion: z.number().int().min(1),
  position,
  label: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

/** A node of an unknown type only needs enough shape to be shown and wired; the rest is kept raw. */
export const placeholderNodeSchema = z.looseObject({
  id: idSchema,
  type: z.string().min(1),
  position: position.optional(),
  label: z.string().optional(),
});

export const edgeSchema = z.looseObject({
  id: idSchema,
  source: idSchema,
  sourcePort: idSchema,
  target: idSchema,
  targetPort: idSchema,
});

/** '#rgb', '#rgba', '#rrggbb' or '#rrggbbaa'. */
const HEX_COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

export const frameSchema = z.looseObject({
  id: idSchema,
  title: z.string().max(200, 'must be at most 200 characters'),
  color: z.string().regex(HEX_COLOR, "must be a CSS hex colour such as '#dbeafe'"),
  position,
  size: z.strictObject({ width: extent, height: extent }),
});

export const noteSchema = z.looseObject({
  id: idSchema,
  text: z.string().max(MAX_NOTE_CHARS, `must be at most ${MAX_NOTE_CHARS} characters`),
  position,
  width: extent.optional(),
});

export const viewSchema = z.looseObject({ x: z.number(), y: z.number(), zoom: z.number().positive() });

export const documentSchema = z.looseObject({
  format: z.literal(GRAPH_FORMAT),
  // Migrated to the current version before this schema sees it.
  version: z.literal(GRAPH_VERSION),
  meta: z
    .looseObject({
      title: z.string().optional(),
      description: z.string().optional(),
      app: z.string().optional(),
    })
    .default({}),
  // Nodes, edges, frames and notes are checked one by one, so that each problem names its item;
  // only their containers are checked here.
  nodes: z.array(z.record(z.string(), z.unknown())),
  edges: z.array(z.unknown()).default([]),
  frames: z.array(z.unknown()).default([]),
  notes: z.array(z.unknown()).default([]),
  view: viewSchema.optional(),
});

/** The fields a schema knows, to tell the unknown ones apart. */
export function knownFields(schema: { shape: Record<string, unknown> }): ReadonlySet<string> {
  return new Set(Object.keys(schema.shape));
}
