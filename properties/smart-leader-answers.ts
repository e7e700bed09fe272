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
import { readCommon } from './observed.js';
import { pushTo } from './run-values.js';
import { configurations, executions, skip, stepTime } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const OP = /^(.+)#(\d+)$/;

export function leaderAnswerProblems(run: RunRecord): { problems: string[]; judged: number } {
  // The request of each slot (every machine executes the same one), and the highest sequence
  // number of its client held by a slot below it.
  const bySlot = new Map<number, { client: string; seq: number } | null>();
  for (const o of executions(run)) {
    if (bySlot.has(o.data.slot)) continue;
    const m = OP.exec(o.data.command);
    bySlot.set(o.data.slot, m === null ? null : { client: m[1]!, seq: Number(m[2]) });
  }
  const before = new Map<number, number>();
  const newest = new Map<string, number>();
  for (const slot of [...bySlot.keys()].sort((a, b) => a - b)) {
    const op = bySlot.get(slot);
    if (op === null || op === undefined) continue;
    const prev = newest.get(op.client);
    if (prev !== undefined) before.set(slot, prev);
    if (prev === undefined || op.seq > prev) newest.set(op.client, op.seq);
  }
  const firsts = [...configurations(run).table.values()].map((c) => [c.num, c.first] as const)
    .sort((a, b) => b[1] - a[1]);
  const cfgOf = (slot: number): number => firsts.find(([, first]) => first <= slot)?.[0] ?? 1;
  const roles = new Map<string, { at: number; leader: boolean }[]>();
  for (const o of readCommon(run, 'role')) {
    const leader = o.data.role === 'leader';
    pushTo(roles, `${o.node} ${o.data.group}`, { at: stepTime(o), leader });
  }
  for (const list of roles.values()) list.sort((a, b) => a.at - b.at);
  const bounces = new Map<string, number[]>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'down' || e.kind === 'up') pushTo(bounces, e.node, e.at);
  }
  const leads = (node: string, cfg: number, at: number): boolean => {
    let role: { at: number; leader: boolean } | undefined;
    for (const r of roles.get(`${node} config ${cfg}`) ?? []) {
      if (r.at > at) break;
      role = r;
    }
    if (role === undefined || !role.leader) return false;
    return !(bounces.get(node) ?? []).some((b) => b >= role!.at && b <= at);
  };
  const answered = new Set(run.replies.filter((r) => r.outcome === 'done')
    .map((r) => `${r.node}>${r.to}#${r.seq}@${r.stepAt}`));
  const problems: string[] = [];
  let judged = 0;
  for (const o of executions(run)) {
    const op = bySlot.get(o.data.slot);
    if (op === null || op === undefined) continue;
    if ((before.get(o.data.slot) ?? -1) > op.seq) continue;
    const at = stepTime(o);
    const cfg = cfgOf(o.data.slot);
    if (!leads(o.node, cfg, at)) continue;
    judged++;
    if (!answered.has(`${o.node}>${op.client}#${op.seq}@${at}`)) {
      const again = before.get(o.data.slot) === op.seq ? ' (decided twice: from its reply cache)'
        : '';
      problems.push(`${o.node}, leader of configuration ${cfg}, executed slot ${o.data.slot} ` +
        `(${o.data.command}) at t=${at}us and sent ${op.client} no answer${again}`);
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
