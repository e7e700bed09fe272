/**
 * P2.6's make-before-break moves give their new member time to catch up: a move "aborts after
 * 20 T_fd" (protocol/optimistic/README.md, docs/opb.md), and the aborted member is marked
 * refused for a cool-down. A move aborted after about one window instead dropped healthy
 * candidates one after another (mutation #3398 of the seed-37 sample, `20 / fdUs`:
 * opb-lost-transfer-to-empty seed 1, three live candidates aborted and refused before the fourth
 * completed; unmutated the first move takes 490 ms).
 *
 * Evidence: the message record and the primary's `opb.move` aborts. A move starts with the JOIN
 * its primary P sends to the new member A (the latest JOIN of the service from P to A at or
 * before the abort). Judged: an abort of P's move adding A when A accepted the JOIN (a JoinAck
 * ok=true from A reached P after the JOIN) and is live and acking (an ACK or heartbeat of the
 * service from A reached P within T_fd before the abort). It must come at least 20 T_fd after
 * the JOIN.
 *
 * Not judged: runs without a message record; a move with a timing fault in force between the
 * JOIN and the abort, or P's clock not showing global time in between (the wait runs on P's
 * clock; a skew set back to zero before the JOIN counts as over); a down, pause,
 * resume, corruption or lost writes of P or A in between; a move abandoned because P changed
 * role (an `opb.role` fact of P for the service in between) or learnt a newer membership (a
 * message of the service reached P in between carrying a membership version above the JOIN's):
 * both abandon the move at once by design.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { NEVER_SENT } from './opb-role-facts.js';
import { buildWorld } from './opb-world.js';
import { disturbed, numberParam } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const JOIN = /^Join s(\d+) \S+ m(\d+)\[/;
const ACCEPT = /^JoinAck s(\d+) ok=true$/;
const LIVE = /^(?:Ack|Hb) s(\d+) /;
/** A membership version a message of the service carries (heartbeats, claims, updates...). */
const MVER = /^\w+ s(\d+) .*? m(\d+)\[/;
/** protocol/optimistic/params.ts's default T_fd. */
const FD_US = 150_000;
const WINDOWS = 20;

/**
 * Whether `node`'s clock showed global time throughout [from, to]: no skew fact of it in
 * (from, to], and its latest before that (if any) set offset and rate back to zero. A skew the
 * settle heal leaves in force (it lifts no skew) counts as skewed.
 */
function trueClock(run: RunRecord, node: string, from: number, to: number): boolean {
  const facts = run.nodeEvents
    .filter((e) => e.node === node && e.kind === 'skewed' && e.at <= to);
  if (facts.some((e) => e.at > from)) return false;
  const last = facts.at(-1);
  if (last === undefined) return true;
  const set = run.faults.filter((f) => f.kind === 'skew' && f.at === last.at);
  return set.length > 0
    && set.every((f) => f.kind === 'skew' && f.offsetUs === 0 && f.ratePpm === 0);
}

export function moveAbortProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const segs = segments(run);
  const fdUs = numberParam(run, 'fdUs', FD_US);
  const messages = run.messages.filter((m) => m.drop !== NEVER_SENT);
  const roles = world.obs('opb.role');
  const problems: string[] = [];
  let judged = 0;
  for (const o of world.obs('opb.move')) {
    const { service: svc, add, phase } = o.data;
    if (phase !== 'abort' || add === null) continue;
    const p = o.node;
    const at = o.stepAt ?? o.at;
    const join = messages.filter((m) => m.from === p && m.to === add && m.sent <= at)
      .map((m) => ({ m, x: JOIN.exec(m.label) }))
      .filter(({ x }) => x !== null && Number(x[1]) === svc).at(-1);
    if (join === undefined) continue;
    const t0 = join.m.sent;
    const mver = Number(join.x![2]);
    if (!unperturbed(segs, t0, at) || !trueClock(run, p, t0, at)) continue;
    if (disturbed(run, [p, add], t0, at)) continue;
    if (roles.some((r) => r.node === p && r.data.service === svc && r.at >= t0 && r.at <= at)) {
      continue;
    }
    const toP = messages.filter((m) => m.to === p && m.drop === null && m.at > t0 && m.at <= at);
    const ofSvc = (re: RegExp, label: string): RegExpExecArray | null => {
      const x = re.exec(label);
      return x !== null && Number(x[1]) === svc ? x : null;
    };
    const newer = toP.some((m) => {
      const x = ofSvc(MVER, m.label);
      return x !== null && Number(x[2]) > mver;
    });
    if (newer) continue;
    const accepted = toP.some((m) => m.from === add && ofSvc(ACCEPT, m.label) !== null);
    const acking = toP.some((m) => m.from === add && m.at >= at - fdUs
      && ofSvc(LIVE, m.label) !== null);
    if (!accepted || !acking) continue;
    judged++;
    if (at - t0 < WINDOWS * fdUs) {
      problems.push(`s${svc}: ${p} aborted its ${o.data.kind} move adding ${add} at t=${at}us, ` +
        `${at - t0}us after its JOIN (t=${t0}us), before ${WINDOWS} T_fd = ${WINDOWS * fdUs}us, ` +
        `while ${add} had accepted the JOIN and was acking`);
    }
  }
  return { problems, judged };
}

export const opbMoveAbort: Property = {
  name: 'opb-move-abort',
  description: 'a move whose new member accepted the JOIN and keeps acking aborts only after ' +
    '20 T_fd (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, moveAbortProblems(run), 'no abort judged',
      (n) => `${n} aborted moves with a live new member, each after 20 T_fd`);
  },
};
