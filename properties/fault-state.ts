/**
 * The world a run's faults made, rebuilt from the run record alone: which nodes were up (the
 * simulator's node facts), which directed links a partition cut (the fault schedule, resolved
 * against the recorded endpoints), and when some fault made timing unreliable (slow nodes or
 * disks, clogs, skewed clocks, a lossy network, corruption). Checkers that judge the protocol
 * during the faults read this, never the nodes' own reports of who could talk to whom.
 *
 * The run is cut into segments in which nothing of this changes; the settle heal at the end of
 * the fault window lifts every cut and every perturbation and restarts every crashed node.
 */
import { partitionLinks } from '../simulator/faults/partition.js';
import type { FaultEvent } from '../simulator/config.js';
import type { RunRecord } from '../simulator/run-record.js';
import type { Endpoints } from '../simulator/topology.js';
import { onceEach } from './memo.js';

export interface Segment {
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
  /** Nodes up and not paused. */
  readonly live: ReadonlySet<string>;
  /** Directed links "a>b" at least one partition cuts. */
  readonly cut: ReadonlySet<string>;
  /** Some fault that changes timing (not reachability) is in force: timing is not judged. */
  readonly perturbed: boolean;
}

/** The recorded endpoints as the simulator's selector resolver sees them. */
export function recordEndpoints(run: RunRecord): Endpoints {
  const names = run.endpoints.map((e) => e.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const nodeCount = run.endpoints.filter((e) => !e.client).length;
  const all = (pred: (i: number) => boolean): number[] => names.map((_, i) => i).filter(pred);
  const replicas = new Set(run.replicas);
  return {
    names, nodeCount, clientCount: names.length - nodeCount,
    dcOf: run.endpoints.map((e) => e.dc),
    placements: run.endpoints.filter((e) => !e.client)
      .map((e) => ({ id: e.name, dc: e.dc, zone: e.zone })),
    indexOf(name) {
      const i = index.get(name);
      if (i === undefined) throw new Error(`unknown endpoint "${name}"`);
      return i;
    },
    select(sel) {
      if (sel === '*') return all((i) => i < nodeCount);
      if (sel === 'replicas') return all((i) => i < nodeCount && replicas.has(names[i]!));
      if (sel.startsWith('dc:')) return all((i) => run.endpoints[i]!.dc === sel.slice(3));
      if (sel.startsWith('zone:')) return all((i) => run.endpoints[i]!.zone === sel.slice(5));
      const i = index.get(sel);
      if (i === undefined) throw new Error(`unknown node or client "${sel}"`);
      return [i];
    },
  };
}

/** A fault that changes timing but not who can talk: on from its time until its "off" twin. */
function perturbKey(f: FaultEvent): { key: string; on: boolean } | null {
  switch (f.kind) {
    case 'slow': return { key: `slow:${f.node}`, on: f.delayUs > 0 };
    case 'disk': return { key: `disk:${f.node}`, on: f.delayUs > 0 };
    case 'clog': return { key: `clog:${f.from}>${f.to}`, on: f.delayUs > 0 };
    case 'skew': return { key: `skew:${f.node}`, on: f.offsetUs !== 0 || f.ratePpm !== 0 };
    // The scenario's base loss is not recorded: a network fault counts until the settle heal.
    case 'network': return { key: 'network', on: true };
    case 'corrupt': return { key: `corrupt:${f.node}`, on: true };
    default: return null;
  }
}

/** The run's segments, in time order, covering [0, endUs + 1). */
export const segments: (run: RunRecord) => readonly Segment[] = onceEach(computeSegments);

type Change = { at: number; order: number; apply: () => void };

function computeSegments(run: RunRecord): Segment[] {
  const endpoints = recordEndpoints(run);
  const nodes = run.endpoints.filter((e) => !e.client).map((e) => e.name);
  const up = new Set(nodes);
  const paused = new Set<string>();
  const cutCount = new Map<string, number>();
  const book = new Map<string, string[]>();
  const perturb = new Set<string>();
  let counter = 0;
  const link = (a: number, b: number): string =>
    `${endpoints.names[a]!}>${endpoints.names[b]!}`;
  const heal = (id?: string): void => {
    for (const key of id === undefined ? [...book.keys()] : [id]) {
      for (const l of book.get(key) ?? []) cutCount.set(l, cutCount.get(l)! - 1);
      book.delete(key);
    }
  };
  const changes: Change[] = [];
  // Faults in schedule order (the simulator queues them sorted by time, stably), node facts in
  // the order they happened; a fault and the facts it causes share a time.
  [...run.faults].sort((a, b) => a.at - b.at).forEach((f, i) => {
    changes.push({ at: f.at, order: i, apply: () => {
      if (f.kind === 'partition') {
        const id = f.id ?? `p${++counter}`;
        heal(id);
        const links = partitionLinks(f, endpoints).map(([a, b]) => link(a, b));
        for (const l of links) cutCount.set(l, (cutCount.get(l) ?? 0) + 1);
        book.set(id, links);
      } else if (f.kind === 'heal') heal(f.id);
      const p = perturbKey(f);
      if (p !== null && p.on) perturb.add(p.key);
      else if (p !== null) perturb.delete(p.key);
    } });
  });
  changes.push({ at: run.faultWindowEndUs, order: run.faults.length, apply: () => {
    heal();
    cutCount.clear();
    perturb.clear();
  } });
  for (const e of run.nodeEvents) {
    changes.push({ at: e.at, order: run.faults.length + 1 + e.seq, apply: () => {
      if (e.kind === 'down') { up.delete(e.node); paused.delete(e.node); }
      if (e.kind === 'up') up.add(e.node);
      if (e.kind === 'paused') paused.add(e.node);
      if (e.kind === 'resumed') paused.delete(e.node);
    } });
  }
  changes.sort((a, b) => a.at - b.at || a.order - b.order);
  const out: Segment[] = [];
  let from = 0;
  const close = (to: number): void => {
    if (to <= from) return;
    out.push({ from, to, live: new Set([...up].filter((n) => !paused.has(n))),
      cut: new Set([...cutCount].filter(([, c]) => c > 0).map(([l]) => l)),
      perturbed: perturb.size > 0 });
    from = to;
  };
  for (const c of changes) {
    close(c.at);
    c.apply();
  }
  close(run.endUs + 1);
  return out;
}

/** Whether a and b can talk both ways in the segment. */
export function connected(seg: Segment, a: string, b: string): boolean {
  return !seg.cut.has(`${a}>${b}`) && !seg.cut.has(`${b}>${a}`);
}

/** Whether a and b are fully cut from each other (neither direction delivers). */
export function severed(seg: Segment, a: string, b: string): boolean {
  return seg.cut.has(`${a}>${b}`) && seg.cut.has(`${b}>${a}`);
}

/**
 * [from, to) of each targeted message fault, cut at the end of the fault window: while one is in
 * force it may drop or delay exactly the messages a check would rely on, so checks treat it
 * like a cut.
 */
export function targetedWindows(run: RunRecord): (readonly [number, number])[] {
  return run.faults.flatMap((f) =>
    f.kind === 'targeted' ? [[f.at, Math.min(f.untilUs, run.faultWindowEndUs)] as const] : []);
}

/**
 * The directed node links "a>b" each targeted *drop* fault of one of `types` cuts, with its
 * window [from, to) (cut at the end of the fault window): a check that needs those types across
 * those links reads them as cut. Omitted senders or recipients are every node.
 */
export function targetedDrops(run: RunRecord, types: ReadonlySet<string>):
  { readonly from: number; readonly to: number; readonly links: readonly string[] }[] {
  const endpoints = recordEndpoints(run);
  const names = (sels: readonly string[] | undefined): string[] =>
    [...new Set((sels ?? ['*']).flatMap((sel) => endpoints.select(sel)))]
      .map((i) => endpoints.names[i]!);
  return run.faults.flatMap((f) => {
    if (f.kind !== 'targeted' || f.action !== 'drop' || !types.has(f.type)) return [];
    const to = names(f.to);
    const links = names(f.from).flatMap((a) => to.filter((b) => b !== a).map((b) => `${a}>${b}`));
    return [{ from: f.at, to: Math.min(f.untilUs, run.faultWindowEndUs), links }];
  });
}

/** Whether no timing fault (slow node or disk, pause, skew, clog) is in force in [from, to]. */
export function unperturbed(segs: readonly Segment[], from: number, to: number): boolean {
  return segs.every((g) => g.to <= from || g.from > to || !g.perturbed);
}
