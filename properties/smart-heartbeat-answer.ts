/**
 * What a follower's step that handles a HEARTBEAT sends (replica.ts `onHeartbeat`, P1.5
 * "lagging replica" and our CKPT-NOTE rule, docs/smart.md):
 * - it asks the leader for state (STATE-REQUEST) only when the heartbeat shows it behind, that
 *   is when the leader's `commit` is above what it has executed. A follower that asks at every
 *   beat costs a request (and the leader a reply) per member and heartbeat, and every other check
 *   holds (mutation #6205 of the seed-39 sample: 134 requests instead of 2 on smart-steady seed 0);
 * - its CKPT-NOTE waits for a disk write only when the checkpoint it names is above the
 *   heartbeat's stable index (only such a note can raise it); one at or below it leaves at once,
 *   so a follower does not write at every beat (mutation #6220 of the same sample: a write
 *   before every note, 248 delayed notes instead of 122 on smart-steady seed 0);
 * - and it does ask when behind while it holds its starting state: a follower that has executed
 *   the slot before its configuration's first and is below the heartbeat's `commit` answers with
 *   a STATE-REQUEST to the leader in the same step, at once even with `fetchRetryUs` (the leader
 *   is then a preferred source, fetch.ts: only a machine lacking its starting state waits for
 *   another), unless a request of its own left within the last `fetchRetryUs` (one is out at a
 *   time). Mutation #5187 of the seed-49 sample (`r.first - 1` → `r.first + 1` in
 *   lacksStartingState: a follower at slot first−1 or first counted as lacking it and waited
 *   `fetchRetryUs` to ask) passed every other check.
 *
 * Evidence: the message record (the simulator's sends, their step instants, and whether they
 * waited for a disk write) and, for "behind", the follower's own `exec` and `ckpt` facts from
 * steps before the heartbeat's, since its last boot, used only as a lower bound of what it had
 * executed (a follower whose facts reach `commit` was surely not behind), and every such fact
 * of any life before the heartbeat's instant as an upper bound (a follower surely behind: a
 * restart restores a checkpoint whose fact was recorded when saved, or an empty disk); a follower
 * with a fact at the heartbeat's own instant, or a skewed clock, is not judged behind. The step
 * that handled a HEARTBEAT from L delivered at t is the one that sent its CKPT-NOTE to L at step
 * instant t.
 * The note's index is what the step compared with `stable`, so the rule reads it as sent. Not
 * judged: runs without the record or with the cost model (a send may wait for the CPU), and a
 * follower that got two HEARTBEATs from one sender at one instant (a duplicating network).
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import { countBelow, numberParam, pushTo, stepOf } from './run-values.js';
import {
  checkpoints, configurations, executions, skip, stepTime,
} from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const BEAT = /^Heartbeat c=(\d+) b=\S+ commit=(\d+) stable=(\d+)$/;
const NOTE = /^CkptNote c=(\d+) index=(\d+)$/;
const REQUEST = /^StateRequest c=(\d+) have=\d+$/;


/**
 * One node's executed-or-checkpointed slots at their step instants, in time order, asked "how far
 * before t": at most `ever` (every fact) and at least `reached` (facts since its last boot). Each
 * judged heartbeat asks once, so the answers come from prefix maxima, not a scan per heartbeat.
 */
class Progress {
  readonly at: number[] = [];
  private readonly upTo: number[] = [];
  private readonly sinceBoot: number[] = [];
  private readonly lives: number[] = [];

  constructor(facts: { at: number; slot: number }[], private readonly boots: readonly number[]) {
    facts.sort((a, b) => a.at - b.at);
    for (const f of facts) {
      const j = this.at.length;
      const life = countUpTo(boots, f.at);
      this.at.push(f.at);
      this.lives.push(life);
      this.upTo.push(j === 0 ? f.slot : Math.max(this.upTo[j - 1]!, f.slot));
      this.sinceBoot.push(j === 0 || this.lives[j - 1] !== life ? f.slot
        : Math.max(this.sinceBoot[j - 1]!, f.slot));
    }
  }

  /** The facts of steps before `t`: how many, and what they reached (-1: none). */
  before(t: number): { count: number; ever: number; reached: number } {
    const count = countBelow(this.at, t);
    if (count === 0) return { count, ever: -1, reached: -1 };
    const same = this.lives[count - 1] === countUpTo(this.boots, t);
    return { count, ever: this.upTo[count - 1]!, reached: same ? this.sinceBoot[count - 1]! : -1 };
  }
}

/** How many of the ascending `xs` are at or below `t`. */
const countUpTo = (xs: readonly number[], t: number): number => countBelow(xs, t, true);

/** Per node, its progress (exec and ckpt facts) and boots. */
function progress(run: RunRecord, ups: readonly { node: string; at: number }[]):
  Map<string, Progress> {
  const facts = new Map<string, { at: number; slot: number }[]>();
  // Facts a crash dropped count too: their steps ran, in memory (explore trial 1452473 of
  // smart-slow-disk: n2 executed the MIGRATE of slot 141 in the step that learned it, 2 ms
  // before a heartbeat with commit 141; its fact waited behind a 150 ms write that its crash
  // lost, and the check took n2 for one stuck at 140 that did not ask).
  for (const r of [run, droppedRecord(run)]) {
    for (const e of executions(r)) pushTo(facts, e.node, { at: stepTime(e), slot: e.data.slot });
    for (const c of checkpoints(r)) pushTo(facts, c.node, { at: stepTime(c), slot: c.data.index });
  }
  const boots = new Map<string, number[]>();
  for (const u of ups) pushTo(boots, u.node, u.at);
  const out = new Map<string, Progress>();
  for (const [node, list] of facts) {
    out.set(node, new Progress(list, (boots.get(node) ?? []).sort((a, b) => a - b)));
  }
  return out;
}

/**
 * Whether a STATE-REQUEST of the machine may still be outstanding at `t`: with `fetchRetryUs`
 * one request is out at a time, renewed only `fetchRetryUs` after it left (fetch.ts). A boot or
 * an installed copy (its `ckpt` fact with `transfer`, dropped ones too: the step ran) starts the
 * machine's record afresh; a request at the instant of one may have followed it.
 */
function outstanding(sent: readonly MessageFact[] | undefined,
  resets: readonly number[] | undefined, t: number, retryUs: number,
  answer: MessageFact | undefined): boolean {
  if (retryUs <= 0) return false;
  let from = t - retryUs;
  for (const r of resets ?? []) if (r <= t && r > from) from = r - 1;
  return (sent ?? []).some((m) => m !== answer && stepOf(m) > from && stepOf(m) <= t);
}

export function heartbeatAnswerProblems(run: RunRecord):
  { problems: string[]; judged: number; behind: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  if (run.metrics.costs !== undefined) return 'cost model: a send may wait for the CPU';
  // Sends by (sender, receiver, step instant): the answers a step gave.
  const sends = new Map<string, MessageFact[]>();
  const beats = new Map<string, MessageFact[]>();
  for (const m of run.messages) {
    if (NOTE.test(m.label) || REQUEST.test(m.label)) {
      pushTo(sends, `${m.from}>${m.to}@${stepOf(m)}`, m);
    } else if (m.drop === null && BEAT.test(m.label)) pushTo(beats, `${m.to}>${m.from}@${m.at}`, m);
  }
  // Checkpoints saved by a step itself: their notes wait for their own save, whatever the
  // stable index (explore seed 911429 of smart-idle-catch-up: n2, behind by 20 slots with
  // checkpointEvery 2, executed them in the step that handled a heartbeat and saved ten
  // checkpoints, each announced after its write, beside the answer's note of the one it had).
  const saved = new Set(checkpoints(run).map((c) => `${c.node}@${stepTime(c)}#${c.data.index}`));
  const ups = run.nodeEvents.filter((e) => e.kind === 'up');
  const done = progress(run, ups);
  const { table } = configurations(run);
  const retryUs = numberParam(run, 'fetchRetryUs', 0);
  const requests = new Map<string, MessageFact[]>();
  for (const m of run.messages) if (REQUEST.test(m.label)) pushTo(requests, m.from, m);
  const skewedAt = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'skewed' && !skewedAt.has(e.node)) skewedAt.set(e.node, e.at);
  }
  const resets = new Map<string, number[]>();
  for (const u of ups) pushTo(resets, u.node, u.at);
  for (const c of [...checkpoints(run), ...checkpoints(droppedRecord(run))]) {
    if (c.data.transfer === true) pushTo(resets, c.node, stepTime(c));
  }
  const problems: string[] = [];
  let judged = 0;
  let behind = 0;
  for (const [key, list] of beats) {
    if (list.length !== 1) continue;
    const beat = list[0]!;
    const [, cfg, commitText, stableText] = BEAT.exec(beat.label)!;
    const answers = sends.get(key) ?? [];
    const note = answers.find((m) => {
      const x = NOTE.exec(m.label);
      return x !== null && x[1] === cfg && !saved.has(`${m.from}@${stepOf(m)}#${x[2]}`);
    });
    if (note === undefined) continue; // Refused (a lower ballot) or handled later.
    judged++;
    const node = beat.to;
    const t = beat.at;
    const index = Number(NOTE.exec(note.label)![2]);
    const stable = Number(stableText);
    if (index <= stable && note.stepAt !== undefined) {
      problems.push(`${node}'s ${note.label} (at or below the stable index ${stable} of ` +
        `${beat.from}'s ${beat.label}, handled at t=${t}us) waited for a disk write until ` +
        `t=${note.sent}us: only a note that can raise the stable index waits`);
    }
    // Its own configuration's request: another step at the same instant (a resumed node's
    // backlog) may ask for another's (explore trial 820076 of smart-join-request-forgotten: n3,
    // resumed at 800 ms, asked n2 for configuration 22's state beside this answer).
    const ask = answers.find((m) => REQUEST.exec(m.label)?.[1] === cfg);
    // What it had executed: at least `reached` (its facts since boot), at most `ever` (every
    // fact before: a restart restores a checkpoint it saved, with its fact, or an empty disk).
    const facts = done.get(node);
    const { count, ever, reached } = facts?.before(t) ?? { count: 0, ever: -1, reached: -1 };
    const commit = Number(commitText);
    const first = table.get(Number(cfg))?.first;
    // Another step of this instant (a DECIDED handled first) may have executed more.
    const settled = facts === undefined || count === facts.at.length || facts.at[count]! > t;
    if (first !== undefined && settled && reached >= first - 1 && ever < commit
      && (skewedAt.get(node) ?? Infinity) > t
      && !outstanding(requests.get(node), resets.get(node), t, retryUs, ask)) {
      behind++;
      if (ask === undefined) {
        problems.push(`${node}, holding its starting state of configuration ${cfg} (executed ` +
          `slot ${reached} by its facts since its boot, ${ever} at most, first slot ${first}), ` +
          `answered ${beat.from}'s ${beat.label} (t=${t}us) with no STATE-REQUEST: a follower ` +
          'behind the commit asks its leader at once' + (retryUs > 0 ? ', a preferred source ' +
          `(no request of its own in the last fetchRetryUs, ${retryUs}us)` : ''));
      }
    }
    if (ask === undefined) continue;
    if (reached >= commit) {
      problems.push(`${node} answered ${beat.from}'s ${beat.label} (t=${t}us) with ${ask.label} ` +
        `although it had executed slot ${reached}: a follower asks for state only when the ` +
        'heartbeat shows it behind');
    }
  }
  return { problems, judged, behind };
}

export const smartHeartbeatAnswer: Property = {
  name: 'smart-heartbeat-answer',
  description: 'a follower answers a HEARTBEAT with a state request only when behind its commit, ' +
    'and with a CKPT-NOTE that waits for a write only when it can raise the stable index ' +
    '(the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = heartbeatAnswerProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return verdictOf(this.name, r.problems, { judged: r.judged, behind: r.behind },
      `${r.judged} heartbeats answered without a needless state request or disk write; ` +
      `${r.behind} to a follower behind the commit, each answered by a state request`);
  },
};
