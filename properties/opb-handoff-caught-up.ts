/**
 * P2.6 #2: a planned primary transfer (HANDOFF: balancing, power saving, the handback) goes to a
 * successor that holds every update. A primary that took a member which never acked for caught
 * up handed the role to an empty node (Stryker #443 of the seed-43 sample); nothing was lost
 * under `merge` (the holders re-submitted), so no other check saw it.
 *
 * Evidence: the successor's own ACKs in the message record, never the primary's belief that it
 * caught up. Judged at each `opb.handoff` fact of a primary P to T, except an operator's (it asks
 * for no catch-up): P's tip is the highest index P's digests and executions showed at its epoch
 * since it took the role, up to the handoff's step; some ACK of T at that epoch, delivered to P
 * in that span, must cover it. An empty log (tip 0) has nothing to hold. Lenient where the record
 * is coarse: an ACK delivered at the handoff's instant counts unless its step is known to come
 * after, and so does one a busy (cost model) or paused P handled later than its arrival.
 * Not judged: runs without a message record, and a primary corrupted before the handoff.
 */
import type { Observation, RunRecord } from '../simulator/run-record.js';
import { buildWorld } from './opb-world.js';
import { pushTo } from './run-values.js';
import { verdictOf, type Property } from './types.js';

const ACK = /^Ack s(\d+) e=(\S+) i=(\d+)@/;

/** A delivered ACK: its arrival, the step that handled it (if known), its epoch and index. */
interface Ack { at: number; step: number | undefined; epoch: string; idx: number }

/** When an observation's step ran, and its number (when known), for ordering against another. */
const stepTimeOf = (o: Observation): number => o.stepAt ?? o.at;
function before(o: Observation, h: Observation): boolean {
  const a = stepTimeOf(o);
  const b = stepTimeOf(h);
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
    const a = m.drop === null ? ACK.exec(m.label) : null;
    if (a === null) continue;
    pushTo(acks, `${m.from}>${m.to}|${a[1]}`,
      { at: m.at, step: m.step, epoch: a[2]!, idx: Number(a[3]) });
  }
  const problems: string[] = [];
  let judged = 0;
  for (const h of world.obs('opb.handoff')) {
    const p = h.node;
    const svc = h.data.service;
    const at = stepTimeOf(h);
    if ((corrupted.get(p) ?? Infinity) <= at) continue;
    const mine = <T extends Observation & { readonly data: { readonly service: number } }>(
      list: readonly T[]): T[] => list.filter((o) => o.node === p && o.data.service === svc
      && before(o, h));
    const operator = world.obs('opb.move').some((o) => o.node === p && o.data.service === svc
      && o.data.kind === 'operator' && o.data.phase === 'start' && o.data.add === h.data.to
      && stepTimeOf(o) === at
      && (o.step === undefined || h.step === undefined || o.step === h.step));
    if (operator) continue;
    const role = mine(world.obs('opb.role')).sort((a, b) => (before(a, b) ? -1 : 1)).at(-1);
    if (role === undefined || role.data.role !== 'primary') continue;
    const epoch = role.data.epoch;
    const since = stepTimeOf(role);
    const tip = Math.max(0,
      ...mine(world.obs('opb.digest')).filter((d) => stepTimeOf(d) >= since
        && d.data.role === 'primary' && d.data.epoch === epoch).map((d) => d.data.index),
      ...mine(world.obs('opb.exec')).filter((e) => stepTimeOf(e) >= since
        && e.data.epoch === epoch).map((e) => e.data.index));
    if (tip === 0) continue;
    judged++;
    const covered = (acks.get(`${h.data.to}>${p}|${svc}`) ?? []).filter((a) => a.epoch === epoch
      && a.at >= since && a.at <= at && !(a.at === at && a.step !== undefined
        && h.step !== undefined && a.step > h.step)).reduce((m, a) => Math.max(m, a.idx), -1);
    if (covered >= tip) continue;
    problems.push(`s${svc}: ${p} handed the primary role to ${h.data.to} at t=${at}us holding ` +
      `index ${tip} at ${epoch}, but ${h.data.to}'s acks to it at that epoch covered ` +
      `${covered < 0 ? 'nothing' : `index ${covered}`}: a planned successor must hold every ` +
      'update (P2.6 #2)');
  }
  return { problems, judged };
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
      `${r.judged} planned handoffs, each to a successor that had acked the tip`);
  },
};
