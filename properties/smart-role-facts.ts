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
 * A won election is evidence of leading too: a leader deposed within the instant it won sends
 * nothing (explore trial 1470166 of smart-state-source-vanishes: n6, paused, was handed at its
 * resume a vote that made it leader of configuration 2 and then a higher ELECT, before its
 * first heartbeat's timer fired). Won: PollReplies at one ballot of n's, sent to n from that
 * window on, from a majority of the configuration's members less n itself (at least one), all
 * arrived by t, and n sent no ELECT of that configuration at a higher ballot before the last of
 * them arrived (a candidate that moved on ignores older votes).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { readCommon } from './observed.js';
import { pushTo, stepTime } from './run-values.js';
import { parseBallotMessage } from './smart-elect-behind-join.js';
import { configurations, majority, skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const LEADS = /^(?:Heartbeat|Propose|Decided) c=(\d+) /;
interface Vote { readonly from: string; readonly sent: number; readonly at: number;
  readonly ballot: number }

/**
 * Whether `node` won an election of configuration `cfg` by `t` with votes sent at or after
 * `from` (see the header): `votes` are the PollReplies delivered to it, `elects` its ELECTs.
 */
function wonElection(votes: readonly Vote[], elects: readonly Vote[], need: number,
  from: number, t: number): boolean {
  const byBallot = new Map<number, Map<string, number>>(); // ballot -> voter -> first arrival
  for (const v of votes) {
    if (v.sent < from || v.at > t) continue;
    let voters = byBallot.get(v.ballot);
    if (voters === undefined) byBallot.set(v.ballot, voters = new Map());
    voters.set(v.from, Math.min(voters.get(v.from) ?? Infinity, v.at));
  }
  for (const [ballot, voters] of byBallot) {
    if (voters.size < need) continue;
    const won = [...voters.values()].sort((a, b) => a - b)[need - 1]!;
    const movedOn = elects.some((e) => e.sent >= from && e.sent <= won && e.ballot > ballot);
    if (!movedOn) return true;
  }
  return false;
}

export function stepDownProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const led = new Map<string, number[]>(); // node|group -> send instants, ascending
  for (const m of run.messages) {
    const p = LEADS.exec(m.label);
    if (p === null) continue;
    pushTo(led, `${m.from}|config ${p[1]}`, m.sent);
  }
  for (const list of led.values()) list.sort((a, b) => a - b);
  const votes = new Map<string, Vote[]>(); // candidate|group -> PollReplies delivered to it
  const elects = new Map<string, Vote[]>(); // candidate|group -> its ELECTs
  for (const m of run.messages) {
    const p = parseBallotMessage(m);
    if (p === null || (p.kind !== 'Elect' && p.kind !== 'PollReply')) continue;
    const vote = { from: m.from, sent: m.sent, at: m.at, ballot: p.ballot };
    if (p.kind === 'Elect') pushTo(elects, `${m.from}|config ${p.cfg}`, vote);
    else if (m.drop === null) pushTo(votes, `${m.to}|config ${p.cfg}`, vote);
  }
  const sizes = configurations(run).table;
  /** PollReplies needed besides the candidate's own vote (0: an unknown configuration). */
  const needed = (group: string): number => {
    const size = sizes.get(Number(group.slice('config '.length)))?.members.length ?? 0;
    return size === 0 ? 0 : majority(size) - 1;
  };
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
    const need = needed(d.group);
    if (need > 0
      && wonElection(votes.get(key) ?? [], elects.get(key) ?? [], need, from, d.t)) continue;
    problems.push(`${d.node} reported giving up the leadership of ${d.group} at t=${d.t}us, ` +
      'but sent no HEARTBEAT, PROPOSE or DECIDED of it and won no election of it since ' +
      `t=${Math.max(from, 0)}us`);
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
