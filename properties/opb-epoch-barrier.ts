/**
 * P2.5's durable epochs: a replica's epoch change is on its disk before anything follows from
 * it, so the node's later steps wait behind that write, but only until the node knows the write
 * landed (docs/opb.md). The node learns it from a note to itself listed after the write
 * (`Synced`, replica.ts `withEpoch`), which arrives only once the write is done; if that note is
 * lost, its next tick asks again behind the tick's own write. Stryker #4176 of the seed-39 sample
 * (the tick never asks again) left a node whose note was lost holding every later step behind a
 * disk write of its own for good: on opb-lost-synced-note its heartbeats left 20 ms late until
 * the end, 452 writes against 124 in another run, and every other check stayed green.
 *
 * Statement: a heartbeat a node's step at t sent leaves after t (it waited behind the node's
 * disk) only while some epoch write of that node may be unknown to it at t: for some service,
 * the node's last `Synced` note to itself from a step at or before t had not arrived (or, lost,
 * would not have arrived) before t. A lost note whose write landed before t excuses nothing: the
 * tick at t must ask again, and its own note, from that very step, is then the last one.
 *
 * Evidence: the simulator's message record: when each heartbeat's step ran and when it
 * left (`stepAt`, `sent`), and when each note to itself arrived or, lost, would have left (`at`;
 * a note leaves only once the write before it landed). Never the node's own report of whether it
 * is synced. Not judged: runs without a message record, runs with the cost model (a message
 * may then leave late behind the sender's CPU, not its disk), and a step that wrote for a reason
 * of its own: a tick that wakes a node a corruption put to sleep while it hosts replicas writes
 * its power state first (its `opb.power` fact, on, from that step: a write of another kind, not
 * the barrier; found on opb-corruption with a 3 ms disk).
 */
import type { Json } from '../protocol/types.js';
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { judgedVerdict, type Property } from './types.js';
import { stepOf, stepTime } from './run-values.js';

const HB = /^Hb s\d+ /;
const SYNCED = /^Synced s(\d+) /;


/** Per node, per service: its notes to itself in the order of the steps that sent them. */
function notesByNode(messages: readonly MessageFact[]): Map<string, Map<string, MessageFact[]>> {
  const notes = new Map<string, Map<string, MessageFact[]>>();
  for (const m of messages) {
    const hit = SYNCED.exec(m.label);
    if (hit === null || m.from !== m.to) continue;
    const bySvc = notes.get(m.from) ?? new Map<string, MessageFact[]>();
    notes.set(m.from, bySvc);
    const list = bySvc.get(hit[1]!) ?? [];
    bySvc.set(hit[1]!, list);
    list.push(m);
  }
  for (const bySvc of notes.values()) {
    for (const list of bySvc.values()) list.sort((a, b) => stepOf(a) - stepOf(b));
  }
  return notes;
}

/** The last note of `list` from a step at or before `t`. */
function lastNoteBy(list: readonly MessageFact[], t: number): MessageFact | undefined {
  let last: MessageFact | undefined;
  for (const m of list) {
    if (stepOf(m) > t) break;
    last = m;
  }
  return last;
}

export function epochBarrierProblems(run: RunRecord): { problems: string[]; judged: number }
  | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const notes = notesByNode(messages);
  // Steps that wrote for a reason of their own: a tick that wakes a node a corruption put to
  // sleep while it hosts replicas (self-stabilization) writes its power state first.
  const woke = new Set(run.observations
    .filter((o) => o.label === 'opb.power' && (o.data as { on?: Json } | null)?.on === true)
    .map((o) => `${o.node}@${stepTime(o)}`));
  const problems: string[] = [];
  const seen = new Set<string>();
  let judged = 0;
  for (const m of messages) {
    const t = stepOf(m);
    if (!HB.test(m.label) || t >= m.sent) continue;
    const key = `${m.from}@${t}`;
    if (seen.has(key) || woke.has(key)) continue;
    seen.add(key);
    judged++;
    const unknown = [...(notes.get(m.from)?.values() ?? [])]
      .some((list) => (lastNoteBy(list, t)?.at ?? -1) >= t);
    if (unknown || problems.length >= 5) continue;
    const last = [...(notes.get(m.from)?.values() ?? [])]
      .map((list) => lastNoteBy(list, t)).filter((n) => n !== undefined)
      .map((n) => `${n.label} ${n.drop === null ? 'arrived' : `lost (${n.drop})`} at ` +
        `t=${n.at}us`);
    problems.push(`${m.from}: its heartbeats of the step at t=${t}us left at t=${m.sent}us, ` +
      'behind a disk write, though every epoch write of it had landed and it had heard so or ' +
      `had a tick to ask again (last notes to itself: ${last.join('; ') || 'none'})`);
  }
  return { problems, judged };
}

export const opbEpochBarrier: Property = {
  name: 'opb-epoch-barrier',
  description: 'P2.5: a node\'s steps wait behind its disk for an epoch write only until it ' +
    'knows the write landed; a lost note is asked for again at the next tick (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, epochBarrierProblems(run),
      'no heartbeat waited behind a disk write',
      (judged) => `${judged} heartbeat steps waited behind a disk write, each while an epoch ` +
        'write of its node was not yet known to have landed');
  },
};
