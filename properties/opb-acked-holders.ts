/**
 * The `opb.acked` contract: when a primary answers a write it reports which backups held the
 * update (`backups`), and C6 reads that list to decide which copies had to be lost before a lost
 * write is excused. A list missing a holder makes C6 excuse more (mutation #2801 of the seed-19
 * sample: the list always empty). Checked against the backups' own acknowledgements in the
 * message record: a member whose latest ACK the primary handled before the answer, at the
 * primary's epoch, covers the index with an entry written under that epoch (so the primary's
 * own entry, by log matching), and no state transfer was sent to it since nor did a heartbeat
 * of it report less 2 T_hb or more after the ACK (either makes the primary forget its acks),
 * must be listed.
 *
 * The primary's epoch and role are its `opb.role` facts (an ACK of another epoch is ignored,
 * and a role change forgets every ack); membership is its digest's just before the answer, less
 * a member a move dropped since and less one the primary added (a merge on heal, a move's start)
 * after the ACK arrived: a primary ignores a non-member's ACK.
 * Every fact of the primary is placed at its step (`stepAt`), not at its record: behind a slow
 * disk a fact is recorded when the write lands, so by record time the answer would be judged
 * by an older membership, role or transfer than the one its step saw.
 * Not judged: runs without a message record, with the cost model (a busy node handles a message
 * after it arrives), or with a pause or corruption of the primary (held messages are handled in
 * an order the record does not give); an answer at the instant an ACK arrived (the order inside
 * an instant is not recorded).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { parseAck } from './opb-ack-label.js';
import { buildWorld, latestAt, type OpbObserved } from './opb-world.js';
import { firstHeld, stepOf, stepTime } from './run-values.js';
import { forgotAsLost, HB_INDEX, hbUsOf, type Report } from './opb-lost-ack.js';
import { verdictOf, type Property } from './types.js';

const XFER = /^Xfer s(\d+) /;
const BACKUP_HB = /^Hb s(\d+) backup p=\S+ e=\S+ m(\d+)\[([^\]]*)\]/;

export function ackedHoldersProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const world = buildWorld(run);
  const held = firstHeld(run);
  // Per link and service ("from>to|svc"): the ACKs delivered, by arrival, and the transfers sent.
  const acks = new Map<string, { at: number; epoch: string; idx: number; entry: string }[]>();
  const xfers = new Map<string, number[]>();
  const push = <T>(map: Map<string, T[]>, key: string, v: T): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [v]);
    else list.push(v);
  };
  for (const m of messages) {
    // The transfer's step forgot the acks, even if the transfer left later (after a disk write)
    // or the network lost it (explore trial 999305: a late ACK below n1's checkpoint drew a
    // transfer to n14, lost at once, and n1's next reply rightly listed n11 alone).
    const x = XFER.exec(m.label);
    if (x !== null) push(xfers, `${m.from}>${m.to}|${x[1]}`, stepOf(m));
    if (m.drop !== null) continue;
    const a = parseAck(m.label);
    if (a !== null) {
      push(acks, `${m.from}>${m.to}|${a.svc}`,
        { at: m.at, epoch: a.epoch, idx: a.idx, entry: a.entry });
    }
  }
  for (const list of acks.values()) list.sort((a, b) => a.at - b.at);
  // Per link and service, the heartbeats delivered: one reporting less than the member acked
  // makes the primary forget the ACK (opb-lost-ack.ts; explore trial 1692269 of
  // opb-handback-lost-ack: n1 acked index 1 at 0.247 s, came back empty and heartbeated index
  // 0, and n5's answer of 1.604 s rightly left it out).
  const hbs = new Map<string, Report[]>();
  for (const m of messages) {
    const h = m.drop === null ? HB_INDEX.exec(m.label) : null;
    if (h !== null) push(hbs, `${m.from}>${m.to}|${h[1]}`, { at: m.at, idx: Number(h[2]) });
  }
  const hbUs = hbUsOf(run);
  // The primary's role and membership as its steps saw them: each fact at its step's time
  // (explore seed 830008 of opb-spike: n1's disk, 185 ms a write, recorded at 1.851 s the digest
  // of its step at 1.75 s that had dropped n7 by a move, and an answer of its step at 1.841 s
  // was judged by the digest recorded at 1.825 s, still listing n7).
  const stepped = <T extends { readonly at: number; readonly stepAt?: number }>(o: T): T =>
    ({ ...o, at: stepTime(o) });
  const byStep = <T extends { readonly at: number }>(map: Map<string, T[]>): void => {
    for (const list of map.values()) list.sort((a, b) => a.at - b.at);
  };
  const roles = new Map<string, OpbObserved<'opb.role'>[]>();
  for (const r of world.obs('opb.role')) push(roles, `${r.node}|${r.data.service}`, stepped(r));
  byStep(roles);
  const digests = new Map<string, OpbObserved<'opb.digest'>[]>();
  for (const d of world.obs('opb.digest')) push(digests, `${d.node}|${d.data.service}`, stepped(d));
  byStep(digests);
  const moves = new Map<string, OpbObserved<'opb.move'>[]>();
  for (const m of world.obs('opb.move')) push(moves, `${m.node}|${m.data.service}`, m);
  // A member a move of p dropped after the digest was taken (a repair drops a dead member at
  // once): no longer counted (explore-drawn trial 5176 of opb-orphans-member: n5, paused, was
  // replaced at 2.0 s, and its held ACKs reached n1 after that). So is the new member of a move
  // p gave up (`abort`, `refused`: reorg.ts removes it; mutation #3398 of the seed-37 sample,
  // aborting after one window, had n9 abort n1's move at 2.6003 s of opb-lost-transfer-to-empty
  // seed 1 and take n1's ack 0.7 ms later, judged by the digest of 2.6 s). So is a member a
  // repair trimmed (reorg.ts trim(), in a load tick between two digests: explore seed 850749 of
  // opb-three-way, n5 trimmed n11 and n9 at 2.5278 s and answered at 2.5401 s, judged by its
  // digest of 2.4944 s; seed 850518 of opb-checkpoint-split, n9 trimmed n1 the same way).
  const dropped = (p: string, svc: number, b: string, from: number, to: number): boolean =>
    (moves.get(`${p}|${svc}`) ?? []).some((m) => (m.data.drop === b
      && (m.data.phase === 'start' || m.data.phase === 'done' || m.data.phase === 'trim')
      || m.data.add === b && (m.data.phase === 'abort' || m.data.phase === 'refused'))
      && stepTime(m) >= from && stepTime(m) <= to);
  // A member the primary added after the ACK arrived was no member when it did: a primary
  // ignores a non-member's ACK (primary.ts onSync). Added by a merge on heal or a move's start
  // (explore trial 191 of opb-bridge-loser-leaves, seed 24: n13 left s1, its ACK of 31 reached
  // n1 at 1.338 s, n1 merged it back at 1.448 s and answered index 8 at 1.450 s without it).
  const merges = new Map<string, OpbObserved<'opb.merge-members'>[]>();
  for (const m of world.obs('opb.merge-members')) push(merges, `${m.node}|${m.data.service}`, m);
  const added = (p: string, svc: number, b: string, from: number, to: number): boolean =>
    (merges.get(`${p}|${svc}`) ?? []).some((m) => m.data.added.includes(b)
      && stepTime(m) > from && stepTime(m) <= to)
    || (moves.get(`${p}|${svc}`) ?? []).some((m) => m.data.add === b && m.data.phase === 'start'
      && stepTime(m) > from && stepTime(m) <= to);
  // A newer membership naming the primary that a backup's heartbeat carried, handled after the
  // digest was taken: the primary adopted it (messages.ts backupHb), and a member it leaves out
  // is no longer counted. Explore trial 1612277 of opb-three-way: n5, restarted at 3.0 s with
  // n5's old membership m4[n5,n3,n7,n1], heartbeated n1 (primary of 2:1.n1 under m0, versions
  // having gone back when n1's group followed n9's newer epoch); n1 took m4 at 3.0086 s and
  // answered index 81 at 3.0154 s without n9, judged by its digest of 3.0 s still listing n9.
  const adopted = new Map<string, { at: number; step: number | undefined; version: number;
    members: string[] }[]>();
  for (const m of messages) {
    const h = m.drop === null ? BACKUP_HB.exec(m.label) : null;
    const members = h === null ? [] : h[3]!.split(',');
    if (h !== null && members.includes(m.to)) {
      push(adopted, `${m.to}|${h[1]}`, { at: m.at, step: m.step, version: Number(h[2]), members });
    }
  }
  /** The membership p held at its answer `o`: the digest's, or a newer one adopted since. */
  const heldMembers = (p: string, svc: number, digest: OpbObserved<'opb.digest'>,
    o: OpbObserved<'opb.acked'>): readonly string[] => {
    let best = { version: digest.data.membershipVersion, members: digest.data.members };
    const after = (a: { at: number; step?: number | undefined },
      b: { at: number; step?: number | undefined }): boolean =>
      a.step !== undefined && b.step !== undefined ? a.step > b.step : a.at > b.at;
    for (const h of adopted.get(`${p}|${svc}`) ?? []) {
      if (h.version > best.version && after(h, { at: digest.at, step: digest.step })
        && !after(h, { at: stepTime(o), step: o.step })) best = h;
    }
    return best.members;
  };
  const problems: string[] = [];
  let judged = 0;
  for (const o of world.obs('opb.acked')) {
    const p = o.node;
    const svc = o.data.service;
    if (held.has(p)) continue;
    judged++;
    // The step that answered, not the record: behind a slow disk the fact is recorded when the
    // write lands, and ACKs that arrived meanwhile were not handled yet (explore-drawn trial
    // 3074 of opb-join-refused: n1's disk took 140 ms a write, and its answers were judged
    // against ACKs that came after them).
    const at = stepTime(o);
    const role = latestAt(roles.get(`${p}|${svc}`) ?? [], at);
    const digest = latestAt(digests.get(`${p}|${svc}`) ?? [], at - 1);
    if (role === undefined || role.data.role !== 'primary' || digest === undefined) continue;
    const since = role.at;
    const members = heldMembers(p, svc, digest, o);
    for (const b of digest.data.members) {
      if (b === p || o.data.backups.includes(b) || dropped(p, svc, b, digest.at, at)) continue;
      if (!members.includes(b)) continue;
      const last = latestAt(acks.get(`${b}>${p}|${svc}`) ?? [], at);
      if (last === undefined || last.at <= since || last.at === at) continue;
      if (added(p, svc, b, last.at, at)) continue;
      // Its entry at that index written under the primary's own epoch: from this primary, so
      // the same entry (log matching). An older one may be another branch's (explore: a backup
      // that kept its old primary's entry after a handoff acked an index the new one had
      // written anew; the primary rightly did not count it).
      if (last.epoch !== role.data.epoch || last.entry !== role.data.epoch
        || last.idx < o.data.index) continue;
      if ((xfers.get(`${p}>${b}|${svc}`) ?? []).some((t) => t >= last.at && t <= at)) continue;
      if (forgotAsLost(hbs.get(`${b}>${p}|${svc}`) ?? [], last, at, hbUs)) continue;
      problems.push(`s${svc}: ${p} answered ${o.data.client}#${o.data.seq} (index ` +
        `${o.data.index}) at t=${at}us listing backups [${o.data.backups.join(',')}], but ` +
        `member ${b}'s ack of ${last.idx} at ${role.data.epoch} reached it at t=${last.at}us`);
    }
  }
  return { problems, judged };
}

export const opbAckedHolders: Property = {
  name: 'opb-acked-holders',
  description: 'the opb.acked contract: an answered write lists every member whose handled ack ' +
    'covered it (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = ackedHoldersProblems(run);
    if (typeof r === 'string') return { property: this.name, status: 'skip', message: r };
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} answers, each listing every member whose ack covered it`);
  },
};
