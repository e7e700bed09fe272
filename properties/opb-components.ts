/**
 * OPB C4 during the faults, per connected component: a component (live nodes that can all talk
 * to each other both ways, cut both ways from the rest) that holds a live replica of a service
 * and a client that reaches all of it must get a primary of that service within
 * T_fd + T_hb + ε, and never lose it for longer. Components come from the simulator's node
 * facts and the fault schedule (fault-state.ts), not from the nodes' views of each other; the
 * primary from the replicas' role facts, a crash ending a primacy.
 *
 * Not judged: stretches with a timing fault in force, and stretches whose links are not a
 * disjoint union of fully connected groups (one-way cuts, bridges): who counts as "the
 * component" is then not defined.
 *
 * C4 counts from when the component has a live replica: at an instant when every replica of the
 * service in it goes down (a reboot: down and up at once, so the component itself never
 * changes), it had none, and the count starts again from there, the rebooted replica owing a
 * boot's T_fd (explore seed 810741 of opb-night-disasters: n7, the only replica of service 0
 * left in its component, booted at 1.5 s and was rebooted at 1.948 s, 52 ms before its boot
 * guard ended; it claimed 500 ms after the reboot, 948 ms after the component's start).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { connected, segments, severed, type Segment } from './fault-state.js';
import { buildWorld, snapshot, STALE_US, type World } from './opb-world.js';
import { verdictOf, type Property } from './types.js';
import { numberParam } from './run-values.js';

/** The stated ε of C4: a few heartbeats for the claim to be made and observed. */
export const C4_EPSILON_US = 250_000;

/** The live nodes split into groups connected inside and severed between, or null. */
export function components(run: RunRecord, seg: Segment): string[][] | null {
  const live = run.endpoints.filter((e) => !e.client && seg.live.has(e.name)).map((e) => e.name);
  const groups: string[][] = [];
  for (const n of live) {
    const g = groups.find((x) => connected(seg, x[0]!, n));
    if (g === undefined) groups.push([n]);
    else g.push(n);
  }
  for (const g of groups) {
    for (const h of groups) {
      for (const a of g) {
        for (const b of h) {
          if (a === b) continue;
          if (g === h ? !connected(seg, a, b) : !severed(seg, a, b)) return null;
        }
      }
    }
  }
  return groups;
}

/** Per service: changes of who is primary, in trace order (a crash or boot ends a primacy). */
function primaryChanges(world: World, svc: number):
  { at: number; seq: number; node: string; primary: boolean }[] {
  const out: { at: number; seq: number; node: string; primary: boolean }[] = [];
  for (const o of world.obs('opb.role')) {
    if (o.data.service === svc) out.push({ at: o.at, seq: o.seq, node: o.node,
      primary: o.data.role === 'primary' });
  }
  for (const e of world.run.nodeEvents) {
    if (e.kind === 'down' || e.kind === 'up') {
      out.push({ at: e.at, seq: e.seq, node: e.node, primary: false });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.seq - b.seq);
}

interface Window {
  readonly svc: number;
  readonly nodes: readonly string[];
  readonly from: number;
  to: number;
}

/**
 * Nodes whose replica of `svc` reported within STALE_US of `at` and has not left its group
 * since: a replica that learns it was replaced (`opb.leave`) is gone at once, though its last
 * digest is still fresh (explore seed 181: an amnesiac node left 0.2 s before a zone disaster
 * and its component, holding no replica, was judged for 1.5 s).
 */
function hosting(world: World, svc: number, at: number): string[] {
  const left = (node: string, since: number): boolean => world.obs('opb.leave')
    .some((o) => o.node === node && o.data.service === svc && o.at >= since && o.at <= at);
  return snapshot(world, svc, at, STALE_US).filter((d) => !left(d.node, d.at)).map((d) => d.node);
}

/**
 * Instants inside window `w` when every node of it hosting `svc` just before went down: each
 * came back at once (a reboot), or the window would have ended there.
 */
function replicasRebooted(world: World, svc: number, w: Window): Set<number> {
  const downs = new Map<number, Set<string>>();
  for (const e of world.run.nodeEvents) {
    if (e.kind !== 'down' || e.at <= w.from || e.at >= w.to || !w.nodes.includes(e.node)) {
      continue;
    }
    const set = downs.get(e.at) ?? new Set<string>();
    downs.set(e.at, set.add(e.node));
  }
  const out = new Set<number>();
  for (const [t, down] of downs) {
    const hosts = hosting(world, svc, t - 1).filter((n) => w.nodes.includes(n));
    if (hosts.length > 0 && hosts.every((n) => down.has(n))) out.add(t);
  }
  return out;
}

/** Maximal stretches in which one component holds a replica of `svc` and a client. */
export function componentWindows(run: RunRecord, svc: number): Window[] {
  const world = buildWorld(run);
  const out: Window[] = [];
  let open: Window[] = [];
  for (const seg of segments(run)) {
    const groups = seg.perturbed ? null : components(run, seg);
    const next: Window[] = [];
    for (const g of groups ?? []) {
      // Replicas report every heartbeat: one that boots or starts in this stretch shows soon.
      const hosts = [seg.from, Math.min(seg.to - 1, seg.from + STALE_US)]
        .flatMap((t) => hosting(world, svc, t));
      if (!g.some((n) => hosts.includes(n))) continue;
      const reach = run.endpoints.some((e) => e.client
        && g.every((n) => connected(seg, e.name, n)));
      if (!reach) continue;
      const key = [...g].sort().join();
      const same = open.find((w) => w.to === seg.from && w.nodes.join() === key);
      if (same !== undefined) {
        same.to = seg.to;
        next.push(same);
      } else next.push({ svc, nodes: key.split(','), from: seg.from, to: seg.to });
    }
    for (const w of open) if (!next.includes(w)) out.push(w);
    open = next;
  }
  return [...out, ...open].sort((a, b) => a.from - b.from);
}

export const opbComponentPrimary: Property = {
  name: 'opb-c4-components',
  description: 'C4 during the faults: a connected component holding a live replica of a ' +
    'service and a client has a primary of it within T_fd + T_hb + ε ' +
    `(ε = ${C4_EPSILON_US / 1000} ms), and is never without one for longer`,
  protocols: ['opb'],
  completeRunOnly: true,
  check(run) {
    const world = buildWorld(run);
    // T_fd is the suspicion timeout, or for a node that (re)boots max(fdUs, 2 gossip rounds):
    // OPB's rule that a restarted replica first hears its group (docs/opb.md).
    const fd = Math.max(numberParam(run, 'fdUs', 150_000),
      2 * numberParam(run, 'gossipUs', 250_000));
    const bound = fd + numberParam(run, 'hbUs', 50_000) + C4_EPSILON_US;
    const problems: string[] = [];
    let judged = 0;
    let worst = 0;
    for (const svc of world.services) {
      const changes = primaryChanges(world, svc);
      for (const w of componentWindows(run, svc)) {
        judged++;
        const primaries = new Set<string>();
        let i = 0;
        for (; i < changes.length && changes[i]!.at <= w.from; i++) {
          const c = changes[i]!;
          if (c.primary) primaries.add(c.node);
          else primaries.delete(c.node);
        }
        const inside = (): boolean => w.nodes.some((n) => primaries.has(n));
        const rebooted = replicasRebooted(world, svc, w);
        let since: number | null = inside() ? null : w.from;
        const gap = (end: number): void => {
          if (since === null) return;
          worst = Math.max(worst, end - since);
          if (end - since > bound) {
            problems.push(`service ${svc}: component [${w.nodes.join(',')}] had no primary ` +
              `from t=${since}us for ${end - since}us (bound ${bound}us)`);
          }
        };
        for (; i < changes.length && changes[i]!.at < w.to; i++) {
          const c = changes[i]!;
          if (c.primary) primaries.add(c.node);
          else primaries.delete(c.node);
          if (inside() && since !== null) {
            gap(c.at);
            since = null;
          } else if (!inside() && since === null) since = c.at;
          else if (!inside() && rebooted.has(c.at)) {
            // No replica was live at that instant: the stretch before is judged on its own, and
            // the count starts again (C4 counts while the component has a live replica).
            gap(c.at);
            since = c.at;
          }
        }
        gap(Math.min(w.to, run.endUs));
      }
    }
    if (judged === 0) {
      return { property: this.name, status: 'skip', message: 'no component to judge' };
    }
    return verdictOf(this.name, problems, { components: judged, longestGapUs: worst },
      `${judged} component windows, longest without a primary ${worst}us`);
  },
};
