/**
 * SMART's fetch of a starting state with `fetchRetryUs` set (our documented choice for P1.6
 * step 5, protocol/smart/fetch.ts and docs/smart.md): the request goes first to a preferred
 * source, a member of the new configuration other than its leader, and only a non-preferred one
 * waits `fetchRetryUs` for a preferred reason. So a machine lacking its starting state that gets
 * FINISHED from a preferred source, and has sent no STATE-REQUEST within `fetchRetryUs` (none
 * outstanding), asks at once. Mutation #4492 of the seed-37 sample (no source preferred: every
 * first reason only started the wait, and the state was asked for `fetchRetryUs` late, from
 * whichever machine gave the next reason, the leader or a departing one included).
 *
 * Evidence: the message record (FINISHED delivered, STATE-REQUESTs sent) and the node's own
 * execution, checkpoint, replica, leader and defunct facts, used only as bounds: a preferred
 * source is a member of the configuration other than its first member that no leader fact shows
 * leading it, so no machine can believe it leads; a machine whose facts reach FirstSlot−1
 * within the judged window is not judged. "At once" is within half of `fetchRetryUs` after the
 * FINISHED arrived (the cost model queues a busy node's messages; any STATE-REQUEST counts).
 * Not judged across the machine going down, up or paused, nor while a timing fault is in force,
 * nor at a machine hosting the predecessor's replica (it waits for the shared EM, step 5).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { disturbed, numberParam, pushTo } from './run-values.js';
import {
  checkpoints, configurations, defuncts, executions, leaderships, replicaStarts, stepTime,
} from './smart-observations.js';
import { judgedVerdict, type Property } from './types.js';

const FINISHED = /^Finished c=(\d+)$/;

export function preferredFetchProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const retryUs = numberParam(run, 'fetchRetryUs', 0);
  if (retryUs <= 0) return 'fetchRetryUs is 0: no source is preferred';
  if (run.messages === undefined) return 'the run kept no message record';
  const window = retryUs / 2;
  const { table } = configurations(run);
  const segs = segments(run);
  const execs = executions(run);
  const ckpts = checkpoints(run);
  const dead = defuncts(run);
  const starts = replicaStarts(run);
  const leads = leaderships(run);
  const requests = new Map<string, number[]>();
  for (const m of run.messages) {
    if (!m.label.startsWith('StateRequest ')) continue;
    pushTo(requests, m.from, m.sent);
  }
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages) {
    const hit = FINISHED.exec(m.label);
    if (hit === null || m.drop !== null) continue;
    const cfg = Number(hit[1]);
    const succ = table.get(cfg + 1);
    const pred = table.get(cfg);
    if (succ === undefined || pred === undefined) continue;
    const node = m.to;
    const source = m.from;
    const t = m.at;
    const until = t + window;
    if (until > run.endUs) continue;
    // A preferred source by any machine's account.
    if (source === node || !succ.members.includes(source) || source === succ.members[0]) continue;
    if (leads.some((o) => o.node === source && o.data.config === cfg + 1 && stepTime(o) <= until)) {
      continue;
    }
    // The machine runs the successor's replica, no predecessor's, and knows neither defunct.
    if (pred.members.includes(node)) continue;
    if (!starts.some((o) => o.node === node && o.data.config === cfg + 1 && stepTime(o) < t)) {
      continue;
    }
    if (dead.some((o) => o.node === node && o.data.config >= cfg + 1 && stepTime(o) <= until)) {
      continue;
    }
    // It lacked its starting state throughout the window.
    let executed = 0;
    for (const o of execs) {
      if (o.node === node && stepTime(o) <= until) executed = Math.max(executed, o.data.slot);
    }
    for (const o of ckpts) {
      if (o.node === node && stepTime(o) <= until) executed = Math.max(executed, o.data.index);
    }
    if (executed >= succ.first - 1) continue;
    if (disturbed(run, [node], t - retryUs, until) || !unperturbed(segs, t - retryUs, until)) {
      continue;
    }
    const sent = requests.get(node) ?? [];
    if (sent.some((at) => at > t - retryUs && at <= t)) continue; // One is outstanding.
    judged++;
    if (!sent.some((at) => at >= t && at <= until)) {
      const next = sent.find((at) => at > t);
      problems.push(`${node} lacked its starting state of configuration ${cfg + 1} (executed ` +
        `at most slot ${executed}, needs ${succ.first - 1}), had no STATE-REQUEST outstanding ` +
        `and got FINISHED from ${source}, a preferred source (a member that does not lead), at ` +
        `t=${t}us, but sent no STATE-REQUEST within ${window}us` +
        (next === undefined ? '' : ` (next at t=${next}us)`) + ': a preferred source is asked ' +
        `at once, only others wait fetchRetryUs (${retryUs}us)`);
    }
  }
  return { problems, judged };
}

export const smartFetchPreferred: Property = {
  name: 'smart-fetch-preferred',
  description: 'P1.6 step 5 with fetchRetryUs: a machine lacking its starting state, with no ' +
    'request outstanding, asks a preferred source (a member that does not lead) at its FINISHED ' +
    '(the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, preferredFetchProblems(run),
      'no FINISHED from a preferred source reached a machine lacking its state',
      (n) => `${n} FINISHED from a preferred source to a machine lacking its state, each ` +
        'answered by a state request');
  },
};
