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
 * in time (`silentLeaders`, mutation #5672 of the seed-23 sample).
 *
 * Answers not judged: runs without a message record, or with the cost model (a busy node handles a
 * message after it arrives); runs where R is paused or corrupted (it handles the messages held
 * meanwhile in an order the record does not give), or R hosts a replica (its redirects then
 * come from that replica, which may lag the repository).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import {
  cfgFacts, checkpoints, configurations, leaderships, majority, pass, replicaStarts, skip,
} from './smart-observations.js';
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
  const held = (kind: string): boolean => kind === 'paused' || kind === 'corrupted';
  if (run.nodeEvents.some((e) => e.node === repo && held(e.kind))) {
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
  const points = new Map<string, { at: number; index: number }[]>();
  for (const c of checkpoints(run)) {
    const list = points.get(c.node) ?? [];
    list.push({ at: c.at, index: c.data.index });
    points.set(c.node, list);
  }
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
    const holding = cfg.members.filter((node) => (points.get(node) ?? [])
      .some((p) => p.at <= m.sent && p.index >= cfg.first - 1));
    if (holding.length < majority(cfg.members.length)) {
      problems.push(`${m.from} wrote configuration ${num} to the repository at t=${m.sent}us ` +
        `before it was established: only [${holding.join(',')}] of [${members}] held a ` +
        `checkpoint at or after slot ${cfg.first - 1}`);
    }
  }
  return { problems, judged };
}

/**
 * P1.6 step 12, "periodically": the repository hears of every established configuration. For
 * each configuration N with a leader, from the later of its establishment (as above: a
 * majority of its members held a checkpoint at or after its first slot − 1) and its first
 * `leader` fact, within two write periods plus a leader timeout (the leader learns its
 * cohort's checkpoints through messages), some node sends the repository a REPO-WRITE of N or
 * a newer configuration. Not judged when that window outlasts the run, a member of N or the
 * repository node is crashed, paused, corrupted or loses writes in it, or a newer
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
  const ckpts = checkpoints(run);
  const leaders = leaderships(run);
  const cfgs = cfgFacts(run);
  const writes = run.messages.flatMap((m) => {
    const w = WRITE.exec(m.label);
    return w === null || m.to !== repo ? [] : [{ at: m.sent, cfg: Number(w[1]) }];
  });
  const problems: string[] = [];
  let judged = 0;
  for (const cfg of table.values()) {
    const held = cfg.members.map((node) => Math.min(Infinity, ...ckpts
      .filter((c) => c.node === node && c.data.index >= cfg.first - 1).map((c) => c.at)))
      .sort((a, b) => a - b);
    const established = cfg.first <= 1 ? 0 : held[majority(cfg.members.length) - 1]!;
    const led = Math.min(Infinity, ...leaders.filter((l) => l.data.config === cfg.num)
      .map((l) => l.at));
    const from = Math.max(established, led);
    const until = from + 2 * period + timeout;
    if (!Number.isFinite(from) || until > run.endUs) continue;
    const watched = new Set([...cfg.members, repo]);
    if (run.nodeEvents.some((e) => watched.has(e.node) && e.kind !== 'skewed' && e.kind !== 'up'
      && e.at <= until && e.at >= from)) continue;
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
    const led = typeof silent === 'string' ? 0 : silent.judged;
    const written = `${writes.judged} writes, each of an established configuration; ${led} ` +
      'established configurations written in time';
    const r = repositoryProblems(run);
    if (typeof r === 'string') {
      return pass(this.name, `${written} (answers not judged: ${r})`,
        { writes: writes.judged, led });
    }
    if (r.problems.length > 0) {
      return verdictOf(this.name, r.problems, { judged: r.judged, writes: writes.judged, led },
        '');
    }
    return pass(this.name, `${r.judged} repository answers, each naming the newest ` +
      `configuration written; ${written}`, { judged: r.judged, writes: writes.judged, led });
  },
};
