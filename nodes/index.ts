/**
 * The node types of the app, in palette order: the one explicit registry list. The main thread, the
 * worker pool and the CLI all build their registry from it.
 */
import type { AnyNodeDefinition } from '../src/graph/node-definition';
import { NodeRegistry } from '../src/graph/registry';
import { blockspinNode } from './blockspin/index';
import { compareNode } from './compare/index';
import { correlationNode } from './correlation/index';
import { dataImportNode } from './data-import/index';
import { exactNode } from './exact/index';
import { latticeNode } from './lattice/index';
import { mcrgNode } from './mcrg/index';
import { observablesNode } from './observables/index';
import { plotNode } from './plot/index';
import { exactIsingRbmNode } from './rbm-exact-ising/index';
import { hiddenSpinsNode } from './rbm-hidden-spins/index';
import { rbmLayerNode } from './rbm-layer/index';
import { rbmFlowNode } from './rbm-flow/index';
import { rbmPerTemperatureNode } from './rbm-per-temperature/index';
import { samplerNode } from './rbm-sampler/index';

export const nodeDefinitions: AnyNodeDefinition[] = [
  latticeNode,
  dataImportNode,
  blockspinNode,
  mcrgNode,
  observablesNode,
  correlationNode,
  rbmLayerNode,
  rbmPerTemperatureNode,
  exactIsingRbmNode,
  samplerNode,
  hiddenSpinsNode,
  rbmFlowNode,
  exactNode,
  plotNode,
  compareNode,
];

export function appRegistry(): NodeRegistry {
  return new NodeRegistry(nodeDefinitions);
}
