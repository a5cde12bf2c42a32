import type { AnyNodeDefinition } from './node-definition';

/** The node types an app (or a test) knows, by type id. */
export class NodeRegistry {
  private readonly byType = new Map<string, AnyNodeDefinition>();

  constructor(definitions: readonly AnyNodeDefinition[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) {
        throw new Error(`node type '${definition.type}' is registered twice`);
      }
      this.byType.set(definition.type, definition);
    }
  }

  get(type: string): AnyNodeDefinition | undefined {
    return this.byType.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  all(): AnyNodeDefinition[] {
    return [...this.byType.values()];
  }
}
