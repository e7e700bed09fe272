/**
 * P2.6: membership versions are issued by primaries and only grow, and a node follows a
 * membership only if it is newer than the one it holds. So a node that left a group at version v
 * (a membership of version v without it: `opb.leave`) must not host that service again under a
 * membership older than v, until it restarts (its directory is volatile): a stale primary's
 * heartbeat naming it (a group it left taking it back) would put a replica of an old
 * membership, outside the current group, back into service (mutation #1274).
 *
 * Evidence: the node's leave (the version it left at: this can only raise the bar), its later
 * joins (`opb.join`, the membership version it joined under: a JOIN, or a primary's heartbeat
 * naming it, adopted) and digests of the service (the membership version it runs), and the
 * simulator's down intervals. A join is judged at once: a node taken back and gone again
 * before its next heartbeat reports no digest of it.
 *
 * The leave's version is the node's own report of the bar this check applies, so it is not
 * taken on trust: a node leaves by following a membership newer than the one it held, so the
 * version it left at is no lower than the one it last joined under or hosted (its join and
 * digests since its last boot). A leave below that, or below 0, is itself a violation
 * (Stryker #2529 of the seed-51 sample reported −1 for every leave, and this check, skipping
 * negative versions, judged nothing). Except one way: a backup whose primary is gone follows a
 * claim of a newer epoch, and the epoch brings its membership along whatever its version
 * (conflict.ts, replica.ts `follow`). Explore trial 1612277 of opb-three-way: n7 hosted s0 at
 * version 4 under n5's epoch 1:1.n5; n5 crashed, and at 2.426 s n7 followed n9's gossiped claim
 * n9@1:1.n9 m0[n1,n5,n9,n3] (n9 back from a pause, its epoch above n5's by node id), handed
 * its log over and left at version 0, the membership it followed. So a leave below the floor
 * stands when its step moved the node to another epoch of the service (its `opb.epoch` fact of
 * that step) and, in a run with its message record, a message that step handled carried a
 * membership of the service at that version without the node: the version is then one a
 * primary issued, not a number the node made up.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { buildWorld, type OpbObserved, type World } from './opb-world.js';
import { stepTime } from './run-values.js';
import { verdictOf, type Property } from './types.js';

interface Left { readonly at: number; readonly version: number }

/** Memberships a message carries: `sS ... mV[members]`, or a gossip's `sS:L@epoch mV[...]`. */
const CARRIED = /^\S+ s(\d+) .*?m(\d+)\[([^\]]*)\]/;
const GOSSIPED = /s(\d+):\S+@\S+ m(\d+)\[([^\]]*)\]/g;

function carried(m: MessageFact): { svc: number; version: number; members: string[] }[] {
  const found = m.label.startsWith('Gossip ')
    ? [...m.label.matchAll(GOSSIPED)]
    : [CARRIED.exec(m.label)].filter((c) => c !== null);
  return found.map((c) =>
    ({ svc: Number(c[1]), version: Number(c[2]), members: c[3]!.split(',') }));
}

/** One step of a node: its number when recorded, else the time it ran. */
type Step = { readonly node: string; readonly time: number; readonly step: number | undefined };
const sameStep = (a: Step, b: Step): boolean => a.node === b.node
  && (a.step !== undefined && b.step !== undefined ? a.step === b.step : a.time === b.time);

/**
 * Whether a leave below the version its node held came of following a newer epoch (see above):
 * the leave's step reported a new epoch of the service and, with the message record, handled a
 * message carrying that service's membership at the leave's version, without the node.
 */
function followedNewerEpoch(world: World, messages: readonly MessageFact[] | null,
  leave: OpbObserved<'opb.leave'>): boolean {
  const svc = leave.data.service;
  const at: Step = { node: leave.node, time: stepTime(leave), step: leave.step };
  const epoch = world.obs('opb.epoch').some((e) => e.data.service === svc
    && sameStep({ node: e.node, time: stepTime(e), step: e.step }, at));
  if (!epoch || messages === null) return epoch;
  return messages.some((m) => m.drop === null
    && sameStep({ node: m.to, time: m.at, step: m.step }, at)
    && carried(m).some((c) => c.svc === svc && c.version === leave.data.membershipVersion
      && !c.members.includes(leave.node)));
}

function resurrections(run: RunRecord): { problems: string[]; leaves: number } {
  const world = buildWorld(run);
  const record = handledMessages(run);
  const messages = typeof record === 'string' ? null : record;
  const left = new Map<string, Left>();
  const reported = new Set<string>();
  /** Per node and service: the newest membership version it joined under or hosted. */
  const held = new Map<string, Left>();
  const problems: string[] = [];
  let leaves = 0;
  const restartedSince = (node: string, at: number, now: number): boolean =>
    (world.down.get(node) ?? []).some(([from]) => from >= at && from <= now);
  const events = [
    ...world.obs('opb.leave').map((o) => ({ o, leave: o, verb: '' })),
    ...world.obs('opb.join').map((o) => ({ o, leave: null, verb: 'joins' })),
    ...world.obs('opb.digest').map((o) => ({ o, leave: null, verb: 'hosts' })),
  ].sort((a, b) => a.o.at - b.o.at || a.o.seq - b.o.seq);
  for (const { o, leave, verb } of events) {
    const key = `${o.node}|${o.data.service}`;
    const version = (o.data as { membershipVersion: number }).membershipVersion;
    const before = held.get(key);
    const booted = before !== undefined && restartedSince(o.node, before.at, o.at);
    if (leave !== null) {
      held.delete(key);
      const floor = before === undefined || booted ? 0 : before.version;
      if (version < 0 || (version < floor && !followedNewerEpoch(world, messages, leave))) {
        problems.push(`s${o.data.service}: ${o.node} reports leaving at membership version ` +
          `${version} (t=${o.at}us), below the version ${floor} it held`);
      }
      left.set(key, { at: o.at, version });
      leaves++;
      continue;
    }
    if (before === undefined || booted || version > before.version) {
      held.set(key, { at: o.at, version });
    }
    const was = left.get(key);
    if (was === undefined) continue;
    if (restartedSince(o.node, was.at, o.at)) {
      left.delete(key);
      continue;
    }
    if (version >= was.version) {
      left.delete(key);
      continue;
    }
    if (reported.has(key)) continue;
    reported.add(key);
    problems.push(`s${o.data.service}: ${o.node} left at membership version ${was.version} ` +
      `(t=${was.at}us) but ${verb} it again at version ${version} (t=${o.at}us)`);
  }
  return { problems, leaves };
}

export const opbNoResurrection: Property = {
  name: 'opb-no-resurrection',
  description: 'P2.6: a node that left a group at membership version v never hosts that ' +
    'service again under an older membership (until it restarts)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = resurrections(run);
    return verdictOf(this.name, r.problems, { leaves: r.leaves },
      `${r.leaves} leaves, no group took a node back under an older membership`);
  },
};
