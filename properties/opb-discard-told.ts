/**
 * P2.5 `discard`: the winner drops the orphans a loser hands it and tells their clients "on their
 * next reply" (a notice riding on its replies to that client). Mutation #3180 of the seed-39
 * sample (the winner counted every orphan as executed: no notice ever) kept every check green:
 * C6 excuses a write lost to a fork under `discard` whether or not its client was told.
 *
 * Evidence, none of it the winner's own report of notices (`opb.discard`): the message record
 * (a `Discarded` RESUBMIT delivered to P, and P's `Resubmitted` answer to it, which only a
 * primary sends), the final chain (the dropped write is not in it), the node facts and role
 * reports (P stayed primary, never crashed, paused or corrupted, from then to the end, so its
 * state at the end holds everything it held then: a write P held then is in the final chain),
 * and the client's own history. Judged: each dropped write whose client's first reply from P
 * for that service after the drop was delivered; by then the client must have been told.
 * A winner that steps down before answering the client hands its pending notices to the primary
 * it follows (P2.5 tells the client at its next access, whoever is primary then; replica.ts
 * follow): then that successor Q is judged instead, from the arrival of what P sent it in the
 * step it stepped down, if Q stayed primary, undisturbed, to the end (`successor`). A write P
 * sends on as an orphan after stepping down was held by P, not dropped: the RESUBMIT carrying it
 * is judged as such.
 * Not judged: runs without a message record; services with no final chain.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { finalChain } from './opb-safety.js';
import { RESUBMIT, takenDrops } from './opb-orphans.js';
import { serviceOfKey } from './opb-overload.js';
import { noticeRetiredProblems } from './opb-notice-retired.js';
import { buildWorld } from './opb-world.js';
import { disturbed, numberParam, opsByRequest, stepOf, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const REPLY = /^Reply #(\d+) /;

export function discardToldProblems(run: RunRecord): { problems: string[]; judged: number } {
  const problems: string[] = [];
  let judged = 0;
  const messages = run.messages;
  if (run.params['policy'] !== 'discard' || messages === undefined) return { problems, judged };
  const world = buildWorld(run);
  const services = Math.max(1, numberParam(run, 'services', 1));
  const opOf = opsByRequest(run);
  const present = new Map<number, Set<string> | null>();
  const presentIn = (svc: number): Set<string> | null => {
    if (!present.has(svc)) {
      const chain = finalChain(world, svc);
      present.set(svc, chain === null ? null : new Set(chain.map((e) => `${e.client}|${e.value}`)));
    }
    return present.get(svc)!;
  };
  /** The first answer (no redirect, no reject) `from` sent `client` about `svc` after `after`. */
  const firstReply = (from: string, client: string, svc: number, after: number) =>
    messages.find((r) => {
      const q = REPLY.exec(r.label);
      if (q === null || r.from !== from || r.to !== client || stepOf(r) <= after) return false;
      const asked = opOf.get(`${client}#${q[1]}`);
      return asked !== undefined && serviceOfKey(asked.input.key, services) === svc
        && !r.label.includes(' redirect') && !r.label.includes(' reject');
    });
  const roles = world.obs('opb.role');
  const costly = run.metrics.costs !== undefined;
  /** `node`'s first role report for `svc` at or after `t`. */
  const roleFrom = (node: string, svc: number, t: number) =>
    roles.find((o) => o.node === node && o.data.service === svc && o.at >= t);
  /**
   * Whom P followed when it stepped down (report `down`): the node it acked, or handed the role
   * to, in that very step (sent at its instant). Judged only if every message P sent it in that
   * step arrived (the hand-over of the notices goes with them: replica.ts follow, reorg.ts) and
   * it was primary then and stayed primary, undisturbed, to the end. Its duty starts at that
   * arrival; under a cost model a node may handle a message later than it arrives: not judged.
   */
  const successor = (p: string, svc: number, down: (typeof roles)[number]) => {
    if (down.data.role === 'primary' || costly) return null;
    const at = stepTime(down);
    const ofStep = messages.filter((x) => x.from === p && stepOf(x) === at);
    const lead = ofStep.find((x) => x.label.startsWith(`Ack s${svc} `)
      || x.label.startsWith(`Handoff s${svc} `));
    const q = lead?.to;
    const toQ = ofStep.filter((x) => x.to === q);
    if (q === undefined || toQ.some((x) => x.drop !== null)) return null;
    const from = Math.max(...toQ.map((x) => x.at));
    if (disturbed(run, [q], down.at, Infinity)) return null;
    const mine = roles.filter((o) => o.node === q && o.data.service === svc);
    // Primary before the notices arrived (the order inside an instant is not recorded), or, at a
    // HANDOFF, made primary by the very message that carries them.
    const handoff = lead!.label.startsWith('Handoff');
    const then = mine.filter((o) => o.at < from || (handoff && o.at === from)).at(-1);
    const later = mine.some((o) => o.at > from && o.data.role !== 'primary');
    if (then?.data.role !== 'primary' || later) return null;
    return { q, from };
  };
  /** Requests P handed on as orphans (it held them) after `t`. */
  const sentOn = (p: string, svc: number, t: number): Set<string> => {
    const out = new Set<string>();
    for (const x of messages) {
      const hit = x.from === p && stepOf(x) >= t ? RESUBMIT.exec(x.label) : null;
      if (hit === null || Number(hit[1]) !== svc || hit[3] === '') continue;
      for (const req of hit[3]!.split(',')) out.add(req);
    }
    return out;
  };
  const seen = new Set<string>();
  /** Requests P already took in a delivery before, by `P svc req` and the stretch's end. */
  const took0 = new Set<string>();
  // P took each as primary: its answer, from the step that handled the delivery or later.
  for (const { m, svc, p, reqs: all, took } of takenDrops(messages).drops) {
    const t = stepOf(took);
    // P stepping down (any role report from then on) ends its duty: a crash, pause or
    // corruption of P from then to its step-down (or the end) leaves nothing to judge.
    const report = roleFrom(p, svc, m.at);
    const down = report?.at ?? Infinity;
    // The drop is P's first taking of a request in one primary stretch (no role report
    // between): a copy delivered again (its confirmation was lost) finds the notice already
    // made, riding on replies and retired by P2.5's rule. Explore trial 1614605 of
    // opb-diurnal-four: n1 took n10's RESUBMIT with c7#23 at 5.517 s, its reply to c7's newer
    // #31 (5.702 s) carried the notice and was lost, c7 gave #31 up and sent #35, which
    // retired the notice; judged from a copy taken at 6.117 s, #35's reply looked untold.
    const reqs = all.filter((req) => !took0.has(`${p} ${svc} ${req} ${down}`));
    for (const req of reqs) took0.add(`${p} ${svc} ${req} ${down}`);
    if (reqs.length === 0 || disturbed(run, [p], m.at, down)) continue;
    const next = report === undefined ? null : successor(p, svc, report);
    if (report !== undefined && next === null) continue;
    const final = presentIn(svc);
    if (final === null) continue;
    const heldOn = down === Infinity ? null : sentOn(p, svc, down);
    for (const req of reqs) {
      if (seen.has(`${p} ${svc} ${req}`) || heldOn?.has(req) === true) continue;
      const op = opOf.get(req);
      if (op === undefined || op.input.type === 'get') continue;
      if (final.has(`${op.client}|${op.input.value}`)) continue;
      // The client's first reply from P for this service after the drop, or, once P stepped
      // down untold, its first from the successor after the hand-over.
      const fromP = firstReply(p, op.client, svc, t);
      const beforeDown = fromP !== undefined && stepOf(fromP) < down;
      if (!beforeDown && next !== null && (op.discardedAt ?? Infinity) <= down) continue;
      const by = beforeDown || next === null ? p : next.q;
      const first = beforeDown ? fromP : firstReply(by, op.client, svc, next?.from ?? t);
      if (first === undefined || first.drop !== null) continue;
      seen.add(`${p} ${svc} ${req}`);
      judged++;
      if (op.discardedAt === undefined || op.discardedAt > first.at) {
        const how = down === Infinity ? ' and stayed primary' : by === p ? ' while still primary'
          : `, stepped down at t=${down}us following ${by}`;
        problems.push(`s${svc}: ${p} dropped ${req} (${op.input.type} ${op.input.key}=` +
          `${op.input.value}, not in the final state) from ${m.from}'s RESUBMIT at t=${m.at}us` +
          `${how}, but ${by}'s reply to ${op.client} at t=${first.sent}us did not tell it ` +
          `(${op.discardedAt === undefined ? 'never told' : `told at t=${op.discardedAt}us`})`);
      }
    }
  }
  return { problems, judged };
}

export const opbDiscardTold: Property = {
  name: 'opb-discard-told',
  description: 'P2.5 discard: a winner that dropped a loser\'s orphan tells its client on its ' +
    'next reply, or the primary it followed on stepping down does, and stops once the client ' +
    'moved past a reply that carried it (message record, reply record, role reports, final ' +
    'state and the client\'s history)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    if (run.params['policy'] !== 'discard' || run.messages === undefined) {
      return { property: this.name, status: 'skip',
        message: 'policy merge, or no message record' };
    }
    const told = discardToldProblems(run);
    const retired = noticeRetiredProblems(run);
    return judgedVerdict(this.name,
      { problems: [...told.problems, ...retired.problems], judged: told.judged + retired.judged },
      'no dropped orphan whose client the winner answered afterwards',
      () => `${told.judged} dropped orphans, each told to its client at the next reply of ` +
        `the winner or its successor; ${retired.judged} notices no longer carried once the ` +
        'client moved past a reply that carried it');
  },
};
