/**
 * What OPB checkers know about a run, rebuilt only from the declared observation hooks
 * (`opb.node`, `opb.digest`, `opb.role`, `opb.epoch`, `opb.exec`, `opb.leave`, `opb.move`,
 * `opb.load`) and the fault schedule — never from protocol internals.
 */
import type { Json } from '../protocol/types.js';
import type { Observation, RunRecord } from '../simulator/run-record.js';

export interface Digest {
  readonly at: number;
  readonly node: string;
  readonly svc: number;
  readonly role: string;
  readonly primary: string | null;
  readonly epoch: string;
  readonly idx: number;
  readonly state: string;
  readonly members: readonly string[];
  readonly lineage: string;
}

export interface World {
  readonly run: RunRecord;
  readonly dcOf: ReadonlyMap<string, string>;
  readonly zoneOf: ReadonlyMap<string, string>;
  readonly nodes: readonly string[];
  readonly services: readonly number[];
  /** Per node: [from, to) intervals in which it was down (crashed). */
  readonly down: ReadonlyMap<string, readonly (readonly [number, number])[]>;
  readonly digests: ReadonlyMap<string, readonly Digest[]>;
  readonly obs: (label: string) => readonly Observation[];
}

type Rec = { readonly [k: string]: Json };
export const rec = (o: Observation): Rec => o.data as Rec;
export const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
export const int = (v: Json | undefined): number => (typeof v === 'number' ? v : -1);

function expand(
  sel: string,
  w: {
    nodes: readonly string[]; dcOf: ReadonlyMap<string, string>;
    zoneOf: ReadonlyMap<string, string>;
  },
  replicas: readonly string[],
): string[] {
  if (sel === '*') return [...w.nodes];
  if (sel === 'replicas') return [...replicas];
  if (sel.startsWith('dc:')) return w.nodes.filter((n) => w.dcOf.get(n) === sel.slice(3));
  if (sel.startsWith('zone:')) return w.nodes.filter((n) => w.zoneOf.get(n) === sel.slice(5));
  return w.nodes.includes(sel) ? [sel] : [];
}

/** Nodes a fault's selector names (node faults only). */
export function faultNodes(world: World, sel: string): string[] {
  return expand(sel, world, world.run.replicas);
}

function downIntervals(
  run: RunRecord,
  base: {
    nodes: readonly string[]; dcOf: ReadonlyMap<string, string>;
    zoneOf: ReadonlyMap<string, string>;
  },
  boots: readonly Observation[],
): Map<string, [number, number][]> {
  const down = new Map<string, [number, number][]>();
  const crashes = run.faults.filter((f) => f.kind === 'crash').sort((a, b) => a.at - b.at);
  for (const f of crashes) {
    if (f.kind !== 'crash') continue;
    for (const n of expand(f.node, base, run.replicas)) {
      const list = down.get(n) ?? [];
      const open = list[list.length - 1];
      if (open !== undefined && open[1] > f.at) continue;
      const boot = boots.find((b) => b.node === n && b.at >= f.at);
      list.push([f.at, boot === undefined ? run.endUs + 1 : boot.at]);
      down.set(n, list);
    }
  }
  return down;
}

/** Every OPB property reads the same world; build it once per run. */
const worlds = new WeakMap<RunRecord, World>();

export function buildWorld(run: RunRecord): World {
  let world = worlds.get(run);
  if (world === undefined) {
    world = computeWorld(run);
    worlds.set(run, world);
  }
  return world;
}

function computeWorld(run: RunRecord): World {
  const byLabel = new Map<string, Observation[]>();
  for (const o of run.observations) {
    const list = byLabel.get(o.label);
    if (list === undefined) byLabel.set(o.label, [o]);
    else list.push(o);
  }
  const obs = (label: string): readonly Observation[] => byLabel.get(label) ?? [];
  const dcOf = new Map<string, string>();
  const zoneOf = new Map<string, string>();
  for (const o of obs('opb.node')) {
    dcOf.set(o.node, str(rec(o)['dc']));
    zoneOf.set(o.node, str(rec(o)['zone']));
  }
  const nodes = [...dcOf.keys()].sort();
  const digests = new Map<string, Digest[]>();
  const services = new Set<number>();
  for (const o of obs('opb.digest')) {
    const d = rec(o);
    const svc = int(d['svc']);
    services.add(svc);
    const members = Array.isArray(d['members']) ? (d['members'] as Json[]).map(str) : [];
    const g: Digest = {
      at: o.at, node: o.node, svc, role: str(d['role']),
      primary: d['primary'] === null ? null : str(d['primary']),
      epoch: str(d['epoch']), idx: int(d['idx']), state: str(d['state']), members,
      lineage: str(d['lineage']),
    };
    const key = `${o.node}|${svc}`;
    const list = digests.get(key);
    if (list === undefined) digests.set(key, [g]);
    else list.push(g);
  }
  const base = { nodes, dcOf, zoneOf };
  return { run, dcOf, zoneOf, nodes, services: [...services].sort((a, b) => a - b),
    down: downIntervals(run, base, obs('opb.node')), digests, obs };
}

export function isDown(world: World, node: string, at: number): boolean {
  return (world.down.get(node) ?? []).some(([a, b]) => at >= a && at < b);
}

/** The latest digest of each replica of `svc` at time `at` that is still current (not stale). */
export function snapshot(world: World, svc: number, at: number, staleUs: number): Digest[] {
  const out: Digest[] = [];
  for (const node of world.nodes) {
    const list = world.digests.get(`${node}|${svc}`);
    if (list === undefined) continue;
    let lo = 0;
    let hi = list.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.at <= at) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const d = best < 0 ? undefined : list[best];
    if (d !== undefined && at - d.at <= staleUs && !isDown(world, node, at)) out.push(d);
  }
  return out;
}

/** Lineage runs "c.n:last,…" as pairs. */
export function parseLineage(text: string): [string, number][] {
  if (text === '') return [];
  return text.split(',').map((r) => {
    const cut = r.lastIndexOf(':');
    return [r.slice(0, cut), Number(r.slice(cut + 1))];
  });
}

/** Whether one lineage is a prefix of the other (replicas on one history, one possibly behind). */
export function prefixCompatible(a: string, b: string): boolean {
  const x = parseLineage(a);
  const y = parseLineage(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i]![0] !== y[i]![0]) return false;
    if (i < n - 1 && x[i]![1] !== y[i]![1]) return false;
    if (i === n - 1 && x.length !== y.length) {
      const shorter = x.length < y.length ? x : y;
      const longer = x.length < y.length ? y : x;
      if (shorter[i]![1] > longer[i]![1]) return false;
    }
  }
  return true;
}

/** Epoch text "c.n", or "g:c.n" after a counter reset started generation g, as a comparable key. */
export function epochKey(text: string): [number, number, string] {
  const colon = text.indexOf(':');
  const g = colon < 0 ? 0 : Number(text.slice(0, colon));
  const rest = text.slice(colon + 1);
  const dot = rest.indexOf('.');
  return [g, Number(rest.slice(0, dot)), rest.slice(dot + 1)];
}

/**
 * OPB's declared epoch order (protocol/optimistic/README.md): generations are a 16-bit label
 * compared by serial-number arithmetic (the wrap to 0 is a step up), then counter, then node.
 */
const GEN_MOD = 2 ** 16;

export function cmpEpochText(a: string, b: string): number {
  const [ga, ca, na] = epochKey(a);
  const [gb, cb, nb] = epochKey(b);
  if (ga !== gb) {
    const d = (((ga - gb) % GEN_MOD) + GEN_MOD) % GEN_MOD;
    if (d !== GEN_MOD / 2) return d < GEN_MOD / 2 ? 1 : -1;
    return ga > gb ? 1 : -1;
  }
  if (ca !== cb) return ca < cb ? -1 : 1;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Sampling step and staleness bound for digests (digests come every heartbeat). */
export const SAMPLE_US = 50_000;
export const STALE_US = 250_000;
/** Δ_conv: convergence must happen within this time after the faults stop. */
export const CONVERGE_BOUND_US = 1_500_000;
