/**
 * P2.6 #2: a planned primary transfer (HANDOFF: balancing, power saving, the handback) goes to a
 * successor that holds every update. A primary that took a member which never acked for caught up
 * handed the role to an empty node (Stryker #443 of the seed-43 sample); nothing was lost under
 * `merge` (the holders re-submitted), so no other check saw it.
 *
 * Evidence: the successor's own reports of its position in the message record, never the
 * primary's belief that it caught up: its ACKs, and, since its last empty-disk boot (which voids
 * the ACKs before it), its heartbeats, which carry the same last index and that entry's epoch
 * (explore trial 1901627 of opb-handback-amnesiac: n1 came back without its disk, took s0's
 * entry by a state transfer, and its ACK of it to n5 was cut; its heartbeats reporting 1@1.n5
 * reached n5 before n5 handed the role back to it). Judged at each `opb.handoff` fact of a
 * primary P to T, except an operator's (it asks for no catch-up): P's tip is the highest index
 * P's digests and executions showed at its epochs since it took the role (a re-claim keeps the
 * role: same log, same acks), up to the handoff's step; some such report of T delivered to P
 * in that span must hold that index with the same entry epoch (log matching), or a later index
 * under that epoch or one of P's tenure. An empty log (tip 0) has nothing to hold. An ACK whose
 * write T lost before the handoff covers nothing when P had news of the loss: T booted from an
 * empty disk after the step that sent it, and a heartbeat or ACK of the service that T sent
 * after that boot reached P by the handoff's step (amnesia: explore trial
 * 1540148 of opb-handback-unacked, a handback on an ACK from before the successor's disk loss).
 * Without news P handed over soundly, and T answers: it must not take the role on that HANDOFF
 * without a report sent since its boot that covers the tip (explore trial 960300 of
 * opb-stale-transfer). Lenient where the record is coarse: an ACK or a report delivered at the
 * handoff's instant counts unless its step is known to come after (a paused P's backlog, handled at
 * its resume after the steps its timers ran: explore trial 1641168 of opb-handback-amnesiac), and
 * so does one a busy (cost model) P handled later than its arrival. Not judged: runs without a
 * message record, and a primary corrupted before the handoff.
 */
import type { Observation, RunRecord } from '../simulator/run-record.js';
import { buildWorld, parseLineage } from './opb-world.js';
import { pushTo, stepTime } from './run-values.js';
import { parseAck, parseHbPosition } from './opb-ack-label.js';
import { verdictOf, type Property } from './types.js';


/**
 * A delivered ACK: its arrival, the step that handled it (if known), and the position the
 * backup holds (index, and the epoch its entry there was written under).
 */
interface Ack { at: number; step: number | undefined; sentAt: number; idx: number;
  entry: string; hb: boolean }

/** The epoch of a lineage's last run, or '-' for an empty one. */
const lastRunEpoch = (lineage: string): string => parseLineage(lineage).at(-1)?.[0] ?? '-';

/** When an observation's step ran, and its number (when known), for ordering against another. */
function before(o: Observation, h: Observation): boolean {
  const a = stepTime(o);
  const b = stepTime(h);
  if (a !== b) return a < b;
  return o.step !== undefined && h.step !== undefined && o.step < h.step;
}

export function handoffCaughtUpProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const corrupted = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'corrupted' && !corrupted.has(e.node)) corrupted.set(e.node, e.at);
  }
  // Per link and service ("from>to|svc"): the ACKs delivered.
  const acks = new Map<string, Ack[]>();
  for (const m of run.messages) {
    if (m.drop !== null) continue;
    const ack = parseAck(m.label);
    const a = ack ?? parseHbPosition(m.label);
    if (a === null) continue;
    pushTo(acks, `${m.from}>${m.to}|${a.svc}`, { at: m.at, step: m.step,
      sentAt: m.stepAt ?? m.sent, idx: a.idx, entry: a.entry, hb: ack === null });
  }
  // When the write behind an ACK sent by `node` at `sentAt` was lost by time `by`: an empty-disk
  // boot after that step (a step of the boot's instant counts: lenient). Not a crash that lost
  // writes (`writes-lost`): an ACK's step may write nothing (a re-sent ACK), so a disk image
  // older than that step may still hold what the ACK vouches for.
  // The predecessor answers for the loss only when it had news of it: a report of T's position
  // in the service (its heartbeat or ACK) sent after that boot reached P by the handoff (explore
  // trial 960300 of opb-stale-transfer: n2 came back empty 1 µs before n3 handed it s1; n3 could
  // not know; a node-level gossip says nothing of a service's log). Otherwise the successor
  // answers for it: it must not take over on that HANDOFF without the tip (judged below).
  // Per node, its empty-disk boots: read once, not once per ACK judged.
  const boots = new Map<string, number[]>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'up' && e.emptyDisk === true) pushTo(boots, e.node, e.at);
  }
  const emptyBoots = (node: string): readonly number[] => boots.get(node) ?? [];
  // News is what P handled before the handoff's step, not what waited in its backlog: a report
  // handled at the handoff's instant in a later step came too late (explore trial 1641168 of
  // opb-handback-amnesiac: n5, paused from 0.93 s, handed s0 back to n1 in its first steps on
  // resuming at 2.097 s and only then handled n1's heartbeat of index 0, sent at 2.04 s).
  const heardSince = (t: string, p: string, svc: number, boot: number, by: number,
    byStep: number | undefined): boolean => run.messages!.some((m) => m.from === t
      && m.to === p && m.drop === null && m.sent >= boot && m.at <= by
      && !(m.at === by && m.step !== undefined && byStep !== undefined && m.step > byStep)
      && (m.label.startsWith(`Hb s${svc} `) || m.label.startsWith(`Ack s${svc} `)));
  const lostBy = (node: string, svc: number, sentAt: number, by: number,
    byStep: number | undefined, heardBy: string | null): boolean => emptyBoots(node)
    .some((b) => b > sentAt && b <= by
      && (heardBy === null || heardSince(node, heardBy, svc, b, by, byStep)));
  const problems: string[] = [];
  let judged = 0;
  for (const h of world.obs('opb.handoff')) {
    const p = h.node;
    const svc = h.data.service;
    const at = stepTime(h);
    if ((corrupted.get(p) ?? Infinity) <= at) continue;
    const mine = <T extends Observation & { readonly data: { readonly service: number } }>(
      list: readonly T[]): T[] => list.filter((o) => o.node === p && o.data.service === svc
      && before(o, h));
    const operator = world.obs('opb.move').some((o) => o.node === p && o.data.service === svc
      && o.data.kind === 'operator' && o.data.phase === 'start' && o.data.add === h.data.to
      && stepTime(o) === at
      && (o.step === undefined || h.step === undefined || o.step === h.step));
    if (operator) continue;
    const roles = mine(world.obs('opb.role')).sort((a, b) => (before(a, b) ? -1 : 1));
    const role = roles.at(-1);
    if (role === undefined || role.data.role !== 'primary') continue;
    const epoch = role.data.epoch;
    // P's tenure: a primary's re-claim keeps its log and what its backups acked (replica.ts
    // claimPrimary), so the span starts at the claim that made P primary, not at a re-claim
    // (explore trial 1010155 of opb-stale-transfer: n1 re-claimed at 4:2.n1 over n2's 3:1.n2,
    // its tip still 19@3:1.n1, which n3 had acked before; n3 had nothing new to ack since).
    let first = roles.length - 1;
    while (first > 0 && roles[first]!.data.reason === 'reclaim'
      && roles[first - 1]!.data.role === 'primary') first--;
    const epochs = new Set(roles.slice(first).map((r) => r.data.epoch));
    const since = stepTime(roles[first]!);
    // P's tip and the epoch its entry there was written under: its digests (the lineage's last
    // run) and its executions (written under its role's epoch), the highest index wins.
    let tip = { idx: 0, entry: '-' };
    const raise = (idx: number, entry: string): void => {
      if (idx > tip.idx) tip = { idx, entry };
    };
    for (const d of mine(world.obs('opb.digest'))) {
      const ok = stepTime(d) >= since && d.data.role === 'primary' && epochs.has(d.data.epoch);
      if (ok) raise(d.data.index, lastRunEpoch(d.data.lineage));
    }
    for (const e of mine(world.obs('opb.exec'))) {
      if (stepTime(e) >= since && epochs.has(e.data.epoch)) raise(e.data.index, e.data.epoch);
    }
    if (tip.idx === 0) continue;
    judged++;
    // An ACK covers the tip when it holds that index with the same entry (log matching), or a
    // later index whose entry implies it: one of the tip's epoch, or one P wrote in this tenure
    // (log matching again). Whatever epoch the backup followed then (a primary that reclaimed
    // under a new epoch keeps its entries: explore trial 960003 of opb-stale-transfer, n3's ACKs
    // of 78@4:1.n1 after n1 reclaimed at 7:1.n1 with its tip still 78@4:1.n1). A longer log of
    // another epoch holds nothing of P's (explore trial 960300: n2's ACKs of its own 34@9.n2
    // said nothing of n1's tip 5@10.n1).
    // A heartbeat reports T's position as an ACK does; counted from T's last empty-disk boot,
    // where its ACKs from before lost their writes (explore trial 1901627).
    const rebooted = emptyBoots(h.data.to).filter((b) => b <= at).at(-1);
    const delivered = (acks.get(`${h.data.to}>${p}|${svc}`) ?? []).filter((a) => a.at >= since
      && a.at <= at && !(a.at === at && a.step !== undefined && h.step !== undefined
        && a.step > h.step) && (!a.hb || (rebooted !== undefined && a.sentAt >= rebooted)));
    const covers = (a: { idx: number; entry: string }): boolean => a.idx >= tip.idx
      && (a.entry === tip.entry || (a.idx > tip.idx && epochs.has(a.entry)));
    const window = delivered.filter((a) => !lostBy(h.data.to, svc, a.sentAt, at, h.step, p));
    if (window.some(covers)) {
      const takeover = takeoverAfter(world, h);
      if (takeover === undefined) continue;
      const by = stepTime(takeover);
      // T's ACKs (to any member, delivered or not) sent since its last empty-disk boot before
      // it took over: none covering the tip, it took over without it.
      const boot = emptyBoots(h.data.to).filter((b) => b <= by).at(-1);
      if (boot === undefined) continue;
      const since = run.messages.some((m) => {
        const sent = m.stepAt ?? m.sent;
        const a = m.from === h.data.to && sent >= boot && sent <= by
          ? parseAck(m.label) ?? parseHbPosition(m.label) : null;
        return a !== null && a.svc === svc && covers(a);
      });
      if (since) continue;
      problems.push(`s${svc}: ${h.data.to} took over the primary role at t=${by}us on ${p}'s ` +
        `handoff of t=${at}us, which held index ${tip.idx}@${tip.entry}, though it had come back ` +
        `without its disk at t=${boot}us and reported nothing covering it since: a planned ` +
        'successor must hold every update (P2.6 #2)');
      continue;
    }
    const covered = window.reduce((m, a) => Math.max(m, a.idx), -1);
    problems.push(`s${svc}: ${p} handed the primary role to ${h.data.to} at t=${at}us holding ` +
      `index ${tip.idx}@${tip.entry} (primary at ${epoch}), but ${h.data.to}'s acks to it since ` +
      `covered ${covered < 0 ? 'nothing' : `index ${covered}`}` +
      (delivered.length > window.length ? ` (${delivered.length - window.length} earlier acks ` +
        `void: ${h.data.to} lost their writes since)` : '') + ': a planned successor must hold ' +
      'every update (P2.6 #2)');
  }
  return { problems, judged };
}

/**
 * The successor's takeover on handoff `h`: its first role fact for the service after the
 * handoff's step, if that is a primary role taken by handoff before any later handoff to it.
 */
function takeoverAfter(world: ReturnType<typeof buildWorld>, h: Observation & {
  readonly data: { readonly service: number; readonly to: string } }): Observation | undefined {
  const to = h.data.to;
  const svc = h.data.service;
  const next = world.obs('opb.role').filter((o) => o.node === to && o.data.service === svc
    && before(h, o)).sort((a, b) => (before(a, b) ? -1 : 1))[0];
  if (next === undefined || next.data.role !== 'primary' || next.data.reason !== 'handoff') {
    return undefined;
  }
  const later = world.obs('opb.handoff').some((o) => o.data.to === to && o.data.service === svc
    && before(h, o) && before(o, next));
  return later ? undefined : next;
}

export const opbHandoffCaughtUp: Property = {
  name: 'opb-handoff-caught-up',
  description: 'a planned handoff (balance, power saving, handback) goes to a successor whose ' +
    'acks covered the primary\'s tip (P2.6 #2; message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = handoffCaughtUpProblems(run);
    if (typeof r === 'string') return { property: this.name, status: 'skip', message: r };
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} planned handoffs, each to a successor that had reported the tip`);
  },
};
