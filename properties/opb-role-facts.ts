/**
 * OPB's role facts, held to what the replicas told their groups: every checker that asks who
 * is primary (C1, C3, C4 per component, the anomaly counts, opb-acked-holders, ...) reads the
 * `opb.role` facts, so a role change left unreported makes them judge a replica by a role it no
 * longer holds (mutation #3840 of the seed-37 sample: no fact when a replica follows a claim, so
 * a primary that lost a conflict still counted as primary until it was reconciled, and a
 * backup turned reconciler never showed; every check stayed green).
 *
 * Evidence: the message record. Each HEARTBEAT carries its sender's role (`Hb sN ROLE ...`,
 * describe.ts). A heartbeat of service s sent by n at t must carry the role of n's latest
 * `opb.role` fact of s recorded before t, or of one recorded at t or whose step ran by t and was
 * recorded after (behind a slow disk a fact lands with the write; what the step sent after it waits
 * too); with no fact since n's last boot (after its `up` in the record, the boot's own instant too)
 * or its last `opb.leave` of s, the role a replica starts with: backup (replica.ts `newReplica`,
 * node.ts `recover`). A fact a crash lost with a write (`writes-lost`) allows its role from its
 * step on, never alone; a send queued behind that write never left (dropped as such, whatever
 * refused it: a cut, a loss or a targeted fault at its step, run-log.ts `settleSendLosses`) and
 * says nothing. Not judged: a node after a `corrupt` fault scrambled it (roles are drawn at random
 * there, C9).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { buildWorld } from './opb-world.js';
import { pushTo, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const HB = /^Hb s(\d+) (\S+) /;
const ACK = /^Ack s(\d+) /;
/** simulator/arrivals.ts: a send queued behind a write its sender's crash lost never left. */
export const NEVER_SENT = 'sender crashed before its write';

type Fact = { readonly at: number; readonly stepAt: number; readonly seq: number;
  readonly role: string | null };

export function roleFactProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const scrambledAt = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'corrupted' && e.at < (scrambledAt.get(e.node) ?? Infinity)) {
      scrambledAt.set(e.node, e.at);
    }
  }
  // Per node and service: role facts and resets (role null: back to a fresh backup replica).
  const facts = new Map<string, Fact[]>();
  const add = (node: string, svc: number, f: Fact): void => { pushTo(facts, `${node}|${svc}`, f); };
  for (const o of world.obs('opb.role')) {
    add(o.node, o.data.service, { at: o.at, stepAt: stepTime(o), seq: o.seq,
      role: o.data.role });
  }
  // A fact a crash lost with its write was never recorded: what the node sent after its step
  // came from earlier steps queued behind the disk, or never left (explore-style seeds 60-63 of
  // opb-claim-slow-disk: n5's claim at 1.3 s was lost at 1.5 s, its acks of before went on).
  for (const o of world.lost('opb.role')) {
    add(o.node, o.data.service, { at: Infinity, stepAt: o.at, seq: o.seq, role: o.data.role });
  }
  for (const o of world.obs('opb.leave')) {
    add(o.node, o.data.service, { at: o.at, stepAt: stepTime(o), seq: o.seq, role: null });
  }
  const ups = new Map<string, { at: number; seq: number }[]>();
  for (const e of run.nodeEvents) if (e.kind === 'up') pushTo(ups, e.node, e);
  for (const list of facts.values()) list.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages) {
    const h = HB.exec(m.label) ?? ACK.exec(m.label);
    if (h === null || m.drop === NEVER_SENT) continue;
    const node = m.from;
    const t = m.sent;
    if (t >= (scrambledAt.get(node) ?? Infinity)) continue;
    const svc = Number(h[1]);
    // An ACK says its sender follows a primary (backup.ts, conflict.ts, replica.ts `follow`,
    // tick.ts): a primary never sends one.
    const ack = h[2] === undefined;
    const said = h[2] ?? 'a follower';
    // The boot by its place in the record, not its time: a fact of the boot step, or of a step
    // at the boot's microsecond after it, counts (explore trial 1642094 of
    // opb-merge-refused-cool: n5, sole member of s1 after n2 refused its JOIN, crashed and
    // rebooted at 2.493 s and promoted itself in that very instant, its fact at 2.493 s; timing
    // by `stepAt > boot` dropped it, and its heartbeats as primary from 2.743 s read as a
    // backup's). A lost fact carries its crash's seq: before the boot if its step was.
    const boot = Math.max(-1, ...(ups.get(node) ?? []).filter((u) => u.at <= t).map((u) => u.seq));
    const own = (facts.get(`${node}|${svc}`) ?? []).filter((f) => f.seq > boot);
    const allowed = new Set<string>();
    let last: Fact | undefined;
    for (const f of own) {
      if (f.at < t) last = f;
      else if (f.stepAt <= t) allowed.add(f.role ?? 'backup');
    }
    allowed.add(last === undefined ? 'backup' : last.role ?? 'backup');
    judged++;
    if (ack ? allowed.size === 1 && allowed.has('primary') : !allowed.has(said)) {
      problems.push(`${node} ${ack ? 'acked' : 'heartbeat'} s${svc} as ${said} at t=${t}us, ` +
        'but its role facts ' +
        `say ${[...allowed].join(' or ')}` +
        `${last === undefined ? ' (none since its boot)' : ` (last at t=${last.at}us)`}`);
    }
  }
  return { problems, judged };
}

export const opbRoleFacts: Property = {
  name: 'opb-role-facts',
  description: 'the opb.role facts: every heartbeat a replica sends carries the role its facts ' +
    'last reported (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, roleFactProblems(run), 'no heartbeat',
      (n) => `${n} heartbeats, each carrying the role its sender's facts reported`);
  },
};
