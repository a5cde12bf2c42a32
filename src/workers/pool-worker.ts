/** The app's pool worker: every node type of the app, run by type id. */
import { nodeDefinitions } from '../../nodes/index';
import { exposeNodeWorker } from './worker-host';

exposeNodeWorker(nodeDefinitions);
