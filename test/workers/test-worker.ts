/** A pool worker with the test node types. */
import { exposeNodeWorker } from '../../src/workers/worker-host';
import { testNodes } from '../helpers/test-nodes';
import { workerOnlyNodes } from '../helpers/worker-test-nodes';
import { watchdogNodes } from './watchdog-nodes';

exposeNodeWorker([...testNodes, ...workerOnlyNodes, ...watchdogNodes]);
