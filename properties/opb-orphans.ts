/**
 * P2.5 orphan exactness: a loser that installs a winner's state re-submits "those [requests]
 * applied after forkPoint" — not the common prefix (the winner's dedup would hide that: mutant
 * #1087, fork point always 0), and none of what it held past the fork.
 *
 * Evidence, none of it the loser's own report (`opb.install`): the RESUBMIT contents and the
 * transfers from the simulator's message record; both histories as epochs per index from the
 * replicas' digests, and the request at (epoch, index) from the primaries' `opb.exec` facts
 * (log matching: one entry per (epoch, index); `opb-log-matching` checks it). A digest is a
 * prefix of the history at the install (the loser's) or at the transfer (the winner's) if no
 * other transfer reached that replica and it did not restart in between. Where both prefixes
 * agree, the fork is at least there; a first disagreement at j puts it at exactly j−1.
 * Each message is placed at the step that made it (`stepAt`), not at its departure: behind a slow
 * disk a transfer leaves long after its step and carries the winner's history of that step, not
 * of its departure (explore seed 43271 of opb-balance-no-room: n1's transfer of 6 entries, made
 * at 1.199 s, left at 1.398 s when n1 held 8; n3, holding those 8, rightly re-submitted 7 and 8).
 *
 * A RESUBMIT also carries orphans still pending from before (outbox.ts: one message per service,
 * the union, until a primary confirms its id): requests of the sender's last earlier, unconfirmed
 * RESUBMIT of that service are not judged again. Not judged: runs without a message record
 * (sweep, explore); a loser outside the transfer's membership (P2.10 #4 hands over every write,
 * fork 0 by design); a replica ever scrambled by `corrupt`; an install lacking either digest.
 */
import type { MessageFact } from '../simulator/run-record.js';
import { buildWorld, nodeFacts, parseLineage, type World } from './opb-world.js';
import { verdictOf, type Property, type Verdict } from './types.js';
import { pushTo, stepOf, stepTime } from './run-values.js';

export const RESUBMIT = /^(?:Resubmit|Discarded) s(\d+) e=\S+ n=\d+ id=(\d+) reqs=(\S*)$/;
const XFER = /^Xfer s(\d+) (\S+)@\S+ m\d+\[([^\]]*)\]/;
export const CONFIRM = /^Resubmitted s(\d+) id=(\d+)$/;

interface Xfer { readonly m: MessageFact; readonly svc: number; readonly node: string;
  readonly members: readonly string[] }

interface Resubmit { readonly m: MessageFact; readonly svc: number; readonly id: number;
  readonly reqs: readonly string[] }

/** A `Discarded` RESUBMIT delivered to P with requests in it, and P's confirmation (P took it). */
export interface TakenDrop extends Resubmit { readonly p: string; readonly took: MessageFact }

/**
 * The discard checks' one pass over the record (opb-discard-told, opb-notice-retired): each
 * `Discarded` RESUBMIT delivered with requests in it whose receiver P confirmed it (only a
 * primary does) from the step that handled it on, in record order; and every RESUBMIT
 * delivered, by `P|service` in record order (each may hand P notices again).
 */
export function takenDrops(messages: readonly MessageFact[]):
  { drops: TakenDrop[]; handed: Map<string, MessageFact[]> } {
  const confirms = new Map<string, MessageFact[]>();
  const handed = new Map<string, MessageFact[]>();
  const delivered: Resubmit[] = [];
  for (const x of messages) {
    const c = x.label.startsWith('Resubmitted') ? CONFIRM.exec(x.label) : null;
    if (c !== null) {
      pushTo(confirms, `${x.from}|${x.to}|${c[1]}|${c[2]}`, x);
      continue;
    }
    const r = x.drop === null ? parseResubmit(x) : null;
    if (r === null) continue;
    pushTo(handed, `${x.to}|${r.svc}`, x);
    if (x.label.startsWith('Discarded') && r.reqs.length > 0) delivered.push(r);
  }
  const drops: TakenDrop[] = [];
  for (const r of delivered) {
    const p = r.m.to;
    const took = confirms.get(`${p}|${r.m.from}|${r.svc}|${r.id}`)
      ?.find((c) => stepOf(c) >= r.m.at);
    if (took !== undefined) drops.push({ ...r, p, took });
  }
  return { drops, handed };
}

/** A digest: the history prefix it shows (epochs up to idx), with its step's time. */
interface Prefix { readonly at: number; readonly idx: number; readonly lineage: string }

function parseResubmit(m: MessageFact): Resubmit | null {
  const hit = RESUBMIT.exec(m.label);
  if (hit === null) return null;
  return { m, svc: Number(hit[1]), id: Number(hit[2]),
    reqs: hit[3] === '' ? [] : hit[3]!.split(',') };
}

/** The epoch of each index 1..idx of a lineage ("c.n:last,…"). */
function epochs(p: Prefix): string[] {
  const out: string[] = [];
  for (const [e, last] of parseLineage(p.lineage)) {
    while (out.length < Math.min(last, p.idx)) out.push(e);
  }
  return out;
}

/** The last digest of node's replica of svc whose step ran at or before `t` (strictly if asked). */
function prefixAt(world: World, node: string, svc: number, t: number, strict: boolean):
  Prefix | undefined {
  let best: Prefix | undefined;
  for (const o of world.obs('opb.digest')) {
    const at = stepTime(o);
    if (o.node !== node || o.data.service !== svc || at > t || (strict && at === t)) continue;
    if (best === undefined || at >= best.at) {
      best = { at, idx: o.data.index, lineage: o.data.lineage };
    }
  }
  return best;
}


/** The requests pending at `node` for `svc` just before `t`: its last unconfirmed RESUBMIT's. */
function pendingAt(all: readonly Resubmit[], messages: readonly MessageFact[], node: string,
  svc: number, t: number): Set<string> {
  let last: Resubmit | undefined;
  for (const r of all) if (r.m.from === node && r.svc === svc && stepOf(r.m) < t) last = r;
  if (last === undefined) return new Set();
  const confirmed = messages.some((c) => {
    const hit = CONFIRM.exec(c.label);
    return hit !== null && c.to === node && c.drop === null && c.at < t
      && Number(hit[1]) === svc && Number(hit[2]) === last.id;
  });
  return confirmed ? new Set() : new Set(last.reqs);
}

/** The problems with the RESUBMITs sent by installs (see the header), and how many were judged. */
export function orphanProblems(world: World, messages: readonly MessageFact[]):
  { problems: string[]; judged: number } {
  const scrambled = new Set(nodeFacts(world, 'corrupted').map((f) => f.node));
  const downs = nodeFacts(world, 'down');
  const restarted = (node: string, from: number, to: number): boolean =>
    downs.some((f) => f.node === node && f.at > from && f.at <= to);
  const resubmits = messages.map(parseResubmit).filter((r): r is Resubmit => r !== null);
  const xfers = messages.flatMap((m): Xfer[] => {
    const hit = m.drop === null ? XFER.exec(m.label) : null;
    return hit === null ? [] : [{ m, svc: Number(hit[1]), node: hit[2]!,
      members: hit[3] === '' ? [] : hit[3]!.split(',') }];
  });
  // Only an installed transfer, a restart (lost writes, amnesia) or corruption can take entries
  // out of a history: updates append, and a diverging one stops (backup.ts).
  const replaced = (node: string, svc: number, from: number, to: number, x: Xfer): boolean =>
    restarted(node, from, to) || xfers.some((y) => y !== x && y.m.to === node && y.svc === svc
      && y.m.at >= from && y.m.at <= to);
  const reqAt = new Map<string, string>();
  for (const o of [...world.obs('opb.exec'), ...world.lost('opb.exec')]) {
    const d = o.data;
    reqAt.set(`${d.service}|${d.epoch}|${d.index}`, `${d.client}#${d.seq}`);
  }
  const problems: string[] = [];
  let judged = 0;
  for (const r of resubmits) {
    const loser = r.m.from;
    const t = stepOf(r.m);
    const x = xfers.find((y) => y.m.to === loser && y.m.at === t && y.svc === r.svc
      && y.m.from === r.m.to && y.node === r.m.to);
    if (x === undefined || !x.members.includes(loser)) continue;
    const winner = x.node;
    if (scrambled.has(loser) || scrambled.has(winner)) continue;
    const mine = prefixAt(world, loser, r.svc, t, true);
    const made = stepOf(x.m);
    const theirs = prefixAt(world, winner, r.svc, made, false);
    if (mine === undefined || theirs === undefined
      || replaced(loser, r.svc, mine.at, t, x) || replaced(winner, r.svc, theirs.at, made, x)) {
      continue;
    }
    judged++;
    const a = epochs(mine);
    const b = epochs(theirs);
    const n = Math.min(a.length, b.length);
    let agree = 0;
    while (agree < n && a[agree] === b[agree]) agree++;
    const sent = new Set(r.reqs);
    const carried = pendingAt(resubmits, messages, loser, r.svc, t);
    const where = `s${r.svc}: ${loser} installing ${winner}'s transfer at t=${t}us`;
    for (let i = 1; i <= agree; i++) {
      const req = reqAt.get(`${r.svc}|${a[i - 1]}|${i}`);
      if (req !== undefined && sent.has(req) && !carried.has(req)) {
        problems.push(`${where} re-submitted ${req}, at index ${i} of epoch ${a[i - 1]} in ` +
          `both histories (fork point ≥ ${agree})`);
        break;
      }
    }
    if (agree === n) continue; // the fork may lie past both prefixes: a missing orphan is moot
    for (let i = agree + 1; i <= a.length; i++) {
      const req = reqAt.get(`${r.svc}|${a[i - 1]}|${i}`);
      if (req !== undefined && !sent.has(req)) {
        problems.push(`${where} did not re-submit ${req}, its entry ${i} of epoch ` +
          `${a[i - 1]}, past the fork point ${agree}`);
        break;
      }
    }
  }
  return { problems, judged };
}

export const opbOrphans: Property = {
  name: 'opb-orphans',
  description: 'P2.5: a loser installing the winner\'s state re-submits exactly the requests it ' +
    'applied after their fork point (judged from the message record)',
  protocols: ['opb'],
  check(run): Verdict {
    // Without the message record the RESUBMIT contents are unknown: nothing to judge.
    if (run.messages === undefined) {
      return { property: this.name, status: 'skip', message: 'the run kept no message record' };
    }
    const { problems, judged } = orphanProblems(buildWorld(run), run.messages);
    return verdictOf(this.name, problems, { installsJudged: judged },
      `${judged} installs, each re-submitting exactly its orphans`);
  },
};
