/**
 * What OPB checkers know about a run, rebuilt only from OPB's declared observations
 * (protocol/optimistic/observations.ts, read typed) and the node facts the simulator recorded
 * (`RunRecord.nodeEvents`) — never from protocol internals or the fault schedule's selectors.
 */
import type {
  MoveFactKind, MovePhase, OpbObservation, RoleReason,
} from '../protocol/optimistic/observations.js';
import type { NodeEvent, RunRecord } from '../simulator/run-record.js';
import { droppedRecord } from './dropped.js';
import {
  COMMON_FIELDS, COMMON_VALUES, reader, type DataOf, type Observed,
} from './observed.js';
import { onceEach } from './memo.js';
import { latestAt } from './run-values.js';

export interface Digest {
  readonly at: number;
  /** The observation's `seq`: orders digests and facts of one instant as they happened. */
  readonly seq: number;
  readonly node: string;
  readonly svc: number;
  readonly role: string;
  readonly primary: string | null;
  readonly epoch: string;
  readonly idx: number;
  /** The checkpoint: entries up to here are no longer in the log. */
  readonly base: number;
  readonly state: string;
  readonly members: readonly string[];
  readonly lineage: string;
}

export type OpbLabel = OpbObservation['label'];
export type OpbObserved<L extends OpbLabel> = Observed<DataOf<OpbObservation, L>>;

export interface World {
  readonly run: RunRecord;
  readonly dcOf: ReadonlyMap<string, string>;
  readonly zoneOf: ReadonlyMap<string, string>;
  readonly nodes: readonly string[];
  readonly services: readonly number[];
  /** Per node: [from, to) intervals in which it was down (a restart is an empty one). */
  readonly down: ReadonlyMap<string, readonly (readonly [number, number])[]>;
  readonly digests: ReadonlyMap<string, readonly Digest[]>;
  /** Every observation with `label`, in order, typed as OPB declared it. */
  readonly obs: <L extends OpbLabel>(label: L) => readonly OpbObserved<L>[];
  /**
   * The observations with `label` a crash dropped (`writes-lost`: listed after a write the crash
   * lost, so never recorded): the step ran, in memory, and what it sent may have survived it
   * (a reply, a state transfer). `at` is the step's time, `seq` the crash fact's.
   */
  readonly lost: <L extends OpbLabel>(label: L) => readonly OpbObserved<L>[];
}

/**
 * The values OPB declared for its enumerated fields (the compiler holds these tables to the
 * declared unions, both ways). C6 counts some reasons as losses, so a reason outside the contract
 * would silently change what it excuses: such an observation is malformed.
 */
const ROLES: Readonly<Record<OpbObserved<'opb.role'>['data']['role'], true>> = {
  primary: true, backup: true, reconciling: true,
};
const ROLE_REASONS: Readonly<Record<RoleReason, true>> = {
  suspect: true, reclaim: true, handoff: true, lost: true, follow: true, join: true, fix: true,
  'winner-lost': true, reconciled: true,
};

/** C8 and the non-vacuity events tell a move's steps apart by phase (start, done, ...). */
const MOVE_PHASES: Readonly<Record<MovePhase, true>> = {
  start: true, done: true, abort: true, refused: true, trim: true,
};
/** C8 and opb-operator-handoff tell a reorganization from an operator's order by kind. */
const MOVE_KINDS: Readonly<Record<MoveFactKind, true>> = {
  repair: true, balance: true, consolidate: true, spread: true, handback: true, operator: true,
};

/** Null when `value` is one of `table`'s keys, else what is wrong with the `what` field. */
const declared = (table: object, what: string, value: string): string | null =>
  (Object.hasOwn(table, value) ? null : `${what} "${value}" is not declared`);

const read = reader<OpbObservation>({
  ...COMMON_FIELDS,
  'opb.node': { dc: 'string', zone: 'string', amnesia: 'boolean', hosted: 'number' },
  'opb.digest': { service: 'number', role: 'string', primary: 'present', epoch: 'string',
    index: 'number', base: 'number', state: 'string', members: 'array',
    membershipVersion: 'number', lineage: 'string' },
  'opb.role': { service: 'number', role: 'string', epoch: 'string', counter: 'number',
    reason: 'string' },
  'opb.epoch': { service: 'number', generation: 'number', counter: 'number', node: 'string' },
  'opb.epoch-reset': { service: 'number', generation: 'number' },
  'opb.acked': { service: 'number', index: 'number', client: 'string', seq: 'number',
    backups: 'array' },
  'opb.exec': { service: 'number', epoch: 'string', index: 'number', client: 'string',
    seq: 'number', value: 'string', resubmit: 'boolean' },
  'opb.checkpoint': { service: 'number', base: 'number' },
  'opb.resubmit': { service: 'number', received: 'number', executed: 'number' },
  'opb.discard': { service: 'number', received: 'number', lost: 'number' },
  'opb.merge-members': { service: 'number', loser: 'string', added: 'array',
    membershipVersion: 'number' },
  'opb.install': { service: 'number', from: 'string', fork: 'number', orphans: 'number',
    truncated: 'number', resubmitted: 'boolean', reconciling: 'boolean', mine: 'string',
    theirs: 'string' },
  'opb.handover': { service: 'number', to: 'string', requests: 'number' },
  'opb.handoff': { service: 'number', to: 'string', epoch: 'string', membershipVersion: 'number',
    members: 'array' },
  'opb.stale-xfer': { service: 'number', from: 'string' },
  'opb.move': { service: 'number', kind: 'string', add: 'present', drop: 'present',
    phase: 'string', coolUs: 'number' },
  'opb.load': { load: 'number', on: 'boolean', hosted: 'number' },
  'opb.power': { on: 'boolean' },
  'opb.join': { service: 'number', primary: 'string', membershipVersion: 'number' },
  'opb.leave': { service: 'number', membershipVersion: 'number' },
  'opb.operator': { name: 'string' },
}, true, {
  ...COMMON_VALUES,
  'opb.role': (d) => declared(ROLES, 'role', d.role) ?? declared(ROLE_REASONS, 'reason', d.reason),
  'opb.digest': (d) => declared(ROLES, 'role', d.role),
  'opb.move': (d) => declared(MOVE_PHASES, 'move phase', d.phase)
    ?? declared(MOVE_KINDS, 'move kind', d.kind),
});


/**
 * `opb.epoch-reset` is the non-vacuity event "an epoch counter wrapped into a new generation"
 * (properties/sometimes.ts): a scenario that asks for it passes only if one happened. So the
 * fact must be what it says (mutation #3653 of the seed-23 sample reported one on every claim):
 * the node's next `opb.epoch` fact for that service, recorded once its disk write is done,
 * names that generation with counter 1, and its epoch before (epoch zero, generation 0, at
 * first boot and after a lost disk, when no fact followed) was of another generation, unless a
 * corruption may have rewritten it meanwhile.
 */
function checkEpochResets(run: RunRecord): void {
  const epochs = read(run, 'opb.epoch');
  const amnesia = read(run, 'opb.node').filter((n) => n.data.amnesia);
  for (const o of read(run, 'opb.epoch-reset')) {
    // A replica starts at epoch zero (generation 0), at first boot and after a lost disk.
    const since = amnesia.filter((n) => n.node === o.node && n.seq < o.seq).at(-1)?.seq ?? -1;
    const mine = epochs.filter((e) => e.node === o.node && e.data.service === o.data.service);
    const before = mine.filter((e) => e.seq > since && e.seq < o.seq).at(-1);
    // The new generation's fact waits for its write: a crash before it may lose both (explore
    // trial 921603 of opb-claim-slow-disk, n1 down with its writes lost at 1.5 s, 41 ms after a
    // reset behind an 88 ms disk), and the facts after the restart are of another life.
    const crash = run.nodeEvents.find((e) => e.node === o.node && e.kind === 'down'
      && e.at >= o.at)?.at ?? Infinity;
    const next = mine.find((e) => e.seq > o.seq && e.at < crash);
    const what = (e: typeof next): string => (e === undefined ? 'epoch zero'
      : `generation ${e.data.generation} counter ${e.data.counter}`);
    // A corruption since may have rewritten the epoch the facts last showed.
    const corrupted = run.nodeEvents.some((e) => e.node === o.node && e.kind === 'corrupted'
      && e.at <= o.at && e.at >= (before?.at ?? 0));
    if ((next !== undefined && (next.data.generation !== o.data.generation
      || next.data.counter !== 1))
      || (!corrupted && (before?.data.generation ?? 0) === o.data.generation)) {
      throw new Error(`malformed opb.epoch-reset observation of ${o.node} at t=${o.at}us: ` +
        `generation ${o.data.generation} of service ${o.data.service}, but its epoch before ` +
        `was ${what(before)} and after ${what(next)}`);
    }
  }
}

/** Per node, [down, next up) intervals from the recorded node facts (end+1 if never up again). */
function downIntervals(run: RunRecord): Map<string, [number, number][]> {
  const down = new Map<string, [number, number][]>();
  for (const e of run.nodeEvents) {
    const list = down.get(e.node) ?? [];
    const open = list[list.length - 1];
    if (e.kind === 'down') {
      list.push([e.at, run.endUs + 1]);
      down.set(e.node, list);
    } else if (e.kind === 'up' && open !== undefined && open[1] === run.endUs + 1) open[1] = e.at;
  }
  return down;
}

/** Nodes the simulator recorded a `kind` fact for, at or after `from` and up to `to`. */
export function nodeFacts(
  world: World, kind: NodeEvent['kind'], from = 0, to = Infinity,
): readonly NodeEvent[] {
  return world.run.nodeEvents.filter((e) => e.kind === kind && e.at >= from && e.at <= to);
}

/**
 * Whether `node`'s clock was skewed at or before `at`: cool-downs and waits run on node clocks,
 * and a rate change jumps them, so checks of those timings exempt such a node.
 */
export function skewedNode(world: World, node: string, at: number): boolean {
  return nodeFacts(world, 'skewed', 0, at).some((f) => f.node === node);
}

/** Every OPB property reads the same world; build it once per run. */
export const buildWorld: (run: RunRecord) => World = onceEach(computeWorld);

function computeWorld(run: RunRecord): World {
  checkEpochResets(run);
  const obs = <L extends OpbLabel>(label: L): readonly OpbObserved<L>[] => read(run, label);
  const dcOf = new Map<string, string>();
  const zoneOf = new Map<string, string>();
  for (const o of obs('opb.node')) {
    dcOf.set(o.node, o.data.dc);
    zoneOf.set(o.node, o.data.zone);
  }
  const nodes = [...dcOf.keys()].sort();
  const digests = new Map<string, Digest[]>();
  const services = new Set<number>();
  for (const o of obs('opb.digest')) {
    const d = o.data;
    services.add(d.service);
    const g: Digest = {
      at: o.at, seq: o.seq, node: o.node, svc: d.service, role: d.role, primary: d.primary,
      epoch: d.epoch, idx: d.index, base: d.base, state: d.state, members: d.members,
      lineage: d.lineage,
    };
    const key = `${o.node}|${d.service}`;
    const list = digests.get(key);
    if (list === undefined) digests.set(key, [g]);
    else list.push(g);
  }
  const lost = <L extends OpbLabel>(label: L): readonly OpbObserved<L>[] =>
    read(droppedRecord(run), label);
  return { run, dcOf, zoneOf, nodes, services: [...services].sort((a, b) => a - b),
    down: downIntervals(run), digests, obs, lost };
}

export function isDown(world: World, node: string, at: number): boolean {
  return (world.down.get(node) ?? []).some(([a, b]) => at >= a && at < b);
}

/** The latest digest of each replica of `svc` at time `at` that is still current (not stale). */
export function snapshot(world: World, svc: number, at: number, staleUs: number): Digest[] {
  const out: Digest[] = [];
  for (const node of world.nodes) {
    const d = digestAt(world, node, svc, at);
    if (d !== undefined && at - d.at <= staleUs && !isDown(world, node, at)) out.push(d);
  }
  return out;
}

/** The latest digest of `node`'s replica of `svc` at or before `at`, if any. */
export function digestAt(world: World, node: string, svc: number, at: number): Digest | undefined {
  return latestAt(world.digests.get(`${node}|${svc}`) ?? [], at);
}

/** `node`'s last `opb.join` of `svc` at or before `at` (when it last joined that group), if any. */
export function lastJoin(world: World, node: string, svc: number, at: number):
  OpbObserved<'opb.join'> | undefined {
  return latestAt(world.obs('opb.join').filter((o) => o.node === node && o.data.service === svc),
    at);
}

export { latestAt };

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

/** An `opb.epoch` fact's epoch in the text form of `opb.role` ("2.n3", "1:1.n3"). */
export function epochText(d: OpbObserved<'opb.epoch'>['data']): string {
  return `${d.generation === 0 ? '' : `${d.generation}:`}${d.counter}.${d.node}`;
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
