/**
 * P1.6 step 10, "ensuring every new member joins": "If a machine receives FINISHED, HEARTBEAT or
 * ELECT addressed to a not-yet-existing replica of a configuration > d it answers JOIN-REQUEST"
 * (those messages lack the members and first slot the replica needs; the sender answers JOIN).
 * FINISHED's repetition is what guarantees a quorum joins (mutation #5224 of the seed-23 sample
 * answered every other message and not FINISHED; the heartbeats of a leader, when there was one,
 * hid it).
 *
 * Evidence: the message record and the `replica`, `defunct` and node facts. A FINISHED of
 * configuration C addresses C+1; a HEARTBEAT or ELECT its own. Judged: each such message
 * delivered to a machine that had never started a replica of that configuration, never learned
 * it (or a later one) defunct, and was never paused or corrupted by then (it would handle the
 * message later). The machine sends JOIN-REQUEST of that configuration to the sender in the
 * step that handles it. Not judged: runs without the record or with the cost model.
 * A start or defunct a crash dropped (its fact waited behind a write the crash lost, kept in
 * `writes-lost`) still ran in memory: the replica existed, so it was not "not-yet-existing", from
 * its step until that crash (explore seed 800331: n2's slow disk held its start of
 * configuration 2 when FINISHED came; the crash at 900000 lost it). The next life does not have
 * it: messages after a restart are judged again.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import { handledMessages } from './handled-messages.js';
import { defuncts, pass, replicaStarts, skip, stepTime } from './smart-observations.js';
import { firstHeld } from './run-values.js';
import { verdictOf, type Property } from './types.js';

const ADDRESSED = /^(Finished|Heartbeat|Elect) c=(\d+)\b/;

export function joinRequestProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const started = replicaStarts(run);
  const defunct = defuncts(run);
  const held = firstHeld(run);
  const lost = lostInMemory(run);
  const asked = new Set(messages.filter((m) => m.label.startsWith('JoinRequest c='))
    .map((m) => `${m.from}>${m.to}@${m.sent} ${m.label}`));
  const problems: string[] = [];
  let judged = 0;
  for (const m of messages) {
    const a = m.drop === null ? ADDRESSED.exec(m.label) : null;
    if (a === null) continue;
    const kind = a[1]!;
    const cfg = Number(a[2]) + (kind === 'Finished' ? 1 : 0);
    const x = m.to;
    // Facts after a disk write are recorded when it is done: the step's own time counts.
    if (started.some((o) => o.node === x && o.data.config === cfg && stepTime(o) <= m.at)
      || defunct.some((o) => o.node === x && o.data.config >= cfg && stepTime(o) <= m.at)
      || (held.get(x) ?? Infinity) <= m.at
      || lost.some((l) => l.node === x && l.from <= m.at && m.at <= l.to
        && (l.replica ? l.config === cfg : l.config >= cfg))) continue;
    judged++;
    if (!asked.has(`${x}>${m.from}@${m.at} JoinRequest c=${cfg}`)) {
      problems.push(`${x} got ${kind.toUpperCase()} for configuration ${cfg}, which it had not ` +
        `joined, from ${m.from} at t=${m.at}us and sent no JOIN-REQUEST`);
    }
  }
  return { problems, judged };
}

/**
 * Replica starts and defuncts a crash dropped, each with the span of the life it ran in: from
 * its step to the crash. A message delivered (not dropped) at the crash's instant came before
 * the crash unless the machine came up again at that instant: `to` is then just before it.
 */
function lostInMemory(run: RunRecord):
  { node: string; config: number; replica: boolean; from: number; to: number }[] {
  const crashAt = new Map<number, number>();
  const ups = new Set<string>();
  for (const e of run.nodeEvents) {
    if (e.lost !== undefined) crashAt.set(e.seq, e.at);
    if (e.kind === 'up') ups.add(`${e.node}@${e.at}`);
  }
  const dropped = droppedRecord(run);
  return [
    ...replicaStarts(dropped).map((o) => ({ o, replica: true })),
    ...defuncts(dropped).map((o) => ({ o, replica: false })),
  ].map(({ o, replica }) => {
    const crash = crashAt.get(o.seq)!;
    const to = ups.has(`${o.node}@${crash}`) ? crash - 1 : crash;
    return { node: o.node, config: o.data.config, replica, from: o.at, to };
  });
}

export const smartJoinRequests: Property = {
  name: 'smart-join-requests',
  description: 'P1.6 step 10: FINISHED, HEARTBEAT or ELECT for a configuration a machine has ' +
    'not joined is answered with JOIN-REQUEST (message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = joinRequestProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    if (r.problems.length > 0) return verdictOf(this.name, r.problems, { judged: r.judged }, '');
    return pass(this.name, `${r.judged} messages for an unjoined configuration, each answered ` +
      'with JOIN-REQUEST', { judged: r.judged });
  },
};
