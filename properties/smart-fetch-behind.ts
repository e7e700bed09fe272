/**
 * A machine asks another for state (STATE-REQUEST) only while it is behind what that machine
 * told it it has (P1.5 "lagging replica", P1.6 steps 5 and 7, docs/smart.md): a leader elected
 * behind a cohort asks the most advanced voter until it has executed what that voter's
 * POLL-REPLY reported, and a cohort whose CKPT-NOTE names a checkpoint above its execution; a
 * follower asks when a HEARTBEAT's commit is above what it has executed; a new member asks a
 * FINISHED sender, which has executed the whole of the finished configuration. Mutation #5132
 * of the seed-39 sample (a leader elected behind a cohort asked it for state at every heartbeat
 * for the rest of the run, long after it caught up; every other check held) is the case this
 * states; the declared mutant smart:fetch-while-caught-up does the same.
 *
 * Evidence: the message record. A STATE-REQUEST of configuration c from n to m, whose `have`
 * is h, sent by a step at instant t, is justified when m told n, since n's last boot and at or
 * before t (delivered, of configuration c), that it was beyond h: a POLL-REPLY whose `exec` is
 * above h, a CKPT-NOTE whose index is, a HEARTBEAT whose `commit` is, or a FINISHED of c whose
 * configuration ends above h (its last slot, from the `finished` facts). `have` is what n had
 * executed at the step, so the rule reads it as sent. The cost model does not matter here: it
 * can only make a node handle a report later than it arrived.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { pushTo, stepOf } from './run-values.js';
import { finishes, skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const REQUEST = /^StateRequest c=(\d+) have=(\d+)$/;
const REPORTS: readonly RegExp[] = [
  /^PollReply c=(\d+) .* exec=(\d+) ckpt=\d+$/,
  /^CkptNote c=(\d+) index=(\d+)$/,
  /^Heartbeat c=(\d+) b=\S+ commit=(\d+) stable=\d+$/,
];
const FINISHED = /^Finished c=(\d+)$/;

export function fetchBehindProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const last = new Map<number, number>();
  for (const f of finishes(run)) last.set(f.data.config, f.data.last);
  // Reports by receiver>sender|configuration: what the sender said it had, on arrival.
  const reports = new Map<string, { at: number; value: number; label: string }[]>();
  const requests: MessageFact[] = [];
  for (const m of run.messages) {
    if (REQUEST.test(m.label)) {
      requests.push(m);
      continue;
    }
    if (m.drop !== null) continue;
    let cfg: string | undefined;
    let value: number | undefined;
    for (const re of REPORTS) {
      const p = re.exec(m.label);
      if (p !== null) [cfg, value] = [p[1], Number(p[2])];
    }
    const f = FINISHED.exec(m.label);
    if (f !== null) [cfg, value] = [f[1], last.get(Number(f[1])) ?? Infinity];
    if (cfg === undefined || value === undefined) continue;
    pushTo(reports, `${m.to}>${m.from}|${cfg}`, { at: m.at, value, label: m.label });
  }
  const ups = run.nodeEvents.filter((e) => e.kind === 'up');
  const problems: string[] = [];
  for (const q of requests) {
    const [, cfg, haveText] = REQUEST.exec(q.label)!;
    const have = Number(haveText);
    const t = stepOf(q);
    const boot = Math.max(-1,
      ...ups.filter((u) => u.node === q.from && u.at <= t).map((u) => u.at));
    let best: { at: number; value: number; label: string } | undefined;
    for (const r of reports.get(`${q.from}>${q.to}|${cfg}`) ?? []) {
      if (r.at < boot || r.at > t) continue;
      if (best === undefined || r.value > best.value) best = r;
    }
    if (best !== undefined && best.value > have) continue;
    const told = best === undefined ? `${q.to} had told it nothing of configuration ${cfg} ` +
      'since its last boot' : `the most ${q.to} had told it was ${best.label} (t=${best.at}us)`;
    problems.push(`${q.from} sent ${q.to} ${q.label} at t=${t}us, but ${told}: a machine asks ` +
      'for state only while behind what the asked machine has');
  }
  return { problems, judged: requests.length };
}

export const smartFetchBehind: Property = {
  name: 'smart-fetch-behind',
  description: 'a machine asks another for state only while behind what that machine told it ' +
    'it has (a POLL-REPLY, CKPT-NOTE, HEARTBEAT or FINISHED above its `have`; the message ' +
    'record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = fetchBehindProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return verdictOf(this.name, r.problems, { judged: r.judged }, `${r.judged} state requests, ` +
      'each behind what the asked machine had reported');
  },
};
