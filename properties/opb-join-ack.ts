/**
 * P2.6: "first reservation wins; losers retry elsewhere". A node's JoinAck is its answer to a
 * reservation (a JOIN, or a primary's heartbeat naming it a member it does not host): a
 * positive one means it took the group, and the primary then counts it a member; a node
 * without room refuses, and the primary drops it and retries elsewhere. Stryker #1754 of the
 * seed-54 sample answered a heartbeat's adoption without room with a positive JoinAck and did
 * not join: the primary kept a member that held nothing until a move aborted or a repair found
 * it dead, and every other property held.
 *
 * Evidence: the message record (N's positive JoinAck of σ, at its step) and N's own digests,
 * which every replica reports at each heartbeat tick (every `hbUs`): a node that took σ reports
 * a digest of σ in a step within `hbUs` of the answer's, the instant included, unless it left σ
 * (`opb.leave`) by then. Not judged: runs without a message record or with the cost model (a
 * busy node's tick runs late); an answer whose window a crash, pause, corruption or clock skew
 * of N overlaps, or that the run's end cuts short.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { buildWorld, nodeFacts } from './opb-world.js';
import { numberParam, pushTo, stepOf, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const POSITIVE_ACK = /^JoinAck s(\d+) ok=true$/;

export function joinAckProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const world = buildWorld(run);
  const hbUs = numberParam(run, 'hbUs', 50_000);
  // Per node|service: the step times of its digests and of its leaves.
  const hosted = new Map<string, number[]>();
  const left = new Map<string, number[]>();
  for (const o of world.obs('opb.digest')) {
    pushTo(hosted, `${o.node}|${o.data.service}`, stepTime(o));
  }
  for (const o of world.obs('opb.leave')) pushTo(left, `${o.node}|${o.data.service}`, stepTime(o));
  const troubled = (node: string, from: number, to: number): boolean =>
    (['down', 'up', 'paused', 'resumed', 'corrupted'] as const)
      .some((kind) => nodeFacts(world, kind, from, to).some((e) => e.node === node))
    || nodeFacts(world, 'skewed', 0, to).some((e) => e.node === node);
  const problems: string[] = [];
  const seen = new Set<string>();
  let judged = 0;
  for (const m of messages) {
    const hit = POSITIVE_ACK.exec(m.label);
    if (hit === null) continue;
    const svc = Number(hit[1]);
    const at = stepOf(m);
    const key = `${m.from}|${svc}`;
    // One answer per node, service and step time (a JOIN and a heartbeat of one instant).
    if (seen.has(`${key}|${at}`)) continue;
    seen.add(`${key}|${at}`);
    if (at + hbUs > run.endUs || troubled(m.from, at, at + hbUs)) continue;
    judged++;
    const within = (t: number): boolean => t >= at && t <= at + hbUs;
    if ((hosted.get(key) ?? []).some(within) || (left.get(key) ?? []).some(within)) continue;
    problems.push(`${m.from} answered ${m.to}'s reservation of s${svc} with a positive JoinAck ` +
      `in its step at t=${at}us but reported no replica of s${svc} within hbUs (${hbUs}us) ` +
      'after, nor left it: a node answers yes only when it takes the group, and a node ' +
      'without room refuses (P2.6)');
  }
  return { problems, judged };
}

export const opbJoinAck: Property = {
  name: 'opb-join-ack',
  description: 'a node that answers a reservation with a positive JoinAck hosts the group at ' +
    'its next heartbeat tick (P2.6: a node without room refuses)',
  protocols: ['opb'],
  check(run) {
    return judgedVerdict(this.name, joinAckProblems(run), 'no positive JoinAck to judge',
      (n) => `${n} positive JoinAck(s), each from a node that reported the group by its next tick`);
  },
};
