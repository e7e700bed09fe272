/**
 * OPB's orphan outbox (protocol/optimistic/outbox.ts, docs/opb.md): a loser re-sends its RESUBMIT
 * of a service every heartbeat until a primary answers RESUBMITTED with its id; then that id is
 * done and never sent again. An outbox that is never emptied re-sends the same orphans for the
 * rest of the run, each RESUBMIT answered again, and every other check holds (mutation #2568 of
 * the seed-33 sample).
 *
 * Evidence: the message record (the simulator's sends and deliveries, never a node's report of
 * its outbox). After RESUBMITTED(svc, id) reaches node N at t, no step of N after t sends a
 * RESUBMIT of (svc, id). A message's step is its `stepAt` (the step ran then, the message left
 * later, behind the step's disk write or CPU wait), else its `sent`: one a step made before t
 * may leave any time after t, as long as N's disk is backed up (explore seed 810118 of
 * opb-one-way-loser: a RESUBMIT made at 3.012 s left at 3.122 s behind writes queued by a slow
 * disk that had recovered at 2.973 s, 52 ms after its confirmation arrived). Not judged across
 * N going down or up (a restart may bring back an older outbox from disk), nor while a timing
 * fault (slow node or disk, pause, skew, clog) is in force: a paused node handles the arrival
 * only on resume.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { CONFIRM, RESUBMIT } from './opb-orphans.js';
import { bouncedBetween, stepOf } from './run-values.js';
import { verdictOf, type Property, type Verdict } from './types.js';

export function outboxProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const segs = segments(run);
  const calm = (from: number, to: number): boolean => unperturbed(segs, from, to);
  /** node|svc|id → when its first RESUBMITTED arrived. */
  const confirmed = new Map<string, number>();
  for (const m of run.messages) {
    const hit = m.drop === null ? CONFIRM.exec(m.label) : null;
    if (hit === null) continue;
    const key = `${m.to}|${hit[1]}|${hit[2]}`;
    if (!confirmed.has(key)) confirmed.set(key, m.at);
  }
  const problems: string[] = [];
  for (const m of run.messages) {
    const hit = RESUBMIT.exec(m.label);
    if (hit === null) continue;
    const key = `${m.from}|${hit[1]}|${hit[2]}`;
    const at = confirmed.get(key);
    const step = stepOf(m);
    if (at === undefined || step <= at) continue;
    if (bouncedBetween(run, m.from, at, step) || !calm(at, step)) continue;
    const left = step === m.sent ? '' : ` (left at t=${m.sent}us)`;
    problems.push(`${m.from} got RESUBMITTED s${hit[1]} id=${hit[2]} at t=${at}us but sent ` +
      `that RESUBMIT again to ${m.to} at t=${step}us${left}: a confirmed outbox is done`);
  }
  return { problems, judged: confirmed.size };
}

export const opbOutbox: Property = {
  name: 'opb-outbox-confirmed',
  description: 'OPB\'s orphan outbox: once RESUBMITTED(id) reaches the loser, no later step ' +
    'sends that RESUBMIT again (judged from the message record)',
  protocols: ['opb'],
  check(run): Verdict {
    const r = outboxProblems(run);
    if (typeof r === 'string') return { property: this.name, status: 'skip', message: r };
    if (r.judged === 0) {
      return { property: this.name, status: 'skip', message: 'no RESUBMIT was confirmed' };
    }
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} confirmed RESUBMITs, none sent again by a later step`);
  },
};
