/**
 * The protocol-neutral `role` fact (protocol/types.ts): `follower` says the node *gave up* the
 * leading role of a group, which for SMART is a configuration's leadership (replica.ts `follow`,
 * migration.ts retirement). A node that never led reports no such step-down; the report's leader
 * lanes and every check that reads role facts take them at their word. Mutation #5914 of the
 * seed-35 sample (a `role: follower` fact on every follow, not only when a leader steps down)
 * reported thousands of step-downs of followers, and no check read them.
 *
 * Evidence: the message record (the simulator's sends), not the node's own role facts. Only a
 * configuration's leader sends HEARTBEAT, PROPOSE or DECIDED of it. A `role: follower` fact of
 * node n for configuration c, at its step instant t, must follow such a send of c by n at or
 * after n's last boot and its previous `role: follower` fact for c (a crash ends every role
 * without a fact, and a second step-down needs a second leadership), and at or before t.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { readCommon } from './observed.js';
import { pushTo, stepTime } from './run-values.js';
import { skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const LEADS = /^(?:Heartbeat|Propose|Decided) c=(\d+) /;

export function stepDownProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const led = new Map<string, number[]>(); // node|group -> send instants, ascending
  for (const m of run.messages) {
    const p = LEADS.exec(m.label);
    if (p === null) continue;
    pushTo(led, `${m.from}|config ${p[1]}`, m.sent);
  }
  for (const list of led.values()) list.sort((a, b) => a - b);
  const ups = run.nodeEvents.filter((e) => e.kind === 'up');
  const previous = new Map<string, number>();
  const problems: string[] = [];
  let judged = 0;
  const downs = readCommon(run, 'role').filter((o) => o.data.role === 'follower')
    .map((o) => ({ node: o.node, group: o.data.group, t: stepTime(o) }))
    .sort((a, b) => a.t - b.t);
  for (const d of downs) {
    const key = `${d.node}|${d.group}`;
    let from = previous.get(key) ?? -1;
    for (const u of ups) if (u.node === d.node && u.at <= d.t && u.at > from) from = u.at;
    previous.set(key, d.t);
    judged++;
    if ((led.get(key) ?? []).some((s) => s >= from && s <= d.t)) continue;
    problems.push(`${d.node} reported giving up the leadership of ${d.group} at t=${d.t}us, ` +
      `but sent no HEARTBEAT, PROPOSE or DECIDED of it since t=${Math.max(from, 0)}us`);
  }
  return { problems, judged };
}

export const smartRoleFacts: Property = {
  name: 'smart-role-stepdown',
  description: 'a `role: follower` fact (a leader gave up its configuration) comes only from a ' +
    'node that led it since its last boot and its previous step-down (the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = stepDownProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} step-downs, each after leading`);
  },
};
