/**
 * A worker thread of the parallel `check` benchmark (bench/check.ts): one block of the BFS
 * frontier, as cli/check-worker.ts holds it for `replisim check --workers N` (built-in
 * protocols only; no plugin files).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findProtocol } from '../protocol/registry.js';
import { linearizabilityHistoryCheck } from '../properties/linearizable.js';
import {
  checkerModel, LevelExpander, type CheckerOptions, type ExpanderRequest,
} from '../simulator/checker/index.js';

export interface CheckThreadData {
  readonly protocol: string;
  readonly options: Omit<CheckerOptions, 'history'>;
}

const data = workerData as CheckThreadData;
const protocol = findProtocol(data.protocol)!;
const fresh = () => new LevelExpander(checkerModel(protocol,
  { ...data.options, history: linearizabilityHistoryCheck }), false);
let expander = fresh();
/** `reset`: a new search from scratch (nothing cached from the last one), thread kept warm. */
parentPort!.on('message', (request: ExpanderRequest | 'reset') => {
  if (request === 'reset') {
    expander = fresh();
    parentPort!.postMessage(null);
    return;
  }
  parentPort!.postMessage(expander.handle(request));
});
parentPort!.postMessage('ready');
