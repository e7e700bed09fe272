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
 * negative versions, judged nothing).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { buildWorld } from './opb-world.js';
import { verdictOf, type Property } from './types.js';

interface Left { readonly at: number; readonly version: number }

function resurrections(run: RunRecord): { problems: string[]; leaves: number } {
  const world = buildWorld(run);
  const left = new Map<string, Left>();
  const reported = new Set<string>();
  /** Per node and service: the newest membership version it joined under or hosted. */
  const held = new Map<string, Left>();
  const problems: string[] = [];
  let leaves = 0;
  const restartedSince = (node: string, at: number, now: number): boolean =>
    (world.down.get(node) ?? []).some(([from]) => from >= at && from <= now);
  const events = [
    ...world.obs('opb.leave').map((o) => ({ o, leave: true, verb: '' })),
    ...world.obs('opb.join').map((o) => ({ o, leave: false, verb: 'joins' })),
    ...world.obs('opb.digest').map((o) => ({ o, leave: false, verb: 'hosts' })),
  ].sort((a, b) => a.o.at - b.o.at || a.o.seq - b.o.seq);
  for (const { o, leave, verb } of events) {
    const key = `${o.node}|${o.data.service}`;
    const version = (o.data as { membershipVersion: number }).membershipVersion;
    const before = held.get(key);
    const booted = before !== undefined && restartedSince(o.node, before.at, o.at);
    if (leave) {
      held.delete(key);
      const floor = before === undefined || booted ? 0 : before.version;
      if (version < floor) {
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
