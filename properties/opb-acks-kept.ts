/**
 * P2.4's acknowledgement: a backup acks an update once it holds it durably, and the primary
 * counts that ack towards `w` before it answers the client (P2.7: an acked write survives the
 * primary's failure). So within one epoch of its primary a backup's acks never go back: after
 * acking index i of that epoch it holds entries 1..i of the primary's log (log matching), and
 * only a restart, a corruption or leaving the group may drop them. Explore seed 43271 of
 * opb-balance-no-room: n1's state transfer of 6 entries reached n3 after n3 had applied and acked
 * 8; n3 installed it, handed entries 7 and 8 (the primary's own) over as orphans and acked 6
 * (P2.10 #10: reject stale transfers; declared mutant `opb:install-stale-xfer`).
 *
 * Evidence: the acks on the wire (the simulator's message record, each placed at the step that
 * sent it), the simulator's restart, corruption and lost-write facts, and the node's own join
 * and leave facts only to stop judging. An ack whose last entry is of an older epoch (a loser
 * still holding its own history) promises nothing about the followed epoch and is not judged.
 * Not judged: runs without a message record.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { judgedVerdict, type Property } from './types.js';
import { buildWorld } from './opb-world.js';
import { pushTo, stepOf, stepTime } from './run-values.js';
import { parseAck } from './opb-ack-label.js';

const RESETS = new Set(['up', 'corrupted', 'writes-lost']);

interface Ack { readonly m: MessageFact; readonly svc: string; readonly epoch: string;
  readonly idx: number; readonly ofEpoch: boolean }

/** A time at which node `n` may rightly hold less than it acked before, in service `svc`. */
interface Reset { readonly at: number; readonly node: string; readonly svc: string | null }

function resetsOf(run: RunRecord): Reset[] {
  const out: Reset[] = run.nodeEvents.filter((e) => RESETS.has(e.kind))
    .map((e) => ({ at: e.at, node: e.node, svc: null }));
  const world = buildWorld(run);
  for (const o of [...world.obs('opb.join'), ...world.obs('opb.leave')]) {
    out.push({ at: stepTime(o), node: o.node, svc: String(o.data.service) });
  }
  return out;
}

export function acksKeptProblems(run: RunRecord): { problems: string[]; judged: number }
  | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const acks = new Map<string, Ack[]>();
  for (const m of run.messages) {
    const hit = parseAck(m.label);
    if (hit === null) continue;
    const ack = { m, svc: String(hit.svc), epoch: hit.epoch, idx: hit.idx,
      ofEpoch: hit.epoch === hit.entry };
    pushTo(acks, `${m.from} ${ack.svc}`, ack);
  }
  const resets = resetsOf(run);
  const problems: string[] = [];
  let judged = 0;
  for (const [key, list] of [...acks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [node, svc] = key.split(' ') as [string, string];
    const mine = resets.filter((r) => r.node === node && (r.svc === null || r.svc === svc));
    // One step may send several acks, each behind a write of its own, and the record does not
    // keep their order: the acks of one instant (one step, or a resumed node's backlog of steps)
    // are judged by their highest.
    const steps = new Map<number, Ack>();
    for (const ack of list) {
      const id = stepOf(ack.m);
      const had = steps.get(id);
      if (had === undefined || ack.idx > had.idx || (ack.idx === had.idx && ack.ofEpoch)) {
        steps.set(id, ack);
      }
    }
    const ordered = [...steps.values()].sort((a, b) => stepOf(a.m) - stepOf(b.m));
    // The highest index acked of each epoch, with its step, since the last reset.
    // A reset at the very instant of the best ack may have run after it: a resumed node
    // handles its backlog in many steps at one instant, and the record does not say which step
    // sent an ack (explore trial 1460684 of opb-balance-no-room: n2, resumed at 2.513 s, acked
    // 103 of s1, then in the same backlog learned it had been dropped, left, rejoined empty and
    // acked 0), so it ends the judging too.
    const best = new Map<string, Ack>();
    for (const ack of ordered) {
      const t = stepOf(ack.m);
      for (const [epoch, b] of best) {
        if (mine.some((r) => r.at >= stepOf(b.m) && r.at <= t)) best.delete(epoch);
      }
      const before = best.get(ack.epoch);
      if (before !== undefined) {
        judged++;
        if (ack.idx < before.idx && problems.length < 5) {
          problems.push(`s${svc}: ${node} acked index ${before.idx} of epoch ${ack.epoch} to ` +
            `${before.m.to} at t=${stepOf(before.m)}us, then only ${ack.idx} at t=${t}us, ` +
            'without a restart, a corruption or leaving the group in between');
        }
      }
      if (ack.ofEpoch && (before === undefined || ack.idx > before.idx)) best.set(ack.epoch, ack);
    }
  }
  return { problems, judged };
}

export const opbAcksKept: Property = {
  name: 'opb-acks-kept',
  description: 'P2.4/P2.7: within one epoch a backup\'s acks never go back (what it acked ' +
    'stays held) unless it restarted, was corrupted or left (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, acksKeptProblems(run), 'no backup acked an epoch twice',
      (judged) => `${judged} later acks each at least what their backup had acked of that ` +
        'epoch before');
  },
};
