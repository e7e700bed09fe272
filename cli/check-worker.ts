/**
 * A worker thread of `replisim check --workers N`: holds one block of the BFS frontier
 * (simulator/checker/parallel.ts) and answers the driver's requests, one at a time, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findProtocol } from '../protocol/registry.js';
import { linearizabilityHistoryCheck } from '../properties/linearizable.js';
import {
  checkerModel, LevelExpander, type CheckerOptions, type ExpanderRequest,
} from '../simulator/checker/index.js';
import { loadWorkerPlugins } from './plugins.js';

/** What the driver hands each worker: the protocol files, and the model to build. */
export interface CheckWorkerData {
  readonly protocolFiles: readonly string[];
  readonly protocol: string;
  readonly options: Omit<CheckerOptions, 'history'>;
  readonly symmetry: boolean;
}

const data = workerData as CheckWorkerData;
await loadWorkerPlugins(data);
const protocol = findProtocol(data.protocol)!;
const model = checkerModel(protocol, { ...data.options, history: linearizabilityHistoryCheck });
const expander = new LevelExpander(model, data.symmetry);
parentPort!.on('message', (request: ExpanderRequest) => {
  parentPort!.postMessage(expander.handle(request));
});
parentPort!.postMessage('ready');
