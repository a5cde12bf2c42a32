// Node cannot load a .ts module in a worker thread by itself, and tsx registers its loader only in
// the main thread: register it in every worker thread too (see STACK.md).
import { isMainThread } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

if (!isMainThread) register();
