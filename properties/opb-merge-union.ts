/**
 * P2.10 #4, membership change concurrent with a partition: "two sides add different
 * replacements ⇒ membership merge on heal (union then trim by placement policy)". A primary that
 * hears another primary's claim and wins takes the union of both memberships at once; only its
 * repair trims back to k, later. Stryker #848 of the seed-49 sample dropped the union: the loser's
 * members outside the winner's list handed over and left, the winner repaired by JOIN instead,
 * and every other check held.
 *
 * Evidence: the message record and the winner's role facts. A claim travels in a CLAIM, UPDATE,
 * TRANSFER, JOIN or HANDOFF (`L@epoch mV[members]`), in a primary's own heartbeat (`Hb sS
 * primary p=L ...`) or in a node's gossip (`claims=sS:L@epoch mV[members],...`). When
 * such a claim of L reaches a primary W, and W answers L in the same step with a CLAIM of its own
 * (`W@...`: it won, conflict.ts), that claim's members M must hold every member of L's list
 * unless M already has a member in its data center (distinct DCs is the hard rule, applied at
 * once) or that member refused W within T_cool before (a JOIN-ACK with ok=false from it: first
 * reservation wins, P2.6). A loser tells a winner of a lower epoch about itself with a CLAIM
 * too: W won when its role facts (the latest of a step up to that instant) still say primary.
 * Conversely M must not take back a member of L's list whose refusal W took within T_cool
 * before (`takenBack` below): Stryker #864 of the seed-51 sample did, and held, for the node
 * refused again and nothing else read the answer (opb-merge-refused-cool seed 0).
 * Not judged: runs with reorganization off, a winner from its first corruption on.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { namedSince, takenRefusals, type Taken } from './opb-join-refusal.js';
import { buildWorld, skewedNode, type World } from './opb-world.js';
import { numberParam, pushTo, stepOf, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const CLAIM = /^(?:Claim|Upd|Xfer|Join|Handoff) s(\d+) (\S+)@\S+ m\d+\[([^\]]*)\]/;
const PRIMARY_HB = /^Hb s(\d+) primary p=(\S+) e=\S+ m\d+\[([^\]]*)\]/;
const OWN_CLAIM = /^Claim s(\d+) (\S+)@\S+ m\d+\[([^\]]*)\]/;
const REFUSAL = /^JoinAck s(\d+) ok=false/;

const GOSSIP_CLAIM = /s(\d+):(\S+)@\S+ m\d+\[([^\]]*)\]/g;

type Carried = { svc: string; node: string; members: string[] };

/** The claims a message carries: service, claimant and members of each. */
function claimsIn(m: MessageFact): Carried[] {
  const c = CLAIM.exec(m.label);
  if (c !== null) return [{ svc: c[1]!, node: c[2]!, members: c[3]!.split(',') }];
  const h = PRIMARY_HB.exec(m.label);
  if (h !== null && h[2] === m.from) {
    return [{ svc: h[1]!, node: h[2]!, members: h[3]!.split(',') }];
  }
  if (!m.label.startsWith('Gossip ')) return [];
  return [...m.label.slice(m.label.indexOf(' claims=')).matchAll(GOSSIP_CLAIM)]
    .map((g) => ({ svc: g[1]!, node: g[2]!, members: g[3]!.split(',') }));
}

/** The role `node`'s facts give it for `svc` after its steps up to `t`, null if none. */
function roleAfter(roles: ReadonlyMap<string, readonly { at: number; role: string }[]>,
  node: string, svc: string, t: number): string | null {
  let role: string | null = null;
  for (const f of roles.get(`${node}|${svc}`) ?? []) {
    if (f.at > t) break;
    role = f.role;
  }
  return role;
}

export function mergeUnionProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.params['reorg'] === false) return 'reorganization off';
  if (run.messages === undefined) return 'the run kept no message record';
  const coolUs = numberParam(run, 'coolUs', 0);
  const dcOf = new Map(run.endpoints.map((e) => [e.name, e.dc]));
  const corrupted = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'corrupted' && !corrupted.has(e.node)) corrupted.set(e.node, e.at);
  }
  // A node's own CLAIM sent to another, by (sender, receiver, service, step instant).
  const answers = new Map<string, string[]>();
  const refusals = new Map<string, number[]>();
  for (const m of run.messages) {
    const own = OWN_CLAIM.exec(m.label);
    if (own !== null && own[2] === m.from) {
      answers.set(`${m.from}>${m.to}|${own[1]}@${stepOf(m)}`, own[3]!.split(','));
    }
    const r = REFUSAL.exec(m.label);
    if (r !== null && m.drop === null) pushTo(refusals, `${m.from}>${m.to}|${r[1]}`, m.at);
  }
  const roles = new Map<string, { at: number; seq: number; role: string }[]>();
  const world = buildWorld(run);
  const taken = takenRefusals(run);
  for (const o of world.obs('opb.role')) {
    pushTo(roles, `${o.node}|${o.data.service}`, { at: stepTime(o), seq: o.seq,
      role: o.data.role });
  }
  for (const list of roles.values()) list.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const problems: string[] = [];
  const reported = new Set<string>();
  let judged = 0;
  for (const m of run.messages) {
    if (m.drop !== null) continue;
    for (const claim of claimsIn(m)) {
      const w = m.to;
      if (claim.node === w || m.at >= (corrupted.get(w) ?? Infinity)) continue;
      const merged = answers.get(`${w}>${claim.node}|${claim.svc}@${m.at}`);
      // A loser tells a winner of a lower epoch about itself too: only a primary still one
      // after the step won.
      if (merged === undefined || roleAfter(roles, w, claim.svc, m.at) !== 'primary') continue;
      judged++;
      const dcs = new Set(merged.map((n) => dcOf.get(n)));
      const left = claim.members.filter((n) => !merged.includes(n) && !dcs.has(dcOf.get(n))
        && !(refusals.get(`${n}>${w}|${claim.svc}`) ?? [])
          .some((at) => at <= m.at && m.at - at <= coolUs));
      if (left.length > 0) {
        problems.push(`${w} won over ${claim.node}'s claim of s${claim.svc} ` +
          `[${claim.members.join(',')}] (${m.label.split(' ')[0]} from ${m.from} at ` +
          `t=${m.at}us) and answered with members [${merged.join(',')}], leaving out ` +
          `${left.join(', ')} in data centers it does not hold: the winner takes the union of ` +
          'both memberships');
      }
      for (const [n, t] of takenBack(world, run, taken, w, claim, merged, m.at)) {
        // Once per claim heard and node: a heartbeat and its copy are one act.
        const key = `${w}|${claim.node}|${claim.svc}|${m.at}|${n}`;
        if (reported.has(key)) continue;
        reported.add(key);
        problems.push(`${w} won over ${claim.node}'s claim of s${claim.svc} ` +
          `[${claim.members.join(',')}] (${m.label.split(' ')[0]} from ${m.from} at ` +
          `t=${m.at}us) and answered with members [${merged.join(',')}], taking back ${n}, ` +
          `whose refusal of its JOIN it took at t=${t}us, within T_cool (first reservation ` +
          'wins: the union leaves out a node that refused the winner)');
      }
    }
  }
  return { problems, judged };
}

/**
 * The members of the loser's list that W's answer took back though W had taken their refusal
 * of its JOIN of σ within T_cool before (its `opb.move` fact of phase `refused`, or the node's
 * negative JoinAck reaching it with a move adding the node open: opb-join-refusal), with the
 * instant W took it. W drops the node then, and the union must leave it out for T_cool (P2.6,
 * first reservation wins; explore trial 3074 of opb-join-refused: n10 hosted s1 with no room
 * and no JOIN). Not judged across a crash of W or a leave of σ (the refusal is volatile, kept
 * by the replica), on a skewed W (cool-downs run on its clock), or when W named the node a
 * member of σ again after taking the refusal (its own list held it before the merge: the
 * union did not take it back).
 */
function takenBack(world: World, run: RunRecord, taken: readonly Taken[], w: string,
  claim: Carried, merged: readonly string[], at: number): [string, number][] {
  const svc = Number(claim.svc);
  const out: [string, number][] = [];
  for (const n of claim.members) {
    if (!merged.includes(n) || n === w) continue;
    const t = taken.filter((r) => r.p === w && r.add === n && r.svc === svc && r.at <= at
      && at - r.at <= r.coolUs).at(-1);
    if (t === undefined || skewedNode(world, w, at)) continue;
    const down = (world.down.get(w) ?? []).some(([a, b]) => b >= t.at && a <= at);
    const left = world.obs('opb.leave').some((o) => o.node === w && o.data.service === svc
      && o.at >= t.at && o.at <= at);
    if (down || left || namedSince(run, w, svc, n, t.at + 1, at - 1)) continue;
    out.push([n, t.at]);
  }
  return out;
}

export const opbMergeUnion: Property = {
  name: 'opb-merge-union',
  description: 'P2.10 #4: a primary that wins over another primary\'s claim takes the union of ' +
    'both memberships at once, but for data centers it holds and refusals, and never a node ' +
    'whose refusal it took within T_cool (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, mergeUnionProblems(run), 'no primary won over a claim',
      (n) => `${n} claims won, each answered with the union of both memberships`);
  },
};
