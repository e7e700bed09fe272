/**
 * The leader answers every request it executes (P1.4 steps 2 and 5: only the leader replies,
 * and duplicates are answered from the reply cache). A request decided twice (a retry the
 * leader of a later ballot or configuration proposed again, not knowing the first proposal
 * would be decided) is not executed again: the leader that executes the second slot answers it
 * from the reply cache. Without that answer a client whose first answer was lost (or came from
 * no one: the first slot ran where its configuration had no leader) waits out a whole request
 * timeout (mutation #4287 of the seed-35 sample: no cached answer at execution; every other
 * bound held).
 *
 * Evidence: the `exec` and `cfg` facts of every machine, the `role` facts and the simulator's
 * record of the replies sent (never a node's account of what it answered). Slot t holding
 * request (client, seq) is owed an answer when no slot below t held a later request of that
 * client (the reply cache, a function of the decided slots below t, then holds this request or
 * none of the client's later ones; a stale retry is not answered). A machine that executes it
 * while it leads t's configuration (its last `role` fact for that configuration since it last
 * went down or came up says leader, by the step's instant) sends a `done` reply to that client
 * and sequence number in that step.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { execIndex } from './smart-exec-index.js';
import { configurations, executions, leadingSpans, skip, stepTime } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

export function leaderAnswerProblems(run: RunRecord): { problems: string[]; judged: number } {
  // The request of each slot (every machine executes the same one; slots are dense, so an
  // array), and the highest sequence number of its client held by a slot below it.
  const execs = executions(run);
  const { command, positions } = execIndex(run);
  // Per slot, its request's client and number (a key `client#seq` split at its last `#`;
  // null-fill and MIGRATE keys have none: no client), in parallel arrays filled slot by slot:
  // an object per slot was most of what this check allocated.
  const clientOf: (string | undefined)[] = [];
  const seqOf: number[] = [];
  const before: (number | undefined)[] = [];
  const newest = new Map<string, number>();
  for (let slot = 0; slot < command.length; slot++) {
    const key = command[slot];
    const hash = key === undefined ? -1 : key.lastIndexOf('#');
    const seq = hash < 0 ? NaN : Number(key!.slice(hash + 1));
    const client = Number.isInteger(seq) && hash > 0 ? key!.slice(0, hash) : undefined;
    clientOf.push(client);
    seqOf.push(seq);
    const prev = client === undefined ? undefined : newest.get(client);
    before.push(prev);
    if (client !== undefined && (prev === undefined || seq > prev)) newest.set(client, seq);
  }
  const firsts = [...configurations(run).table.values()].map((c) => [c.num, c.first] as const)
    .sort((a, b) => b[1] - a[1]);
  const cfgOf = (slot: number): number => firsts.find(([, first]) => first <= slot)?.[0] ?? 1;
  const spans = leadingSpans(run);
  // The done replies by step instant (a few per instant: no string key per reply), the reply
  // itself when it is its instant's only one, so that most instants need no list.
  type Reply = (typeof run.replies)[number];
  const doneAt = new Map<number, Reply | Reply[]>();
  for (const r of run.replies) {
    if (r.outcome !== 'done') continue;
    const known = doneAt.get(r.stepAt);
    if (known === undefined) doneAt.set(r.stepAt, r);
    else if (Array.isArray(known)) known.push(r);
    else doneAt.set(r.stepAt, [known as Reply, r]);
  }
  const answered = (node: string, client: string, seq: number, at: number): boolean => {
    const known = doneAt.get(at);
    const is = (r: Reply): boolean => r.node === node && r.to === client && r.seq === seq;
    return known === undefined ? false : Array.isArray(known) ? known.some(is) : is(known as Reply);
  };
  const problems: string[] = [];
  let judged = 0;
  // Only the facts of nodes that led, in record order (the order problems are named in).
  const leaders: number[] = [];
  for (const node of spans.keys()) for (const ix of positions.get(node) ?? []) leaders.push(ix);
  if (spans.size > 1) leaders.sort((a, b) => a - b);
  for (const ix of leaders) {
    const o = execs[ix]!;
    const mine = spans.get(o.node)!;
    const at = stepTime(o);
    const slot = o.data.slot;
    const client = clientOf[slot];
    if (client === undefined) continue;
    const seq = seqOf[slot]!;
    if ((before[slot] ?? -1) > seq) continue;
    const cfg = cfgOf(slot);
    if (!mine.some((l) => l.cfg === cfg && l.from <= at && at < l.to)) continue;
    judged++;
    if (!answered(o.node, client, seq, at)) {
      const again = before[slot] === seq ? ' (decided twice: from its reply cache)' : '';
      problems.push(`${o.node}, leader of configuration ${cfg}, executed slot ${slot} ` +
        `(${o.data.command}) at t=${at}us and sent ${client} no answer${again}`);
    }
  }
  return { problems, judged };
}

export const smartLeaderAnswers: Property = {
  name: 'smart-leader-answers',
  description: 'the leader answers every request it executes, one decided twice from its reply ' +
    'cache (P1.4 steps 2 and 5; the reply record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = leaderAnswerProblems(run);
    if (r.judged === 0) return skip(this.name, 'no leader executed a request');
    return verdictOf(this.name, r.problems, { judged: r.judged }, `${r.judged} requests a ` +
      'leader executed, each answered');
  },
};
