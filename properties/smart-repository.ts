/**
 * SMART's configuration repository (P1.6 step 12, P1.10 #3; L5: "a client reconnecting after an
 * arbitrarily long disconnection eventually finds a working configuration"): the leader of an
 * established configuration writes it to the repository, and the repository answers with the
 * newest configuration written to it. A repository that never stores a write answers "none"
 * or the first configuration to every client back from a long disconnection, whose only route
 * to the service it is (mutations #5076 and #5581 of the seed-19 sample: such a client was
 * served only once the crashed old machines restarted, and every liveness check, judged after
 * that restart, passed).
 *
 * Evidence: the message record alone. The repository node R (the `repoNode` parameter) answers
 * a REPO-WRITE or REPO-READ with REPO-INFO, and a client's request (R hosting no replica) with a
 * REDIRECT, in the step that handles it. Each REPO-INFO R sends names a configuration at least
 * the highest one a REPO-WRITE delivered to R since its last boot carried (earlier in time: a
 * write answers with what R held before it), and at most the highest one any REPO-WRITE
 * delivered to R by then carried (a repository invents nothing). Each REDIRECT R sends (from the
 * repository, possibly newer knowledge) names at least the former.
 *
 * Before the answers, the writes (below): only an established configuration is written
 * (`unestablishedWrites`, mutation #5571 of the seed-19 sample), and each established one is,
 * in time (`silentLeaders`, mutation #5672 of the seed-23 sample); an older configuration read
 * back is declared defunct (`missedDefuncts`, mutation #5731 of the seed-23 sample).
 *
 * Answers not judged: runs without a message record, or with the cost model (a busy node handles a
 * message after it arrives); runs where R is paused or corrupted (it handles the messages held
 * meanwhile in an order the record does not give), or R hosts a replica (its redirects then
 * come from that replica, which may lag the repository).
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import {
  cfgFacts, checkpoints, configurations, elections, leaderships, majority, pass, replicaStarts,
  retirements, skip, type CfgInfo,
} from './smart-observations.js';
import { disturbed, firstHeld, pushTo, stepOf, stepTime } from './run-values.js';
import { verdictOf, type Property } from './types.js';

const WRITE = /^RepoWrite c=(\d+) /;
const WRITE_INFO = /^RepoWrite c=(\d+) members=(\S*) first=(\d+)$/;
const INFO = /^RepoInfo (?:none|c=(\d+) )/;
const REDIRECT = /^Reply #\d+ redirect .*cfg=(\d+)$/;

export function repositoryProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const repo = run.params['repoNode'];
  if (typeof repo !== 'string') return 'no repository node';
  if (firstHeld(run).has(repo)) {
    return `the repository ${repo} was paused or corrupted`;
  }
  const hosts = replicaStarts(run).some((o) => o.node === repo);
  const boots = run.nodeEvents.filter((e) => e.node === repo && e.kind === 'up').map((e) => e.at);
  const writes: [number, number][] = [];
  for (const m of messages) {
    const w = WRITE.exec(m.label);
    if (w !== null && m.to === repo && m.drop === null) writes.push([m.at, Number(w[1])]);
  }
  writes.sort((a, b) => a[0] - b[0]);
  const problems: string[] = [];
  let judged = 0;
  for (const m of messages) {
    if (m.from !== repo) continue;
    const info = INFO.exec(m.label);
    const redirect = hosts ? null : REDIRECT.exec(m.label);
    if (info === null && redirect === null) continue;
    const t = m.sent;
    const boot = Math.max(0, ...boots.filter((b) => b <= t));
    const since = Math.max(0, ...writes.filter(([at]) => at >= boot && at < t).map(([, c]) => c));
    const ever = Math.max(0, ...writes.filter(([at]) => at <= t).map(([, c]) => c));
    const named = Number((info ?? redirect)![1] ?? 0);
    judged++;
    if (named < since) {
      problems.push(`${repo} answered ${m.to} at t=${t}us with configuration ` +
        `${named === 0 ? 'none' : named}, though configuration ${since} was written to it ` +
        'before');
    } else if (info !== null && named > ever) {
      problems.push(`${repo} answered ${m.to} at t=${t}us with configuration ${named}, never ` +
        'written to it');
    }
  }
  return { problems, judged };
}

/**
 * When each member of `cfg` first held a checkpoint at or after its first slot − 1 (`ckpt`
 * facts: saved or adopted), in member order; Infinity for one that never did. The
 * configuration is established from the majority-th earliest of these on.
 */
function heldSince(run: RunRecord): (cfg: CfgInfo) => number[] {
  const points = new Map<string, { at: number; index: number }[]>();
  for (const c of checkpoints(run)) {
    const list = points.get(c.node) ?? [];
    list.push({ at: c.at, index: c.data.index });
    points.set(c.node, list);
  }
  return (cfg) => cfg.members.map((node) => Math.min(Infinity, ...(points.get(node) ?? [])
    .filter((p) => p.index >= cfg.first - 1).map((p) => p.at)));
}

/**
 * P1.6 step 12: only the leader of an **established** configuration writes it to the repository
 * (an unestablished one may never run: a quorum of its members may lack the starting state, and
 * the repository would then send reconnecting clients to it). Each REPO-WRITE of configuration
 * N sent at t names N's members and first slot as the executed MIGRATE created them (`cfg`
 * facts), and by t a majority of those members held a checkpoint at or after N's first slot − 1
 * (`ckpt` facts: saved or adopted, at or before t). Lenient on purpose: a checkpoint counts from
 * the instant it was taken, though the leader learns it later and may count its own before it
 * is on disk (migration.ts). Sends are judged as sent, so the cost model does not stop it.
 */
export function unestablishedWrites(run: RunRecord): { problems: string[]; judged: number } |
  string {
  if (run.messages === undefined) return 'the run kept no message record';
  const { table } = configurations(run);
  const since = heldSince(run);
  const held = new Map<number, number[]>();
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages) {
    const w = WRITE_INFO.exec(m.label);
    if (w === null) continue;
    const [num, members, first] = [Number(w[1]), w[2]!, Number(w[3])];
    const cfg = table.get(num);
    judged++;
    if (cfg === undefined || cfg.members.join(',') !== members || cfg.first !== first) {
      problems.push(`${m.from} wrote configuration ${num} [${members}] first=${first} to the ` +
        `repository at t=${m.sent}us, which no executed MIGRATE created`);
      continue;
    }
    if (cfg.first <= 1) continue; // The initial configuration holds its state from the start.
    if (!held.has(num)) held.set(num, since(cfg));
    const holding = cfg.members.filter((_, i) => held.get(num)![i]! <= m.sent);
    if (holding.length < majority(cfg.members.length)) {
      problems.push(`${m.from} wrote configuration ${num} to the repository at t=${m.sent}us ` +
        `before it was established: only [${holding.join(',')}] of [${members}] held a ` +
        `checkpoint at or after slot ${cfg.first - 1}`);
    }
  }
  return { problems, judged };
}

/** A cohort's report of its checkpoint index to the leader of configuration c. */
const REPORT = /^(?:CkptNote c=(\d+) index=(\d+)|(?:Logged|PollReply) c=(\d+) .* ckpt=(\d+))$/;

/**
 * When `leader` had been told that `cfg` is established (P1.6 step 8: the leader's stable index
 * counts its own checkpoint and the indexes its cohort reports): the majority-th earliest of its
 * own first checkpoint at or after the first slot − 1 (`holding`, in member order, as
 * `heldSince`) and, for each other member, the first delivery to it of that member's report
 * (CKPT-NOTE, or the index a LOGGED or POLL-REPLY carries) of such a checkpoint; Infinity when it
 * never was. A leader cannot write before it knows: lost reports delay the write.
 */
function toldSince(run: RunRecord): (leader: string, cfg: CfgInfo, holding: readonly number[]) =>
  number {
  const reports = new Map<string, { at: number; from: string; index: number }[]>();
  for (const m of run.messages ?? []) {
    const r = m.drop === null ? REPORT.exec(m.label) : null;
    if (r === null) continue;
    const [cfg, index] = r[1] !== undefined ? [r[1], r[2]!] : [r[3]!, r[4]!];
    pushTo(reports, `${m.to}|${cfg}`, { at: m.at, from: m.from, index: Number(index) });
  }
  return (leader, cfg, holding) => {
    const heard = reports.get(`${leader}|${cfg.num}`) ?? [];
    const points = cfg.members.map((node, i) => node === leader ? holding[i]! : Math.min(Infinity,
      ...heard.filter((h) => h.from === node && h.index >= cfg.first - 1).map((h) => h.at)));
    return points.sort((a, b) => a - b)[majority(cfg.members.length) - 1]!;
  };
}

/**
 * P1.6 step 12, "periodically": the repository hears of every established configuration. For
 * each configuration N with a leader, from the later of its establishment (as above: a
 * majority of its members held a checkpoint at or after its first slot − 1) and the first
 * instant some leader of N both led it (a `leader` fact) and had been told it is established
 * (`toldSince`: the reports it was delivered), within two write periods plus a leader timeout,
 * some node sends the repository a REPO-WRITE of N or a newer configuration. The leader knows
 * its cohort's checkpoints only from their reports: while those are lost it cannot know N is
 * established, and writing before would break the rule above (explore seed 840536 of
 * smart-extended-disconnection: a targeted fault dropped every CKPT-NOTE to N's leader for
 * 0.4 s after N was established). Not judged when that window outlasts the run, a member of N
 * or the repository node is crashed, paused, corrupted or loses writes in it, or a newer
 * configuration is created in it (N's leader may retire before its timer fires). A leader that
 * never writes (mutation #5672 of the seed-23 sample) leaves clients back from a long
 * disconnection nowhere to go.
 */
export function silentLeaders(run: RunRecord): { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const repo = run.params['repoNode'];
  const period = run.params['repoWriteUs'];
  const timeout = run.params['leaderTimeoutUs'];
  if (typeof repo !== 'string' || typeof period !== 'number' || typeof timeout !== 'number') {
    return 'no repository node';
  }
  const { table } = configurations(run);
  const since = heldSince(run);
  const told = toldSince(run);
  const leaders = leaderships(run);
  const cfgs = cfgFacts(run);
  const writes = run.messages.flatMap((m) => {
    const w = WRITE.exec(m.label);
    return w === null || m.to !== repo ? [] : [{ at: m.sent, cfg: Number(w[1]) }];
  });
  const problems: string[] = [];
  let judged = 0;
  for (const cfg of table.values()) {
    const holding = since(cfg);
    const held = [...holding].sort((a, b) => a - b);
    const established = cfg.first <= 1 ? 0 : held[majority(cfg.members.length) - 1]!;
    // From the first instant some leader of N led it and had been told it is established.
    const led = Math.min(Infinity, ...leaders.filter((l) => l.data.config === cfg.num)
      .map((l) => Math.max(l.at, cfg.first <= 1 ? 0 : told(l.node, cfg, holding))));
    const from = Math.max(established, led);
    const until = from + 2 * period + timeout;
    if (!Number.isFinite(from) || until > run.endUs) continue;
    if (disturbed(run, [...cfg.members, repo], from, until)) continue;
    const newer = table.get(cfg.num + 1);
    if (newer !== undefined
      && Math.min(...cfgs.filter((c) => c.data.config === newer.num).map((c) => c.at)) <= until) {
      continue;
    }
    judged++;
    if (!writes.some((w) => w.cfg >= cfg.num && w.at >= from && w.at <= until)) {
      problems.push(`nobody wrote configuration ${cfg.num} (or a newer one) to the repository ` +
        `${repo} between t=${from}us, when it was established and led, and t=${until}us`);
    }
  }
  return { problems, judged };
}

/**
 * P1.6 step 12: "if it reads an *older* configuration there it sends DEFUNCT to that
 * configuration's replicas". A leader's REPO-WRITE of M is answered in the step that handles it
 * with what the repository held before; when that names N < M, the writer (which led an
 * established M when it wrote) sends DEFUNCT of N to each of N's other members, after a disk
 * write, within a leader timeout of the answer's arrival. Not judged: runs without the message
 * record or with the cost model (answers are matched to writes by the instant they were
 * handled), an answer or a write lost, or a writer that was crashed, paused or corrupted, or
 * met another candidate or leader of M (an `elect` or `leader` fact) or retired M, between its
 * write and the end of that window. A leader deaf to older configurations in the repository
 * (mutation #5731 of the seed-23 sample) leaves their machines to learn it some other way.
 */
export function missedDefuncts(run: RunRecord): { problems: string[]; judged: number } |
  string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const repo = run.params['repoNode'];
  const timeout = run.params['leaderTimeoutUs'];
  if (typeof repo !== 'string' || typeof timeout !== 'number') return 'no repository node';
  const { table } = configurations(run);
  const contested = [...elections(run), ...leaderships(run)];
  const retired = retirements(run);
  // The repository's answers by recipient and instant, and each node's DEFUNCTs, once.
  const answers = new Map<string, MessageFact[]>();
  const notices = new Map<string, MessageFact[]>();
  for (const m of messages) {
    if (m.from === repo && m.drop === null) {
      const key = `${m.to}@${m.sent}`;
      answers.set(key, answers.get(key) ?? []).get(key)!.push(m);
    } else if (m.label.startsWith('Defunct ')) {
      notices.set(m.from, notices.get(m.from) ?? []).get(m.from)!.push(m);
    }
  }
  const problems: string[] = [];
  let judged = 0;
  for (const w of messages) {
    const write = WRITE.exec(w.label);
    if (write === null || w.to !== repo || w.drop !== null) continue;
    const [writer, mine] = [w.from, Number(write[1])];
    for (const a of answers.get(`${writer}@${w.at}`) ?? []) {
      const info = INFO.exec(a.label);
      if (info === null || info[1] === undefined) continue;
      const older = table.get(Number(info[1]));
      if (older === undefined || older.num >= mine) continue;
      const until = a.at + timeout;
      // From the step that made the write, not its departure: behind a slow disk the write left
      // 39 ms after its step, and the writer had retired M in between (explore seed 910108 of
      // smart-migrate-consecutive: n2's REPO-WRITE of 3, made at 1.085 s, left at 1.1245 s;
      // it retired 3 at 1.1057 s and, a follower by the answer, wrote no DEFUNCT).
      const made = stepOf(w);
      const within = (o: { at: number; stepAt?: number }): boolean =>
        stepTime(o) >= made && stepTime(o) <= until;
      if (until > run.endUs || disturbed(run, [writer], made, until)
        || contested.some((o) => o.data.config === mine && o.node !== writer && within(o))
        || retired.some((o) => o.node === writer && o.data.config === mine && within(o))) {
        continue;
      }
      judged++;
      const label = `Defunct c=${older.num}`;
      const sent = notices.get(writer) ?? [];
      const missing = older.members.filter((m) => m !== writer && !sent.some((d) =>
        d.to === m && d.label === label && d.sent >= a.at && d.sent <= until));
      if (missing.length > 0) {
        problems.push(`${writer}, leading configuration ${mine}, read configuration ` +
          `${older.num} in the repository at t=${a.at}us and sent no DEFUNCT to ` +
          `[${missing.join(',')}] within ${timeout}us`);
      }
    }
  }
  return { problems, judged };
}

export const smartRepository: Property = {
  name: 'smart-repository',
  description: 'P1.6 step 12: only established configurations are written to the ' +
    'repository, and it answers with the newest one written to it (message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    if (typeof run.params['repoNode'] !== 'string') return skip(this.name, 'no repository node');
    const writes = unestablishedWrites(run);
    if (typeof writes === 'string') return skip(this.name, writes);
    if (writes.problems.length > 0) {
      return verdictOf(this.name, writes.problems, { writes: writes.judged }, '');
    }
    const silent = silentLeaders(run);
    if (typeof silent !== 'string' && silent.problems.length > 0) {
      return verdictOf(this.name, silent.problems, { led: silent.judged }, '');
    }
    const notices = missedDefuncts(run);
    if (typeof notices !== 'string' && notices.problems.length > 0) {
      return verdictOf(this.name, notices.problems, { older: notices.judged }, '');
    }
    const led = typeof silent === 'string' ? 0 : silent.judged;
    const older = typeof notices === 'string' ? 0 : notices.judged;
    const written = `${writes.judged} writes, each of an established configuration; ${led} ` +
      `established configurations written in time; ${older} older ones read back, each ` +
      'declared defunct';
    const r = repositoryProblems(run);
    if (typeof r === 'string') {
      return pass(this.name, `${written} (answers not judged: ${r})`,
        { writes: writes.judged, led, older });
    }
    if (r.problems.length > 0) {
      return verdictOf(this.name, r.problems,
        { judged: r.judged, writes: writes.judged, led, older }, '');
    }
    return pass(this.name, `${r.judged} repository answers, each naming the newest ` +
      `configuration written; ${written}`,
    { judged: r.judged, writes: writes.judged, led, older });
  },
};
