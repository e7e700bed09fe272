/**
 * P2.6 #1 as docs/opb.md states it: "a member unheard for `repairUs` is replaced". A primary that
 * replaces a member it heard from more recently than that tears down a replica a short outage
 * would have kept, and pays a state transfer for it; with the wait measured from the older of
 * the member's last word and the group's start, a member was replaced 290 ms after its last
 * heartbeat instead of 600 ms (seed-35 mutant #3530: every other property held).
 *
 * Evidence: the message record (the member's heartbeats, updates and transfers of that service
 * delivered to the primary and handled by the repair's step or an earlier one), never the
 * primary's own failure detector. Steps, not instants: a node resumed from a pause handles its
 * backlog at one instant, step by step in arrival order, and a heartbeat handled after the step
 * that decided the repair was not heard before it (explore seed 861335 of
 * opb-one-way-relayed-primary: n1, paused from 2.403 s to 3.0 s, first ran its timers and
 * replaced n5, unheard since 1.76 s, then handled n5's held heartbeats). Judged: each repair that
 * removes a member at once (its start names the member to drop, and the primary's next digest of
 * the service no longer lists it: a member dead to the primary; a placement repair drops a live
 * member only once its replacement caught up). Not judged on a primary whose clock was skewed
 * (the wait runs on its clock) or in runs without a message record.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { buildWorld, skewedNode } from './opb-world.js';
import { numberParam, stepTime } from './run-values.js';
import { verdictOf, type Property, type Verdict } from './types.js';

/** Messages through which a replica hears a member (messages.ts: they refresh `heard`). */
const HEARS = /^(?:Hb|Upd|Xfer) s(\d+) /;

export function repairWaitProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const repairUs = numberParam(run, 'repairUs', 600_000);
  const digests = world.obs('opb.digest');
  const problems: string[] = [];
  let judged = 0;
  for (const o of world.obs('opb.move')) {
    const d = o.data;
    if (d.kind !== 'repair' || d.phase !== 'start' || d.drop === null) continue;
    const next = digests.find((g) => g.node === o.node && g.data.service === d.service
      && g.at >= o.at);
    if (next === undefined || next.data.members.includes(d.drop)) continue;
    if (skewedNode(world, o.node, o.at)) continue;
    judged++;
    const at = stepTime(o);
    const step = o.step;
    // Heard by the repair's step or an earlier one: a word handled by a later step of the same
    // instant (a resumed node's backlog) came after the decision. Unnumbered: by instant.
    const before = (m: MessageFact): boolean =>
      (m.step !== undefined && step !== undefined ? m.step <= step : m.at <= at);
    const last = run.messages.filter((m) => m.from === d.drop && m.to === o.node
      && m.drop === null && before(m) && Number(HEARS.exec(m.label)?.[1]) === d.service).at(-1);
    if (last !== undefined && at - last.at < repairUs) {
      problems.push(`s${d.service}: ${o.node} replaced ${d.drop} at t=${at}us, ${at - last.at}us ` +
        `after hearing it (${last.label.split(' ')[0]} at t=${last.at}us): a member is replaced ` +
        `only once unheard for repairUs (${repairUs}us)`);
    }
  }
  return { problems, judged };
}

export const opbRepairWait: Property = {
  name: 'opb-repair-wait',
  description: 'P2.6 #1: a member is replaced by repair only once its primary has not heard ' +
    'from it for repairUs (judged from the message record)',
  protocols: ['opb'],
  check(run): Verdict {
    const r = repairWaitProblems(run);
    if (typeof r === 'string') return { property: this.name, status: 'skip', message: r };
    if (r.judged === 0) {
      return { property: this.name, status: 'skip', message: 'no repair replaced a dead member' };
    }
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} repairs, each after repairUs without a word from the member replaced`);
  },
};
