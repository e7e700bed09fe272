/**
 * The reply rule (P2.4 #4): a primary answers a write only after `w` backups acknowledged it,
 * `w` capped by the number of backups it does not suspect. Judged from the message record, not
 * from the primary's own count: a backup it heard directly (a heartbeat, an update or a state
 * transfer it handled) less than `fdUs` before the answer is one it could not suspect (P2.4 #1),
 * so at least min(w, such backups) members must have sent it an ACK covering the index before
 * the answer. The ACKs are counted generously (any epoch, any ACK handled since the primary's
 * last boot): an upper bound on the acks it held, so a missing one is a real early answer
 * (mutation #3199 of the seed-41 sample answered a client's retry of a write no backup had
 * acknowledged yet).
 *
 * A member counts as unsuspected only if the primary's digests just before and just after the
 * answer both list it (membership may change between digests; the one after by its place in
 * the record, so a digest of the answer's own step counts), and only from messages handled
 * while it was primary (its role fact). An ACK counts from any member those digests list, or
 * that the heartbeats, updates and state transfers the primary sent between them list (a member
 * added and dropped again between two digests). Not judged: runs without a message record or
 * with the cost model, a primary once paused or corrupted (it may handle a message long after
 * it arrived), and one whose clock was skewed (its failure detector runs on that clock: explore
 * seed 850749 of opb-three-way, n5's clock skewed at 1.983 s answered with two acks of w = 3
 * while it had heard three backups within fdUs of global time); a message of the answer's very
 * instant does not count as heard before it.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { parseAck } from './opb-ack-label.js';
import { buildWorld, latestAt, skewedNode, type OpbObserved } from './opb-world.js';
import { countBelowBy, firstHeld, numberParam, pushTo, stepOf, stepTime }
  from './run-values.js';
import { verdictOf, type Property } from './types.js';

const HEARD = /^(?:Hb|Upd|Xfer) s(\d+) /;
/** The membership a heartbeat, update or state transfer carries. */
const LISTED = /^(?:Hb|Upd|Xfer) s(\d+) .*? m\d+\[([^\]]*)\]/;

export function replyRuleProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const world = buildWorld(run);
  const held = firstHeld(run);
  const w = numberParam(run, 'w', 1);
  const fdUs = numberParam(run, 'fdUs', 150_000);
  // Per link and service ("from>to|svc"), by arrival: the ACKs (index) and the direct sightings.
  const acks = new Map<string, { at: number; idx: number }[]>();
  const heard = new Map<string, number[]>();
  // Per sender and service ("from|svc"), by its step: the memberships its messages listed.
  const listed = new Map<string, { at: number; members: string[] }[]>();
  for (const m of messages) {
    const l = LISTED.exec(m.label);
    if (l !== null) {
      pushTo(listed, `${m.from}|${l[1]}`, { at: stepOf(m), members: l[2]!.split(',') });
    }
    if (m.drop !== null) continue;
    const a = parseAck(m.label);
    if (a !== null) pushTo(acks, `${m.from}>${m.to}|${a.svc}`, { at: m.at, idx: a.idx });
    const h = HEARD.exec(m.label);
    if (h !== null) pushTo(heard, `${m.from}>${m.to}|${h[1]}`, m.at);
  }
  const boots = new Map<string, number[]>();
  for (const e of run.nodeEvents) if (e.kind === 'up') pushTo(boots, e.node, e.at);
  const stepped = <T extends { readonly at: number; readonly stepAt?: number }>(o: T): T =>
    ({ ...o, at: stepTime(o) });
  const roles = new Map<string, OpbObserved<'opb.role'>[]>();
  for (const r of world.obs('opb.role')) pushTo(roles, `${r.node}|${r.data.service}`, stepped(r));
  const digests = new Map<string, OpbObserved<'opb.digest'>[]>();
  for (const d of world.obs('opb.digest')) {
    pushTo(digests, `${d.node}|${d.data.service}`, stepped(d));
  }
  for (const map of [roles, digests]) {
    for (const list of map.values()) list.sort((a, b) => a.at - b.at);
  }
  for (const list of listed.values()) list.sort((a, b) => a.at - b.at);
  const problems: string[] = [];
  let judged = 0;
  for (const o of world.obs('opb.acked')) {
    const p = o.node;
    const svc = o.data.service;
    const at = stepTime(o);
    if ((held.get(p) ?? Infinity) <= at || skewedNode(world, p, at)) continue;
    const role = latestAt(roles.get(`${p}|${svc}`) ?? [], at);
    const list = digests.get(`${p}|${svc}`) ?? [];
    const before = latestAt(list, at - 1);
    // The digest after the answer by its place in the record, not its time: a tick's step
    // answers, then reports its digest in the same microsecond (explore trial 1653829 of
    // opb-clients-asleep: n3's tick at 8 s dropped n8 (consolidate) and n13 for n14 (repair),
    // then answered c9#50 on n10's ack, w capped at 1 as n14 was unheard; its digest of that
    // step lists [n3,n10,n14], but `d.at > at` took the one at 8.05 s, n8 merged back at
    // 8.011 s, and counted n8 as a backup it could not suspect).
    const after = list.find((d) => d.at > at || (d.at === at && d.seq > o.seq));
    if (role === undefined || role.data.role !== 'primary' || before === undefined
      || after === undefined) {
      continue;
    }
    judged++;
    const boot = Math.max(-1, ...(boots.get(p) ?? []).filter((t) => t <= at));
    const from = Math.max(role.at, at - fdUs);
    const seen = before.data.members.filter((b) => b !== p && after.data.members.includes(b)
      && (heard.get(`${b}>${p}|${svc}`) ?? []).some((t) => t > from && t < at));
    // Whose acks may count: a member the digests list, or one that joined and left between
    // them, as the heartbeats and updates p sent meanwhile list it (explore trial 1460383 of
    // opb-lost-transfer-to-empty: n3 merged loser n9 at 3.202 s and dropped it at 3.25 s, its
    // digests at 3.2 s and 3.25 s never listed it, and n9's ack was the third of w = 3).
    const sent = listed.get(`${p}|${svc}`) ?? [];
    const between = sent.slice(countBelowBy(sent, (l) => l.at, before.at),
      countBelowBy(sent, (l) => l.at, at + 1)).flatMap((l) => l.members);
    const holders = before.data.members.concat(after.data.members, between).filter((b, i, all) =>
      b !== p && all.indexOf(b) === i && (acks.get(`${b}>${p}|${svc}`) ?? []).some((a) =>
        a.at > boot && a.at <= at && a.idx >= o.data.index));
    const need = Math.min(w, seen.length);
    if (holders.length >= need) continue;
    problems.push(`s${svc}: ${p} answered ${o.data.client}#${o.data.seq} (index ` +
      `${o.data.index}) at t=${at}us with acks covering it from [${holders.join(',')}] only, ` +
      `though w=${w} and it heard [${seen.join(',')}] within fdUs`);
  }
  return { problems, judged };
}

export const opbReplyRule: Property = {
  name: 'opb-reply-rule',
  description: 'P2.4 #4: a primary answers a write only once min(w, backups it heard within ' +
    'fdUs) members acknowledged it (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = replyRuleProblems(run);
    if (typeof r === 'string') return { property: this.name, status: 'skip', message: r };
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} answers, each after the acks the reply rule asks`);
  },
};
