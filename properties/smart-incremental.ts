/**
 * SMART incremental state transfer (P1.5 "learns missing decisions", P1.6 step 5 "incremental
 * state transfer (EM state is close)"; issue 11 item 2): a machine that asks for state while it
 * is at most `incrementalSlots` behind the responder's execution, when the responder still
 * holds every decided slot in between, gets those slots (one DECIDED-RANGE from have+1 up to the
 * responder's executed index, or a run of consecutive slots cut at one reply's size), not a full
 * STATE-COPY of the responder's checkpoint. Found by mutation (seed-13 sample, #5916:
 * `&&` → `||` sent a full copy whenever the responder's checkpoint was above `have`).
 *
 * Judged from evidence other than the responder's decision: the request's `have` and what the
 * responder sent back in the same step (the message record: no cost model, so a delivered
 * message is handled at its arrival and the answer leaves at that instant); its executed index
 * from its `exec` facts (dropped ones included: the step ran); what it held from the same facts,
 * since its own record of executed slots keeps the last `incrementalSlots` of them and only a
 * boot (an `up` fact) or an installed copy (a `ckpt` fact with `transfer`) empties it; and
 * `incrementalSlots` from the run's parameters. A responder surely holds the gap when it
 * executed every slot of it itself since its last boot or install.
 *
 * Not judged, since the spec excuses them or the evidence cannot say: runs without a message
 * record (sweep, explore) or with the cost model (a node handles a message later than it
 * arrives); a requester further behind than `incrementalSlots`; a gap the responder did not
 * execute since its last boot or install (it may hold it in its log or not: a full copy is
 * allowed); a responder with no execution since then (its executed index is unknown); a
 * responder whose state a `corrupt` fault scrambled; a request handled at the instant of the
 * responder's boot or install, or at a boot or install that shares its instant with an
 * execution (the order inside the instant is not recorded); and two requests from one machine
 * handled at one instant (their answers cannot be told apart). An execution at the request's
 * own instant may come before or after it: the request is judged only if it qualifies either way.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import { handledMessages } from './handled-messages.js';
import { messageLinks } from './message-links.js';
import { numberParam } from './run-values.js';
import {
  checkpoints, executions, fail, pass, skip, stepTime,
} from './smart-observations.js';
import type { Property } from './types.js';

const REQUEST = /^StateRequest c=(\d+) have=(\d+)$/;
const RANGE = /^DecidedRange c=\d+ s=(\d+)\.\.(\d+) n=(\d+)$/;

interface Life {
  /** Times of boots and installed copies, ascending: each empties the record of executed slots. */
  readonly resets: number[];
  /** Executions as [step time, slot], in step-time order. */
  readonly execs: [number, number][];
  /** Per execution, the index of the first of the run of consecutive slots it ends. */
  readonly runFrom: number[];
  /** The first time a `corrupt` fault scrambled it, or Infinity. */
  corruptedAt: number;
}

function lives(run: RunRecord): Map<string, Life> {
  const byNode = new Map<string, Life>();
  const of = (node: string): Life => {
    let l = byNode.get(node);
    if (l === undefined) {
      byNode.set(node, l = { resets: [], execs: [], runFrom: [], corruptedAt: Infinity });
    }
    return l;
  };
  for (const e of run.nodeEvents) {
    if (e.kind === 'up') of(e.node).resets.push(e.at);
    if (e.kind === 'corrupted') of(e.node).corruptedAt = Math.min(of(e.node).corruptedAt, e.at);
  }
  const dropped = droppedRecord(run);
  for (const o of [...checkpoints(run), ...checkpoints(dropped)]) {
    if (o.data.transfer === true) of(o.node).resets.push(stepTime(o));
  }
  for (const o of [...executions(run), ...executions(dropped)]) {
    of(o.node).execs.push([stepTime(o), o.data.slot]);
  }
  for (const l of byNode.values()) {
    l.resets.sort((a, b) => a - b);
    l.execs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (let i = 0; i < l.execs.length; i++) {
      const run = i > 0 && l.execs[i - 1]![1] === l.execs[i]![1] - 1;
      l.runFrom.push(run ? l.runFrom[i - 1]! : i);
    }
  }
  return byNode;
}

/** What the responder had executed since its last reset up to a time, or why it is unknown. */
type Held = { readonly lastExec: number; readonly from: number } | string;

/** Index of the last execution of `execs` at or before (`strict`: before) `t`, or -1. */
function lastAt(execs: readonly (readonly [number, number])[], t: number, strict: boolean): number {
  let lo = 0;
  let hi = execs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? execs[mid]![0] < t : execs[mid]![0] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * The responder's executions since its last reset, before `t` and up to `t` (an execution at `t`
 * may come before or after the request): the executed index, and the lowest slot `from` such that
 * it executed every slot from there on. Executions of one life run in slot order, one by one.
 */
function heldAt(l: Life, t: number): { before: Held; upTo: Held } | string {
  if (l.corruptedAt <= t) return 'corrupted';
  let reset = -1;
  for (const r of l.resets) if (r <= t) reset = r;
  if (reset === t) return 'reset at the instant';
  const first = lastAt(l.execs, reset, false) + 1;
  if (reset >= 0 && l.execs[first - 1]?.[0] === reset) {
    return 'reset shares its instant with an execution';
  }
  const held = (i: number): Held => {
    if (i < first) return 'nothing executed';
    return { lastExec: l.execs[i]![1], from: l.execs[Math.max(first, l.runFrom[i]!)]![1] };
  };
  return { before: held(lastAt(l.execs, t, true)), upTo: held(lastAt(l.execs, t, false)) };
}

/** Whether a requester at `have` is close and its gap surely held (see the header). */
function close(h: Held, have: number, incremental: number): h is Exclude<Held, string> {
  if (typeof h === 'string') return false;
  return h.lastExec - have <= incremental && (have >= h.lastExec || h.from <= have + 1);
}

/** Counts of what was judged, and the first request answered against the rule, or null. */
export function fullCopiesToClose(run: RunRecord, messages: readonly MessageFact[]):
  { judged: number; problem: string | null } {
  const incremental = numberParam(run, 'incrementalSlots', 64);
  const byNode = lives(run);
  // The answer is read from its link: keying every message by link and send time cost more
  // than all the rest of the check (≈ 40 k keys per recorded run, for a few dozen requests).
  const links = messageLinks(messages);
  const requestsAt = new Map<string, number>();
  for (const m of messages) {
    if (m.drop === null && REQUEST.test(m.label)) {
      const at = `${m.from}>${m.to}@${m.at}`;
      requestsAt.set(at, (requestsAt.get(at) ?? 0) + 1);
    }
  }
  let judged = 0;
  for (const m of messages) {
    const hit = REQUEST.exec(m.label);
    if (hit === null || m.drop !== null) continue;
    if (requestsAt.get(`${m.from}>${m.to}@${m.at}`) !== 1) continue;
    const life = byNode.get(m.to);
    if (life === undefined) continue;
    const have = Number(hit[2]);
    const held = heldAt(life, m.at);
    if (typeof held === 'string') continue;
    if (!close(held.before, have, incremental) || !close(held.upTo, have, incremental)) continue;
    judged++;
    const answer = links.between(m.to, m.from).filter((a) => a.sent === m.at);
    const where = `${m.to} answered ${m.from}'s STATE-REQUEST (c=${hit[1]}, have=${have}) ` +
      `at t=${m.at}us`;
    const lastExec = held.before.lastExec;
    const copy = answer.find((a) => a.label.startsWith('StateCopy '));
    if (copy !== undefined) {
      return { judged, problem: `${where} with a full copy (${copy.label}) although it had ` +
        `executed up to slot ${lastExec}, at most incrementalSlots=${incremental} ahead, and ` +
        `held every slot in between` };
    }
    if (have >= lastExec) continue;
    const range = answer.map((a) => RANGE.exec(a.label)).find((r) => r !== null);
    const [first, last, n] = range === undefined ? [0, 0, 0] : range.slice(1).map(Number);
    // A range may stop short at one reply's size (a bound of the implementation, not of the
    // spec): then it is a run of consecutive slots, and the requester asks again for the rest.
    if (first !== have + 1 || (last! < lastExec && last! - first + 1 !== n)) {
      const got = range === undefined ? 'no DECIDED-RANGE' : `slots ${first}..${last} (n=${n})`;
      return { judged, problem: `${where} with ${got}, not the slots ${have + 1}..${lastExec} ` +
        'it held' };
    }
  }
  return { judged, problem: null };
}

export const smartIncremental: Property = {
  name: 'smart-incremental-transfer',
  description: 'P1.6 step 5: a machine close behind (at most incrementalSlots) whose gap the ' +
    'responder holds gets the decided slots, not a full copy (judged from the message record)',
  protocols: ['smart'],
  check(run) {
    const messages = handledMessages(run);
    if (typeof messages === 'string') return skip(this.name, messages);
    const { judged, problem } = fullCopiesToClose(run, messages);
    if (problem !== null) return fail(this.name, problem);
    return pass(this.name, `${judged} state request(s) from a close machine whose gap the ` +
      'responder held: each got the decided slots, none a full copy');
  },
};
