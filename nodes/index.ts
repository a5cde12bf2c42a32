/**
 * The node types of the app, in palette order: the one explicit registry list. The main thread, the
 * worker pool and the CLI all build their registry from it.
 */
import type { AnyNodeDefinition } from '../src/graph/node-definition';
import { NodeRegistry } from '../src/graph/registry';

export const nodeDefinitions: AnyNodeDefinition[] = [];

export function appRegistry(): NodeRegistry {
  return new NodeRegistry(nodeDefinitions);
}
