/**
 * A worker thread of the parallel `check` benchmark (bench/check.ts): one block of the BFS
 * frontier, as cli/check-worker.ts holds it for `replisim check --workers N` (built-in
 * protocols only; no plugin files). Each answer carries this thread's CPU time so far
 * (bench/check-cpu.ts), from which the benchmark works out the search's critical path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findProtocol } from '../protocol/registry.js';
import { linearizabilityHistoryCheck } from '../properties/linearizable.js';
import {
  checkerModel, LevelExpander, type CheckerOptions, type ExpanderReply, type ExpanderRequest,
} from '../simulator/checker/index.js';
import { threadCpuMs } from './check-cpu.js';

export interface CheckThreadData {
  readonly protocol: string;
  readonly options: Omit<CheckerOptions, 'history'>;
}

/** An answer and the CPU ms this thread had run when it was sent. */
export interface CheckThreadAnswer {
  readonly reply: ExpanderReply;
  readonly cpuMs: number | null;
}

const data = workerData as CheckThreadData;
const protocol = findProtocol(data.protocol)!;
const fresh = () => new LevelExpander(checkerModel(protocol,
  { ...data.options, history: linearizabilityHistoryCheck }), false);
let expander = fresh();
const answer = (reply: ExpanderReply) => {
  parentPort!.postMessage({ reply, cpuMs: threadCpuMs() } satisfies CheckThreadAnswer);
};
/** `reset`: a new search from scratch (nothing cached from the last one), thread kept warm. */
parentPort!.on('message', (request: ExpanderRequest | 'reset') => {
  if (request === 'reset') {
    expander = fresh();
    answer(null);
    return;
  }
  answer(expander.handle(request));
});
parentPort!.postMessage('ready');
