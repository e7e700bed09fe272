/** The highest slot `node` executed or held in a checkpoint by its steps up to `t`. */
function executedBy(execs: ReturnType<typeof executions>, ckpts: ReturnType<typeof checkpoints>,
  node: string, t: number): number {
  let executed = 0;
  for (const o of execs) {
    if (o.node === node && stepTime(o) <= t) executed = Math.max(executed, o.data.slot);
  }
  for (const o of ckpts) {
    if (o.node === node && stepTime(o) <= t) executed = Math.max(executed, o.data.index);
  }
  return executed;
}

/**
 * SMART's fetch of a starting state with `fetchRetryUs` set (our documented choice for P1.6
 * step 5, protocol/smart/fetch.ts and docs/smart.md): the request goes first to a preferred
 * source, a member of the new configuration other than its leader, and only a non-preferred one
 * waits `fetchRetryUs` for a preferred reason. So a machine lacking its starting state that gets
 * FINISHED from a preferred source, and has sent no STATE-REQUEST within `fetchRetryUs` (none
 * outstanding), asks at once. Mutation #4492 of the seed-37 sample (no source preferred: every
 * first reason only started the wait, and the state was asked for `fetchRetryUs` late, from
 * whichever machine gave the next reason, the leader or a departing one included).
 *
 * Evidence: the message record (FINISHED delivered, STATE-REQUESTs sent) and the node's own
 * execution, checkpoint, replica, leader and defunct facts, used only as bounds: a preferred
 * source is a member of the configuration other than its first member that no leader fact shows
 * leading it, so no machine can believe it leads; a machine whose facts reach FirstSlot−1
 * within the judged window is not judged. "At once" is within half of `fetchRetryUs` after the
 * FINISHED arrived (the cost model queues a busy node's messages; any STATE-REQUEST counts).
 * Not judged across the machine going down, up or paused, nor while a timing fault is in force,
 * nor at a machine hosting the predecessor's replica (it waits for the shared EM, step 5).
 *
 * The other side (`unpreferredWaitProblems`): a source that is not preferred is asked only after
 * a reason to fetch at least `fetchRetryUs` old (fetch.ts: the first such reason only starts the
 * wait). Mutation #4777 of the seed-43 sample (smart:ask-unpreferred-at-once) asked at once: in
 * smart-leader-fetch-once the newcomers n4 and n5 both asked the departing n1 at its first
 * FINISHED, 30 ms early, where a preferred source may still have given a reason meanwhile.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, unperturbed } from './fault-state.js';
import { bouncedBetween, disturbed, numberParam, pushTo, stepOf } from './run-values.js';
import {
  checkpoints, configurations, defuncts, executions, leaderships, replicaStarts, stepTime,
} from './smart-observations.js';
import { judgedVerdict, type Property } from './types.js';

const FINISHED = /^Finished c=(\d+)$/;

export function preferredFetchProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const retryUs = numberParam(run, 'fetchRetryUs', 0);
  if (retryUs <= 0) return 'fetchRetryUs is 0: no source is preferred';
  if (run.messages === undefined) return 'the run kept no message record';
  const window = retryUs / 2;
  const { table } = configurations(run);
  const segs = segments(run);
  const execs = executions(run);
  const ckpts = checkpoints(run);
  const dead = defuncts(run);
  const starts = replicaStarts(run);
  const leads = leaderships(run);
  const requests = new Map<string, number[]>();
  for (const m of run.messages) {
    if (!m.label.startsWith('StateRequest ')) continue;
    pushTo(requests, m.from, m.sent);
  }
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages) {
    const hit = FINISHED.exec(m.label);
    if (hit === null || m.drop !== null) continue;
    const cfg = Number(hit[1]);
    const succ = table.get(cfg + 1);
    const pred = table.get(cfg);
    if (succ === undefined || pred === undefined) continue;
    const node = m.to;
    const source = m.from;
    const t = m.at;
    const until = t + window;
    if (until > run.endUs) continue;
    // A preferred source by any machine's account.
    if (source === node || !succ.members.includes(source) || source === succ.members[0]) continue;
    if (leads.some((o) => o.node === source && o.data.config === cfg + 1 && stepTime(o) <= until)) {
      continue;
    }
    // The machine runs the successor's replica, no predecessor's, and knows neither defunct.
    if (pred.members.includes(node)) continue;
    if (!starts.some((o) => o.node === node && o.data.config === cfg + 1 && stepTime(o) < t)) {
      continue;
    }
    if (dead.some((o) => o.node === node && o.data.config >= cfg + 1 && stepTime(o) <= until)) {
      continue;
    }
    // It lacked its starting state throughout the window.
    const executed = executedBy(execs, ckpts, node, until);
    if (executed >= succ.first - 1) continue;
    if (disturbed(run, [node], t - retryUs, until) || !unperturbed(segs, t - retryUs, until)) {
      continue;
    }
    const sent = requests.get(node) ?? [];
    if (sent.some((at) => at > t - retryUs && at <= t)) continue; // One is outstanding.
    judged++;
    if (!sent.some((at) => at >= t && at <= until)) {
      const next = sent.find((at) => at > t);
      problems.push(`${node} lacked its starting state of configuration ${cfg + 1} (executed ` +
        `at most slot ${executed}, needs ${succ.first - 1}), had no STATE-REQUEST outstanding ` +
        `and got FINISHED from ${source}, a preferred source (a member that does not lead), at ` +
        `t=${t}us, but sent no STATE-REQUEST within ${window}us` +
        (next === undefined ? '' : ` (next at t=${next}us)`) + ': a preferred source is asked ' +
        `at once, only others wait fetchRetryUs (${retryUs}us)`);
    }
  }
  return { problems, judged };
}

const REQUEST = /^StateRequest c=(\d+) have=\d+$/;
/** What a machine may handle by calling fetchState (onFinished, onHeartbeat, a leader's). */
const REASON = /^(Finished|Heartbeat|CkptNote|PollReply) /;

/**
 * STATE-REQUESTs that the machine's own rules make non-preferred, judged against its reasons to
 * fetch. Two kinds are certain from the record: one labelled with configuration c by a machine
 * that is no member of c, to a machine that is no member of c+1 (only onFinished sends it, for
 * its replica of c+1, and such a source is never preferred); and one labelled with its own
 * configuration c to any machine, while its facts show it below FirstSlot_c − 1 and it never
 * led c (onHeartbeat asks for a missing starting state as a non-preferred request; excluded
 * when FINISHED of c could be the reason, i.e. both machines belong to c+1). Such a request
 * leaves only when the fetch record holds a reason or request at least `fetchRetryUs` old, and
 * the record starts empty at boot. So the machine must have sent a STATE-REQUEST, or had a
 * FINISHED, HEARTBEAT, CKPT-NOTE or POLL-REPLY delivered (the arrival bounds the step that
 * handled it from below), since its last boot and at least `fetchRetryUs` before. Not judged at
 * a machine that ever led (its heartbeat timer fetches too) or had its clock skewed, nor the
 * second kind at a machine that goes down or up later (a crash drops the facts still waiting
 * for a write, so they no longer bound its execution or leadership).
 */
export function unpreferredWaitProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const retryUs = numberParam(run, 'fetchRetryUs', 0);
  if (retryUs <= 0) return 'fetchRetryUs is 0: no source is preferred';
  if (run.messages === undefined) return 'the run kept no message record';
  const { table } = configurations(run);
  const execs = executions(run);
  const ckpts = checkpoints(run);
  const leads = leaderships(run);
  const reasons = new Map<string, number[]>();
  for (const m of run.messages) {
    if (m.drop === null && REASON.test(m.label)) pushTo(reasons, m.to, m.at);
    else if (REQUEST.test(m.label)) pushTo(reasons, m.from, stepOf(m));
  }
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages) {
    const hit = REQUEST.exec(m.label);
    if (hit === null) continue;
    const node = m.from;
    const source = m.to;
    const t = stepOf(m);
    const c = Number(hit[1]);
    const cfg = table.get(c);
    const succ = table.get(c + 1);
    if (cfg === undefined) continue;
    let why: string;
    if (!cfg.members.includes(node)) {
      // onFinished for the replica of c+1: `source` is not preferred if no member of c+1.
      if (succ === undefined || !succ.members.includes(node) || succ.members.includes(source)) {
        continue;
      }
      why = `its FINISHED of configuration ${c} came from ${source}, no member of ${c + 1}`;
    } else {
      if (succ !== undefined && succ.members.includes(node) && succ.members.includes(source)) {
        continue;
      }
      // Facts of steps before a crash can be lost with the write they wait for.
      if (bouncedBetween(run, node, t, run.endUs)) continue;
      const executed = executedBy(execs, ckpts, node, t);
      if (executed >= cfg.first - 1) continue;
      why = `it lacked its starting state of configuration ${c} (executed at most slot ` +
        `${executed}, needs ${cfg.first - 1}): a catch-up request of a follower`;
    }
    if (leads.some((o) => o.node === node && stepTime(o) <= t)) continue;
    if (run.nodeEvents.some((e) => e.node === node && e.kind === 'skewed' && e.at <= t)) continue;
    let boot = 0;
    for (const e of run.nodeEvents) {
      if (e.node === node && e.kind === 'up' && e.at <= t) boot = Math.max(boot, e.at);
    }
    judged++;
    const early = t - retryUs;
    if ((reasons.get(node) ?? []).some((at) => at >= boot && at <= early)) continue;
    problems.push(`${node} asked ${source} for state (${m.label}) at a step at t=${t}us, a ` +
      `source that is not preferred (${why}), with no reason to fetch and no STATE-REQUEST ` +
      `between its boot (t=${boot}us) and t=${early}us: a source that is not preferred is ` +
      `asked only after waiting fetchRetryUs (${retryUs}us) for a preferred one`);
  }
  return { problems, judged };
}

export const smartFetchPreferred: Property = {
  name: 'smart-fetch-preferred',
  description: 'P1.6 step 5 with fetchRetryUs: a machine lacking its starting state, with no ' +
    'request outstanding, asks a preferred source (a member that does not lead) at its FINISHED, ' +
    'and asks another only after fetchRetryUs (the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const asked = preferredFetchProblems(run);
    const waited = unpreferredWaitProblems(run);
    if (typeof asked === 'string' || typeof waited === 'string') {
      return judgedVerdict(this.name, asked, '', () => '');
    }
    const r = { problems: [...asked.problems, ...waited.problems],
      judged: asked.judged + waited.judged };
    return judgedVerdict(this.name, r,
      'no FINISHED from a preferred source reached a machine lacking its state, and no ' +
      'source that is not preferred was asked',
      () => `${asked.judged} FINISHED from a preferred source to a machine lacking its state, ` +
        `each answered by a state request; ${waited.judged} requests to a source that is not ` +
        'preferred, each after fetchRetryUs');
  },
};
