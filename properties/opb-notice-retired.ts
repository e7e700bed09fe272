/**
 * The upper side of P2.5's discard notice (docs/opb.md): a notice rides on every reply to its
 * client "until a reply that carried it was to a request the client sent after the drop (its
 * newest known one), and the client then sends a later one". Mutation #3343 of the seed-50
 * sample never armed that end, so the notice rode on every reply for ever, and only the lower
 * side (`opb-discard-told`: told at all) was judged.
 *
 * Evidence: the message record (the `Discarded` RESUBMIT delivered to P and P's confirmation,
 * as in `opb-discard-told`; every RESUBMIT delivered to P later, which may hand it notices
 * again), the replies P's steps sent with the notices each carried (RunRecord.replies, the
 * simulator's record of the reply effect, not a report of P's), the client's own history (when
 * it invoked each request) and the node facts and role reports. Judged, for each write P dropped
 * (request q of client c) while P stayed primary, undisturbed and handed no RESUBMIT since:
 * - R1, a reply of P to c carrying q, to a request s1 c invoked after the drop, sent before c
 *   invoked s1 + 1 (so s1 was the newest request of c that P could have handled);
 * - then P's first reply to c about a later request of that service (it handled one);
 * from that reply's step on, no reply of P to c carries q.
 */
import type { ReplyFact, RunRecord } from '../simulator/run-record.js';
import { takenDrops } from './opb-orphans.js';
import { serviceOfKey } from './opb-overload.js';
import { buildWorld } from './opb-world.js';
import { disturbed, numberParam, opsByRequest, pushTo, stepOf } from './run-values.js';

export function noticeRetiredProblems(run: RunRecord): { problems: string[]; judged: number } {
  const problems: string[] = [];
  let judged = 0;
  const messages = run.messages;
  if (run.params['policy'] !== 'discard' || messages === undefined) return { problems, judged };
  const services = Math.max(1, numberParam(run, 'services', 1));
  const opOf = opsByRequest(run);
  const svcOf = (client: string, seq: number): number | null => {
    const op = opOf.get(`${client}#${seq}`);
    return op === undefined ? null : serviceOfKey(op.input.key, services);
  };
  const roles = buildWorld(run).obs('opb.role');
  const replies = new Map<string, ReplyFact[]>();
  for (const r of run.replies) if (r.outcome === 'done') pushTo(replies, `${r.node}|${r.to}`, r);
  const { drops, handed } = takenDrops(messages);
  const seen = new Set<string>();
  for (const { m, svc, p, reqs, took } of drops) {
    const t = stepOf(took);
    // P's duty as judged here ends at its next role report or the next RESUBMIT it is handed.
    const report = roles.find((o) => o.node === p && o.data.service === svc && o.at >= m.at);
    let until = report?.at ?? Infinity;
    for (const x of handed.get(`${p}|${svc}`)!) {
      if (x.at > m.at && x.at < until) until = x.at;
    }
    // P's replies to one client within the span, shared by that client's dropped requests.
    const ofClient = new Map<string, ReplyFact[]>();
    for (const req of reqs) {
      const at = req.lastIndexOf('#');
      const client = req.slice(0, at);
      const q = Number(req.slice(at + 1));
      if (seen.has(`${p} ${svc} ${req}`)) continue;
      let mine = ofClient.get(client);
      if (mine === undefined) {
        mine = (replies.get(`${p}|${client}`) ?? [])
          .filter((r) => r.stepAt >= t && r.stepAt < until && svcOf(client, r.seq) === svc);
        ofClient.set(client, mine);
      }
      const r1 = mine.find((r) => {
        if (r.discarded?.includes(q) !== true) return false;
        const asked = opOf.get(`${client}#${r.seq}`);
        const next = opOf.get(`${client}#${r.seq + 1}`);
        return asked !== undefined && asked.call > t
          && (next === undefined || r.stepAt < next.call);
      });
      if (r1 === undefined) continue;
      const later = mine.find((r) => r.seq > r1.seq && r.step > r1.step);
      if (later === undefined) continue;
      const after = mine.filter((r) => r.step >= later.step);
      const last = after.at(-1)!;
      if (disturbed(run, [p], m.at, last.stepAt)) continue;
      seen.add(`${p} ${svc} ${req}`);
      judged++;
      const still = after.find((r) => r.discarded?.includes(q) === true);
      if (still !== undefined) {
        problems.push(`s${svc}: ${p} dropped ${req} at t=${t}us; its reply to ` +
          `${client}#${r1.seq} (invoked after the drop) carried the notice at t=${r1.stepAt}us ` +
          `and it answered ${client}#${later.seq} at t=${later.stepAt}us, but its reply to ` +
          `${client}#${still.seq} at t=${still.stepAt}us still carried it`);
      }
    }
  }
  return { problems, judged };
}
