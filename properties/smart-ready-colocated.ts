/**
 * A machine running both a finished replica of configuration c and a replica of its successor
 * c+1 sends itself READY(c) as a remote successor member would (P1.6 step 7: a member of the
 * successor answers READY once it holds a checkpoint of the starting state; step 9: a quorum of
 * READY makes c defunct). The colocated successor shares the execution module, so it learns
 * nothing from a FINISHED; migration.ts `onFinishedTimer` sends the READY, behind a disk write,
 * in the step that tells the other successor members FINISHED. Without it retirement waits for
 * a quorum of the other members (mutation #5689 of the seed-39 sample; declared mutant
 * smart:no-self-ready), and every other check held.
 *
 * Evidence: the message record and the machine's own facts. A step of n at instant t that sent
 * FINISHED(c) (to the other successor members) is judged when, since n's last boot and at or
 * before t, n started a replica of c+1 (its `replica` fact, giving c+1's first slot f) that it
 * had not retired or learned defunct, and recorded a checkpoint at index f - 1 or above (its
 * `ckpt` facts, a lower bound of its checkpoint). Such a step must send READY(c) to n itself
 * (the record keeps it even when a crash lost it behind the write). A message is recorded when it
 * arrives, so one still behind its write when the run ends is in no record: a step is judged
 * only when a later write of n is known to have landed (a message of n from a later step left
 * after its write, and a node's writes land in issue order, simulator/disk.ts).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { checkpoints, defuncts, replicaStarts, retirements, skip, stepTime }
  from './smart-observations.js';
import { judgedVerdict, type Property } from './types.js';
import { stepOf } from './run-values.js';

const FINISHED = /^Finished c=(\d+)$/;
const READY = /^Ready c=(\d+)$/;

export function readyColocatedProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const selfReady = new Set<string>();
  const steps = new Map<string, { node: string; cfg: number; t: number }>();
  const lastWaited = new Map<string, number>(); // node -> its last step that sent after a write
  for (const m of run.messages) {
    const t = stepOf(m);
    if (m.stepAt !== undefined && t > (lastWaited.get(m.from) ?? -1)) lastWaited.set(m.from, t);
    const r = READY.exec(m.label);
    if (r !== null && m.from === m.to) selfReady.add(`${m.from}|${r[1]}|${t}`);
    const f = FINISHED.exec(m.label);
    if (f !== null) steps.set(`${m.from}|${f[1]}|${t}`, { node: m.from, cfg: Number(f[1]), t });
  }
  const ups = run.nodeEvents.filter((e) => e.kind === 'up');
  const starts = replicaStarts(run);
  const ckpts = checkpoints(run);
  const ends = [...retirements(run), ...defuncts(run)];
  const problems: string[] = [];
  let judged = 0;
  for (const [key, { node, cfg, t }] of steps) {
    if ((lastWaited.get(node) ?? -1) <= t) continue; // Its write may not have landed by the end.
    const boot = Math.max(-1, ...ups.filter((u) => u.node === node && u.at <= t).map((u) => u.at));
    const since = (o: { node: string; at: number; stepAt?: number }): boolean =>
      o.node === node && stepTime(o) >= boot && stepTime(o) <= t;
    const start = starts.filter((o) => since(o) && o.data.config === cfg + 1).at(-1);
    if (start === undefined) continue;
    if (ends.some((o) => since(o) && o.data.config >= cfg + 1)) continue;
    const ckpt = Math.max(-1, ...ckpts.filter(since).map((o) => o.data.index));
    if (ckpt < start.data.first - 1) continue;
    judged++;
    if (selfReady.has(key)) continue;
    problems.push(`${node} told configuration ${cfg + 1}'s members FINISHED c=${cfg} at t=${t}us ` +
      `while it ran configuration ${cfg + 1}'s replica (first slot ${start.data.first}) with a ` +
      `checkpoint at ${ckpt}, but sent itself no READY c=${cfg}: a colocated successor is ready ` +
      'too (P1.6 step 7)');
  }
  return { problems, judged };
}

export const smartReadyColocated: Property = {
  name: 'smart-ready-colocated',
  description: 'a machine running a finished replica and its successor, holding the starting ' +
    'state\'s checkpoint, sends itself READY with every FINISHED it sends (the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = readyColocatedProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return judgedVerdict(this.name, r, 'no machine ran a finished replica beside its ready ' +
      'successor', (n) => `${n} FINISHED steps of a colocated successor, each with its own READY`);
  },
};
