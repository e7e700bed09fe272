/**
 * Who answers an ELECT below a promise (docs/smart.md, our PREEMPT rule [std-Paxos NACK]): a
 * follower that knows no leader tells the candidate the ballot to beat, in the step that
 * handles the ELECT; candidates and followers of a leader stay silent, so two candidates never
 * chase each other's ballots up. Without the answer a candidate refused by a promise nobody
 * leads loses a whole election timeout per round (mutation #6045 of the seed-31 sample: the
 * candidates answered and the leaderless followers did not; the outage stayed within every
 * other bound).
 *
 * Evidence: the message record only. A machine m is a leaderless follower of configuration c at
 * t when its last ELECT or POLL-REPLY for c from a step before t was a POLL-REPLY (it promised
 * p, the highest ballot of its POLL-REPLYs for c), and since then it was delivered no HEARTBEAT or
 * PROPOSE for c at a ballot ≥ p (which would make it follow that leader). An ELECT(c, b < p)
 * delivered to it then must be answered by a PREEMPT(c) to the candidate at the same instant.
 * Not judged: across m going down, up or pausing, after m retired from c, with the cost model
 * (an event may wait for the CPU), for a ballot equal to the promise (ignored by design), or so
 * late that the answer may still be on its way when the run ends (`answerWindowUs`): the record
 * holds a message once it arrives (explore seed 860034 of smart-late-preempt: n1 answered n2's
 * ELECT at 1.298 s, and every PREEMPT was delayed 1.8 s, past the end at 3.0 s).
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { defuncts, retirements, skip, stepTime } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';
import { onceEach } from './memo.js';
import { pushTo, stepOf } from './run-values.js';

const MSG = /^(Elect|PollReply|Heartbeat|Propose|Preempt) c=(\d+) b=(\d+)\.(\d+)/;

interface Parsed { readonly kind: string; readonly cfg: number; readonly ballot: number }

function parse(m: MessageFact): Parsed | null {
  const r = MSG.exec(m.label);
  if (r === null) return null;
  // Rounds and proposer indices compare lexicographically; indices stay below 10^6.
  return { kind: r[1]!, cfg: Number(r[2]), ballot: Number(r[3]) * 1e6 + Number(r[4]) };
}

/**
 * The longest a PREEMPT may take to arrive: the slowest message the record holds, plus the
 * longest targeted delay of PREEMPTs in the scenario (a delayed answer still in flight at the
 * end is not in the record, and it would make the slowest otherwise).
 */
export function answerWindowUs(run: RunRecord): number {
  let slowest = 0;
  for (const m of run.messages ?? []) {
    if (m.drop === null) slowest = Math.max(slowest, m.at - m.sent);
  }
  let delay = 0;
  for (const f of run.faults) {
    if (f.kind === 'targeted' && f.action === 'delay' && f.type === 'preempt') {
      delay = Math.max(delay, f.delayUs ?? 0);
    }
  }
  return slowest + delay;
}

type Fact = { readonly m: MessageFact; readonly p: Parsed };

/**
 * A node's last ELECT or POLL-REPLY among `votes` (its `votesFrom`) from a step before t, by
 * the step, not the send: an ELECT leaves only after its promise is on disk. Null: none.
 */
function lastVote(votes: readonly Fact[], t: number):
  { step: number; kind: string; ballot: number } | null {
  let last: { step: number; kind: string; ballot: number } | null = null;
  for (const { m, p } of votes) {
    if (stepOf(m) >= t) continue;
    if (last === null || stepOf(m) >= last.step) {
      last = { step: stepOf(m), kind: p.kind, ballot: p.ballot };
    }
  }
  return last;
}

/**
 * The ELECT, POLL-REPLY, PREEMPT and HEARTBEAT record every side of the check reads, the same
 * facts by sender or receiver, configuration and kind (each list in record order), and the node
 * facts that interrupt a node's run of steps. Every scan below reads one node's facts of one
 * configuration, so a message storm elsewhere (explore seed 932136: 116,205 messages) costs it
 * nothing.
 */
interface IndexedRecord {
  readonly parsed: readonly Fact[];
  readonly disturbed: RunRecord['nodeEvents'];
  readonly from: (node: string, cfg: number, kind: string) => readonly Fact[];
  readonly to: (node: string, cfg: number, kind: string) => readonly Fact[];
  /**
   * A node's ELECTs and POLL-REPLYs of a configuration together, in record order (ties in send
   * time go to the later fact, as a scan of the whole record did).
   */
  readonly votesFrom: (node: string, cfg: number) => readonly Fact[];
}

/**
 * The indexed record, or why the run cannot be judged. Built once per run: the four sides of
 * the check read the same index (each rebuilt it, ≈ 10 ms a recorded run).
 */
const parsedRecord = onceEach((run: RunRecord): IndexedRecord | string => {
  if (run.messages === undefined) return 'the run kept no message record';
  if (run.metrics.costs !== undefined) return 'cost model: a node may handle a message later';
  const parsed = run.messages.map((m) => ({ m, p: parse(m) }))
    .filter((x): x is Fact => x.p !== null);
  const bySender = new Map<string, Fact[]>();
  const byReceiver = new Map<string, Fact[]>();
  const votes = new Map<string, Fact[]>();
  for (const f of parsed) {
    pushTo(bySender, `${f.m.from}|${f.p.cfg}|${f.p.kind}`, f);
    pushTo(byReceiver, `${f.m.to}|${f.p.cfg}|${f.p.kind}`, f);
    if (f.p.kind === 'Elect' || f.p.kind === 'PollReply') {
      pushTo(votes, `${f.m.from}|${f.p.cfg}`, f);
    }
  }
  const disturbed = run.nodeEvents.filter((e) => e.kind !== 'skewed' && e.kind !== 'corrupted');
  return { parsed, disturbed,
    from: (node, cfg, kind) => bySender.get(`${node}|${cfg}|${kind}`) ?? [],
    to: (node, cfg, kind) => byReceiver.get(`${node}|${cfg}|${kind}`) ?? [],
    votesFrom: (node, cfg) => votes.get(`${node}|${cfg}`) ?? [] };
});

export function preemptProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  const record = parsedRecord(run);
  if (typeof record === 'string') return record;
  const { parsed, disturbed, from, to, votesFrom } = record;
  const retired = retirements(run);
  const lastJudged = run.endUs - answerWindowUs(run);
  const problems: string[] = [];
  let judged = 0;
  for (const { m: elect, p: e } of parsed) {
    if (e.kind !== 'Elect' || elect.drop !== null) continue;
    const node = elect.to;
    const t = elect.at;
    if (t >= lastJudged) continue;
    // The node's last ELECT or POLL-REPLY for the configuration from a step before t (the
    // record is in arrival order, so every fact is read), and its highest promise. By the step,
    // not the send: an ELECT leaves only after its promise is on disk (explore trial 1452977 of
    // smart-preempt-dup: n3 campaigned at 0.992 s behind a 95 ms write, and n1's lower ELECTs
    // reached the candidate at 1.047 s, before its own ELECT left).
    const votes = votesFrom(node, e.cfg);
    const last = lastVote(votes, t);
    if (last === null || last.kind !== 'PollReply') continue;
    let promise = -1;
    for (const { m, p } of votes) {
      if (stepOf(m) < t && p.kind === 'PollReply' && p.ballot > promise) promise = p.ballot;
    }
    if (e.ballot >= promise) continue;
    const promisedAt = last.step;
    const led = ['Heartbeat', 'Propose'].some((kind) => to(node, e.cfg, kind).some(({ m, p }) =>
      m.drop === null && p.ballot >= promise && m.at >= promisedAt && m.at <= t));
    if (led) continue;
    if (disturbed.some((d) => d.node === node && d.at >= promisedAt && d.at <= t)) continue;
    if (retired.some((o) => o.node === node && o.data.config === e.cfg && o.at <= t)) continue;
    judged++;
    const answered = from(node, e.cfg, 'Preempt').some(({ m }) => m.to === elect.from
      && stepOf(m) === t);
    if (!answered) {
      problems.push(`${node}, a follower of configuration ${e.cfg} that knows no leader (its ` +
        `last promise made at t=${promisedAt}us), got ${elect.label} from ${elect.from} at ` +
        `t=${t}us below its promise and did not answer PREEMPT`);
    }
  }
  return { problems, judged };
}


/**
 * The other half of the rule: candidates and followers of a leader stay silent. A PREEMPT(c) from
 * m whose step ran at t is wrong when, by the message record, m was at t
 * - a candidate or a leader: its last ELECT or POLL-REPLY of c from a step before t was an
 *   ELECT (it campaigned; only voting in a higher ballot's election, which sends a POLL-REPLY,
 *   or a restart leaves it a follower that knows no leader), or
 * - a follower of a leader: after its last such message, a POLL-REPLY at ballot p, a HEARTBEAT
 *   of c at a ballot of p or above from another node reached it before t (a heartbeat at or
 *   above the promise is always followed; a PROPOSE may be ignored for a truncated slot).
 * Not judged across m going down, up or pausing since that message (a restart forgets the
 * leader; a paused node handles a message later than it arrives), nor with the cost model.
 * Mutation #6252 of the seed-39 sample (`&&` → `||`: candidates and followers of a leader
 * answered as well) stayed within every other bound.
 */
export function silencePreemptProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const record = parsedRecord(run);
  if (typeof record === 'string') return record;
  const { parsed, disturbed, to, votesFrom } = record;
  const problems: string[] = [];
  let judged = 0;
  for (const { m: pre, p: q } of parsed) {
    if (q.kind !== 'Preempt') continue;
    const node = pre.from;
    const t = stepOf(pre);
    const last = lastVote(votesFrom(node, q.cfg), t);
    if (last === null) continue;
    const since = last.step;
    if (disturbed.some((d) => d.node === node && d.at >= since && d.at <= t)) continue;
    judged++;
    if (last.kind === 'Elect') {
      problems.push(`${node} sent ${pre.label} to ${pre.to} at t=${t}us as a candidate or ` +
        `leader of configuration ${q.cfg} (its ELECT at t=${since}us)`);
      continue;
    }
    const promise = last.ballot;
    const beat = to(node, q.cfg, 'Heartbeat').find(({ m, p }) => m.from !== node
      && m.drop === null && p.ballot >= promise && m.at > since && m.at < t);
    if (beat !== undefined) {
      problems.push(`${node} sent ${pre.label} to ${pre.to} at t=${t}us as a follower of ` +
        `${beat.m.from} (its ${beat.m.label} arrived at t=${beat.m.at}us)`);
    }
  }
  return { problems, judged };
}

/**
 * The PREEMPTs delivered early enough that the ELECT their receiver may answer with is in the
 * record (before the end less `electWindowUs`): both receiver sides judge these, and the window
 * scans the whole record, so it is done once per run.
 */
const answerablePreempts = onceEach((run: RunRecord): readonly Fact[] => {
  const record = parsedRecord(run);
  if (typeof record === 'string') return [];
  const lastJudged = run.endUs - electWindowUs(run);
  return record.parsed.filter(({ m, p }) =>
    p.kind === 'Preempt' && m.drop === null && m.at < lastJudged);
});

/**
 * The longest an ELECT may take to appear in the record after the step that decided to send
 * it: the slowest wait of a message for its step's disk write or CPU, plus the slowest
 * delivery, plus the longest targeted delay of ELECTs (the record holds a message once it
 * arrives or is refused).
 */
export function electWindowUs(run: RunRecord): number {
  let write = 0;
  let slowest = 0;
  for (const m of run.messages ?? []) {
    write = Math.max(write, m.sent - stepOf(m));
    if (m.drop === null) slowest = Math.max(slowest, m.at - m.sent);
  }
  let delay = 0;
  for (const f of run.faults) {
    if (f.kind === 'targeted' && f.action === 'delay' && f.type === 'elect') {
      delay = Math.max(delay, f.delayUs ?? 0);
    }
  }
  return write + slowest + delay;
}

/**
 * The candidate's side (docs/smart.md P1.5: "the candidate campaigns again above it at once"):
 * a PREEMPT(c, p) delivered at t to a machine m that is still a candidate of c at a ballot
 * b < p is answered by an ELECT of c above p from the step that handles it. By the message
 * record, m is such a candidate when its last ELECT or POLL-REPLY of c from a step before t was
 * an ELECT at b, and since that step (up to t, the order inside an instant is not recorded)
 * - no ELECT of c above b, and no HEARTBEAT or PROPOSE of c at b or above from another node,
 *   reached it (it would vote or follow);
 * - it did not lead: fewer POLL-REPLYs of c at b from distinct members reached it than a
 *   majority of its ELECT's addressees and itself needs with its own vote, and it sent no
 *   HEARTBEAT or PROPOSE of c at b (a leader ignores PREEMPT; the second test also covers a
 *   quorum smaller than the spec's).
 * Not judged across m going down, up or pausing since its ELECT, once it retired from c or
 * learned c defunct, with the cost model, or when the answer may still be on its way at the end
 * (`electWindowUs`). Mutation #4805 of the seed-41 sample (a candidate ignored every PREEMPT and
 * waited for its election timeout: a longer outage within every other bound) is the case.
 */
export function campaignAgainProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const record = parsedRecord(run);
  if (typeof record === 'string') return record;
  const { disturbed, from, to, votesFrom } = record;
  const gone = [...retirements(run), ...defuncts(run)];
  const problems: string[] = [];
  let judged = 0;
  for (const { m: pre, p: q } of answerablePreempts(run)) {
    const node = pre.to;
    const t = pre.at;
    const last = lastVote(votesFrom(node, q.cfg), t);
    if (last === null || last.kind !== 'Elect' || q.ballot <= last.ballot) continue;
    const { step: since, ballot } = last;
    const addressees = new Set<string>();
    const voters = new Set<string>();
    let moved = false;
    for (const { m, p } of from(node, q.cfg, 'Elect')) {
      if (stepOf(m) === since && p.ballot === ballot) addressees.add(m.to);
    }
    for (const kind of ['Heartbeat', 'Propose']) {
      for (const { m, p } of from(node, q.cfg, kind)) {
        if (p.ballot === ballot && stepOf(m) >= since && stepOf(m) <= t) moved = true;
      }
    }
    for (const kind of ['PollReply', 'Elect', 'Heartbeat', 'Propose']) {
      for (const { m, p } of to(node, q.cfg, kind)) {
        if (m.from === node || m.drop !== null || m.at < since || m.at > t) continue;
        if (p.kind === 'PollReply' && p.ballot === ballot) voters.add(m.from);
        if (p.kind === 'Elect' && p.ballot > ballot) moved = true;
        if ((p.kind === 'Heartbeat' || p.kind === 'Propose') && p.ballot >= ballot) moved = true;
      }
    }
    if (moved) continue;
    if (voters.size + 1 >= Math.floor((addressees.size + 1) / 2) + 1) continue;
    if (disturbed.some((d) => d.node === node && d.at >= since && d.at <= t)) continue;
    if (gone.some((o) => o.node === node && o.data.config >= q.cfg && stepTime(o) <= t)) continue;
    judged++;
    const again = from(node, q.cfg, 'Elect').some(({ m, p }) => p.ballot > q.ballot
      && stepOf(m) === t);
    if (!again) {
      problems.push(`${node}, a candidate of configuration ${q.cfg} (its ELECT from its step ` +
        `at t=${since}us), got ${pre.label} from ${pre.from} at t=${t}us above its ballot ` +
        'and did not campaign again above it');
    }
  }
  return { problems, judged };
}

/**
 * A stale PREEMPT changes nothing (docs/smart.md P1.5: a PREEMPT tells a candidate the promise
 * that refused it, "and the candidate campaigns again above it": one at or below the ballot it
 * already holds refuses nothing it still asks for). A PREEMPT(c, p) delivered at t to a machine
 * m whose promise of c is already p or above starts no campaign: the step that handles it sends
 * no ELECT of c. By the message record, m's promise of c at t is at least the highest ballot of
 * its ELECTs and POLL-REPLYs of c from steps before t (each leaves after its promise is on
 * disk, and promises only rise); an ELECT of c above that promise from a step at instant t is
 * the campaign. Two steps of one instant (an election timer firing at t, a fresh PREEMPT above
 * the promise delivered at t) are told apart by step number: an ELECT is blamed on the PREEMPT
 * only when m's `elect` facts of c at t include the PREEMPT's step, or (a record without step
 * numbers) no other PREEMPT of c above the promise reached m at t. Not judged across m going
 * down, up or pausing since that promise, with the cost model, or when the ELECT may still be
 * on its way at the end (`electWindowUs`). Stryker #5005 of the seed-48 sample (`msg.ballot <=
 * r.promised` → false: a candidate answered a stale PREEMPT by a new ELECT one round up,
 * dropping the votes it had) stayed within every other bound.
 */
export function stalePreemptProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const record = parsedRecord(run);
  if (typeof record === 'string') return record;
  const { disturbed, from, to, votesFrom } = record;
  const problems: string[] = [];
  let judged = 0;
  for (const { m: pre, p: q } of answerablePreempts(run)) {
    const node = pre.to;
    const t = pre.at;
    let promise: { step: number; ballot: number; label: string } | null = null;
    for (const { m, p } of votesFrom(node, q.cfg)) {
      if (stepOf(m) >= t) continue;
      if (promise === null || p.ballot > promise.ballot) {
        promise = { step: stepOf(m), ballot: p.ballot, label: m.label };
      }
    }
    if (promise === null || q.ballot > promise.ballot) continue;
    const since = promise.step;
    if (disturbed.some((d) => d.node === node && d.at >= since && d.at <= t)) continue;
    judged++;
    const ballot = promise.ballot;
    const elect = from(node, q.cfg, 'Elect').find(({ m, p }) => p.ballot > ballot
      && stepOf(m) === t);
    if (elect === undefined) continue;
    const steps = run.observations.filter((o) => o.node === node && o.label === 'elect'
      && (o.data as { config?: unknown }).config === q.cfg && stepTime(o) === t
      && o.step !== undefined).map((o) => o.step);
    const blamed = pre.step !== undefined && steps.length > 0 ? steps.includes(pre.step)
      : !to(node, q.cfg, 'Preempt').some(({ m, p }) => m !== pre && m.drop === null
        && m.at === t && p.ballot > ballot);
    if (blamed) {
      problems.push(`${node} got ${pre.label} from ${pre.from} at t=${t}us, at or below its ` +
        `promise of configuration ${q.cfg} (its ${promise.label} from its step at ` +
        `t=${since}us), and campaigned again: ${elect.m.label}`);
    }
  }
  return { problems, judged };
}

export const smartPreempt: Property = {
  name: 'smart-preempt',
  description: 'our PREEMPT rule: a follower that knows no leader answers an ELECT below its ' +
    'promise with PREEMPT at once, and no candidate, leader or follower of a leader does; a ' +
    'candidate refused so campaigns again above it at once, and a PREEMPT at or below the ' +
    'receiver\'s promise starts no campaign (the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = preemptProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    const q = silencePreemptProblems(run);
    if (typeof q === 'string') return skip(this.name, q);
    const a = campaignAgainProblems(run);
    if (typeof a === 'string') return skip(this.name, a);
    const z = stalePreemptProblems(run);
    if (typeof z === 'string') return skip(this.name, z);
    return verdictOf(this.name, [...r.problems, ...q.problems, ...a.problems, ...z.problems],
      { judged: r.judged, silent: q.judged, again: a.judged, stale: z.judged },
      `${r.judged} ELECTs below a leaderless follower's promise, each answered; ${q.judged} ` +
      `PREEMPTs, each from such a follower; ${a.judged} PREEMPTs above a candidate's ballot, ` +
      `each followed by a new ELECT; ${z.judged} at or below the receiver's promise, none`);
  },
};
