/**
 * The structure of a graph file (format version 2), checked before anything is looked up.
 *
 * The objects are loose: a field this app does not know is let through, and parse.ts keeps it (in
 * `extra`) to be written back. Version 1 had no such fields, so parse.ts refuses them in a version-1
 * file, where they can only be typos. Known fields are checked in full either way.
 */
import { z } from 'zod';
import { GRAPH_FORMAT, GRAPH_VERSION, MAX_NOTE_CHARS } from './document';
import { TYPE_ID } from './node-definition';

/**
 * The rule for every id in a file (nodes, edges, frames and notes) and for port names: the characters the
 * editor itself uses. Ids become file names, HTML attributes and terminal text, so nothing else is let in.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const ID_RULE = '1 to 64 characters, each a letter, digit, underscore, dot or hyphen';
export const idSchema = z.string().regex(ID_PATTERN, `must be ${ID_RULE}`);
/** A node type id as defineNode checks it, so an unknown type from a newer app still looks like one. */
const typeSchema = z
  .string()
  .max(100, 'must be at most 100 characters')
  .regex(TYPE_ID, "must be a node type id: lower-case words joined by '.' or '-', such as 'ising.lattice'");
const position = z.strictObject({ x: z.number(), y: z.number() });
const extent = z.number().positive('must be positive');

/** A node's shell; its params are checked later against its type's own schema. */
export const nodeSchema = z.looseObject({
  id: idSchema,
  type: typeSchema,
  typeVersion: z.number().int().min(1),
  position,
  label: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

/** A node of an unknown type only needs enough shape to be shown and wired; the rest is kept raw. */
export const placeholderNodeSchema = z.looseObject({
  id: idSchema,
  type: typeSchema,
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
