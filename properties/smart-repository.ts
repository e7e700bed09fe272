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
 * Not judged: runs without a message record, or with the cost model (a busy node handles a
 * message after it arrives); runs where R is paused or corrupted (it handles the messages held
 * meanwhile in an order the record does not give), or R hosts a replica (its redirects then
 * come from that replica, which may lag the repository).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { pass, replicaStarts, skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const WRITE = /^RepoWrite c=(\d+) /;
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

export const smartRepository: Property = {
  name: 'smart-repository',
  description: 'P1.6 step 12: the configuration repository answers with the newest ' +
    'configuration written to it (message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = repositoryProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    if (r.problems.length > 0) return verdictOf(this.name, r.problems, { judged: r.judged }, '');
    return pass(this.name, `${r.judged} repository answers, each naming the newest ` +
      'configuration written', { judged: r.judged });
  },
};
