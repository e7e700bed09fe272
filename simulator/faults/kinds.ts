/**
 * The fault table: every fault kind, once. A scenario fault's schema (which also gives its
 * TypeScript type), the endpoint selectors it names (resolved when a scenario loads), and how it
 * acts on a running simulation all live in one descriptor; explore's random draws live in
 * `swarmDraws` below, one per kind a protocol can claim to survive (`FaultKind`). Adding a fault
 * kind means one descriptor here (plus, for a swarm kind, its name in protocol/types.ts).
 */
import { z } from 'zod';
import type { FaultKind, Json } from '../../protocol/types.js';
import type { DeepReadonly, Holds } from '../config.js';
import type { Delivery } from '../delivery.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Network } from '../network.js';
import type { NodeEvent } from '../run-record.js';
import type { Endpoints } from '../topology.js';
import { PartitionBook } from './partition.js';

export const us = z.number().int().nonnegative();
export const ratio = z.tuple([z.number().int().nonnegative(), z.number().int().positive()])
  .refine(([n, d]) => n <= d, 'a ratio [num, den] needs num <= den');
export const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number().int(), z.string(), z.array(json),
    z.record(z.string(), json)]));
export const selector = z.string().min(1);

/** What a fault may do to a running simulation. */
export interface FaultTarget {
  readonly endpoints: Endpoints;
  readonly network: Network;
  readonly partitions: PartitionBook;
  /** Per-send shaping: targeted message faults go here. */
  readonly delivery: Delivery;
  /** The simulator's per-node knobs (slowness, clock skew, disk speed) for a fault to set. */
  runtime(node: number): NodeRuntime;
  /** Re-sets the node's clock (node-runtime.ts, setSkew); its pending timers follow it. */
  skew(node: number, offsetUs: number, ratePpm: number): void;
  /** Records a fact about a node in the run record (properties read these, not selectors). */
  nodeFact(node: number, kind: NodeEvent['kind']): void;
  crash(node: number): void;
  restart(node: number, amnesia: boolean): void;
  pause(node: number): void;
  resume(node: number): void;
  /** An operator command through the selected nodes (see NodeLifecycle.operator). */
  operator(nodes: readonly number[], name: string, args: Json): void;
  corrupt(node: number): void;
}

interface Descriptor<S extends z.ZodObject> {
  readonly schema: S;
  /** Every selector the fault names; each must resolve when the scenario loads. */
  readonly selectors: (fault: z.output<S>) => readonly string[];
  readonly apply: (fault: z.output<S>, target: FaultTarget) => void;
}

function fault<S extends z.ZodObject>(d: Descriptor<S>): Descriptor<S> {
  return d;
}

/** Nodes (not clients) a selector names, in endpoint order. */
export function nodesOf(target: FaultTarget, sel: string): number[] {
  return target.endpoints.select(sel).filter((i) => i < target.endpoints.nodeCount);
}

const at = { at: us };
const onNodes = (f: { readonly node: string }): readonly string[] => [f.node];
const none = (): readonly string[] => [];
const partitionModes = ['sides', 'isolate', 'bridge', 'splitDc'] as const;

export const faultTable = {
  crash: fault({
    schema: z.object({ ...at, kind: z.literal('crash'), node: selector }).strict(),
    selectors: onNodes,
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => t.crash(n)),
  }),
  restart: fault({
    schema: z.object({ ...at, kind: z.literal('restart'), node: selector,
      amnesia: z.boolean().optional() }).strict(),
    selectors: onNodes,
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => t.restart(n, f.amnesia === true)),
  }),
  partition: fault({
    schema: z.object({
      ...at, kind: z.literal('partition'),
      /** 'sides': endpoints in different sides cannot talk, unlisted ones are unaffected. */
      mode: z.enum(partitionModes),
      symmetry: z.enum(['symmetric', 'oneWay']).default('symmetric'),
      sides: z.array(z.array(selector).min(1)).min(1), id: z.string().optional(),
    }).strict(),
    selectors: (f) => (f.mode === 'splitDc'
      ? f.sides.flat().map((d) => (d.startsWith('dc:') ? d : `dc:${d}`)) : f.sides.flat()),
    apply: (f, t) => t.partitions.cut(t, f),
  }),
  heal: fault({
    schema: z.object({ ...at, kind: z.literal('heal'), id: z.string().optional() }).strict(),
    selectors: none,
    apply: (f, t) => t.partitions.heal(t, f.id),
  }),
  clog: fault({
    schema: z.object({ ...at, kind: z.literal('clog'), from: selector, to: selector,
      delayUs: us }).strict(),
    selectors: (f) => [f.from, f.to],
    apply: (f, t) => {
      for (const a of t.endpoints.select(f.from)) {
        for (const b of t.endpoints.select(f.to)) t.network.setClog(a, b, f.delayUs);
      }
    },
  }),
  pause: fault({
    schema: z.object({ ...at, kind: z.literal('pause'), node: selector }).strict(),
    selectors: onNodes,
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => t.pause(n)),
  }),
  resume: fault({
    schema: z.object({ ...at, kind: z.literal('resume'), node: selector }).strict(),
    selectors: onNodes,
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => t.resume(n)),
  }),
  slow: fault({
    schema: z.object({ ...at, kind: z.literal('slow'), node: selector, delayUs: us }).strict(),
    selectors: onNodes,
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => { t.runtime(n).slowUs = f.delayUs; }),
  }),
  skew: fault({
    schema: z.object({
      ...at, kind: z.literal('skew'), node: selector, offsetUs: z.number().int(),
      // Above -1e6 ppm the clock keeps moving forward.
      ratePpm: z.number().int().min(-500_000).max(1_000_000),
    }).strict(),
    selectors: onNodes,
    // The clock steps by offsetUs at the fault's instant and drifts at ratePpm from then on;
    // `0, 0` stops the drift, the clock continuous (node-runtime.ts, setSkew).
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => {
      t.skew(n, f.offsetUs, f.ratePpm);
      t.nodeFact(n, 'skewed');
    }),
  }),
  network: fault({
    schema: z.object({ ...at, kind: z.literal('network'), loss: ratio.optional(),
      dup: ratio.optional(), reorder: ratio.optional() }).strict(),
    selectors: none,
    apply: (f, t) => {
      if (f.loss !== undefined) t.network.loss = f.loss;
      if (f.dup !== undefined) t.network.dup = f.dup;
      if (f.reorder !== undefined) t.network.reorder = f.reorder;
    },
  }),
  operator: fault({
    schema: z.object({ ...at, kind: z.literal('operator'), node: selector,
      name: z.string().min(1), args: json.default(null) }).strict(),
    selectors: onNodes,
    apply: (f, t) => t.operator(nodesOf(t, f.node), f.name, f.args),
  }),
  disk: fault({
    schema: z.object({ ...at, kind: z.literal('disk'), node: selector,
      /** Extra time each write takes from now on (0 ends the fault). */
      delayUs: us }).strict(),
    selectors: onNodes,
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => { t.runtime(n).diskSlowUs = f.delayUs; }),
  }),
  corrupt: fault({
    schema: z.object({ ...at, kind: z.literal('corrupt'), node: selector }).strict(),
    selectors: onNodes,
    apply: (f, t) => nodesOf(t, f.node).forEach((n) => t.corrupt(n)),
  }),
  targeted: fault({
    schema: z.object({
      ...at, kind: z.literal('targeted'),
      /** A message type as the protocol names it (Protocol.messageTypes), e.g. "propose". */
      type: z.string().min(1),
      /** Senders and recipients (selectors, nodes only); omitted: every node. */
      from: z.array(selector).min(1).optional(),
      to: z.array(selector).min(1).optional(),
      action: z.enum(['drop', 'delay']),
      /** Extra delay of each matching message (only with action "delay"). */
      delayUs: us.min(1).optional(),
      /** The fault ends here (exclusive); the settle heal ends it at the latest. */
      untilUs: us,
    }).strict()
      .refine((f) => f.untilUs > f.at, 'untilUs must be after at')
      .refine((f) => (f.action === 'delay') === (f.delayUs !== undefined),
        'delayUs is required with action "delay" and not allowed with "drop"'),
    selectors: (f) => [...(f.from ?? []), ...(f.to ?? [])],
    apply: (f, t) => {
      const set = (sels: readonly string[] | undefined): ReadonlySet<number> | null =>
        (sels === undefined ? null : new Set(sels.flatMap((s) => nodesOf(t, s))));
      t.delivery.target({ type: f.type, from: set(f.from), to: set(f.to),
        effect: f.action === 'drop' ? 'drop' : f.delayUs!, untilUs: f.untilUs });
    },
  }),
};

type Table = typeof faultTable;
export type FaultEventKind = keyof Table;
/** A scheduled fault, as a scenario file gives it (times in µs from the start). */
export type FaultEvent =
  { [K in FaultEventKind]: DeepReadonly<z.output<Table[K]['schema']>> }[FaultEventKind];
export type FaultOf<K extends FaultEventKind> = Extract<FaultEvent, { kind: K }>;

// Each descriptor's `kind` literal must be its key: a mismatch fails to compile here.
type KindIsKey<K extends FaultEventKind> = [z.output<Table[K]['schema']>['kind']] extends [K]
  ? [K] extends [z.output<Table[K]['schema']>['kind']] ? true : false : false;
export type FaultKindsMatchKeys = Holds<{ [K in FaultEventKind]: KindIsKey<K> }[FaultEventKind]>;

const schemas = Object.values(faultTable).map((d) => d.schema);
/** Any fault of the table, discriminated by `kind`. */
export const faultSchema = z.discriminatedUnion('kind',
  schemas as unknown as [Table[FaultEventKind]['schema'], ...Table[FaultEventKind]['schema'][]]);

function descriptorOf<K extends FaultEventKind>(kind: K): Descriptor<Table[K]['schema']> {
  return faultTable[kind] as unknown as Descriptor<Table[K]['schema']>;
}

export function applyFault(target: FaultTarget, f: FaultEvent): void {
  descriptorOf(f.kind).apply(f as never, target);
}

export function selectorsOf(f: FaultEvent): readonly string[] {
  return descriptorOf(f.kind).selectors(f as never);
}

// ---- swarm draws -----------------------------------------------------------------------------

/** How explore shapes its partitions (one knob per trial). */
export const swarmPartitionModes = ['uniformSize', 'isolateSingle', 'splitDc', 'bridge',
  'oneWay'] as const;
export type SwarmPartitionMode = (typeof swarmPartitionModes)[number];

/** One random fault episode, resolved against a scenario: what a swarm draw turns into faults. */
export interface EpisodeContext {
  readonly at: number;
  /** When the episode ends (its heal, restart or reset), before the fault window closes. */
  readonly end: number;
  readonly nodes: readonly string[];
  readonly dcs: readonly string[];
  /** Each node's and each client's data center: clients are cut along with their DC. */
  readonly dcOf: ReadonlyMap<string, string>;
  readonly clients: readonly string[];
  /** The episode's target node (`nodes[target % nodes.length]`). */
  readonly node: string;
  readonly target: number;
  /** A second free draw in [0, 1000] for the kind's own parameter. */
  readonly extra: number;
  readonly partitionMode: SwarmPartitionMode;
  readonly loss: readonly [number, number];
  readonly baseNetwork: { readonly loss: readonly [number, number];
    readonly dup: readonly [number, number] };
  /** The protocol's message type names (Protocol.messageTypes); empty if it names none. */
  readonly messageTypes: readonly string[];
  /** Whether this trial draws crashes, so another kind's episode may end in one too. */
  readonly crashes: boolean;
}

/** Explore's fault draws, one per kind a protocol may claim to survive. */
// Key order is the draw order of explore's knobs: changing it changes every seed's schedule.
export const swarmDraws: { readonly [K in FaultKind]: (e: EpisodeContext) => FaultEvent[] } = {
  crash: ({ at, end, node }) => [{ at, kind: 'crash', node }, { at: end, kind: 'restart', node }],
  partition: (e) => {
    const id = `g${e.at}.${e.target}`;
    return [{ at: e.at, ...partitionShape(e), id }, { at: e.end, kind: 'heal', id }];
  },
  pause: ({ at, end, node }) => [{ at, kind: 'pause', node }, { at: end, kind: 'resume', node }],
  clog: ({ at, end, node, nodes, target, extra }) => {
    const other = nodes[(target + 1 + (extra % Math.max(1, nodes.length - 1))) % nodes.length]!;
    return [{ at, kind: 'clog', from: node, to: other, delayUs: 1_000 + extra * 100 },
      { at: end, kind: 'clog', from: node, to: other, delayUs: 0 }];
  },
  skew: ({ at, end, node, extra }) => [{ at, kind: 'skew', node, offsetUs: (extra - 500) * 100,
    ratePpm: (extra - 500) * 200 }, { at: end, kind: 'skew', node, offsetUs: 0, ratePpm: 0 }],
  slow: ({ at, end, node, extra }) => [{ at, kind: 'slow', node, delayUs: 1 + extra * 50 },
    { at: end, kind: 'slow', node, delayUs: 0 }],
  lossy: ({ at, end, extra, loss, baseNetwork }) => [
    { at, kind: 'network', loss, dup: [extra % 10, 100] },
    { at: end, kind: 'network', loss: baseNetwork.loss, dup: baseNetwork.dup }],
  amnesia: ({ at, end, node }) => [{ at, kind: 'crash', node },
    { at: end, kind: 'restart', node, amnesia: true }],
  // Slow writes widen the window in which a crash loses unsynced data: 1 ms to 200 ms.
  disk: ({ at, end, node, extra }) => [{ at, kind: 'disk', node, delayUs: 1_000 + extra * 199 },
    { at: end, kind: 'disk', node, delayUs: 0 }],
  // One message type, to 1..n-1 consecutive nodes after the target (e.g. proposals reaching
  // only a minority): dropped in two episodes of three, else delayed by 1 to 100 ms. In half the
  // episodes of a trial that draws crashes, only the target's messages are touched and the
  // target crashes halfway, restarting at the end: a leader whose last proposals reached a
  // minority just before it crashed.
  targeted: ({ at, end, nodes, node, target, extra, messageTypes, crashes }) => {
    if (messageTypes.length === 0 || end <= at + 1) return [];
    const type = messageTypes[extra % messageTypes.length]!;
    const count = 1 + (Math.floor(extra / messageTypes.length) % Math.max(1, nodes.length - 1));
    const to = Array.from({ length: count }, (_, i) => nodes[(target + 1 + i) % nodes.length]!);
    const delay = extra % 3 === 0;
    const thenCrash = crashes && Math.floor(target / nodes.length) % 2 === 1;
    const mid = thenCrash ? at + Math.floor((end - at) / 2) : end;
    const fault: FaultOf<'targeted'> = { at, kind: 'targeted', type, to, untilUs: mid,
      ...(delay ? { action: 'delay', delayUs: 1_000 + (extra % 100) * 1_000 }
        : { action: 'drop' }), ...(thenCrash ? { from: [node] } : {}) };
    return thenCrash ? [fault, { at: mid, kind: 'crash', node },
      { at: end, kind: 'restart', node }] : [fault];
  },
};

type PartitionShape = Omit<FaultOf<'partition'>, 'at'>;

/**
 * Clients live in a data center and are cut with it: each client joins the side holding the
 * first node (in side order) of its DC; a client whose DC has no node in any side stays out.
 */
function withClients(e: EpisodeContext, sides: string[][]): string[][] {
  const sideOfDc = new Map<string, number>();
  sides.forEach((side, i) => side.forEach((n) => {
    const dc = e.dcOf.get(n)!;
    if (!sideOfDc.has(dc)) sideOfDc.set(dc, i);
  }));
  const out = sides.map((side) => [...side]);
  for (const c of e.clients) {
    const i = sideOfDc.get(e.dcOf.get(c)!);
    if (i !== undefined) out[i]!.push(c);
  }
  return out;
}

function partitionShape(e: EpisodeContext): PartitionShape {
  const { nodes, dcs } = e;
  const rotated = nodes.map((_, i) => nodes[(i + e.target) % nodes.length]!);
  const cut = 1 + (e.extra % Math.max(1, nodes.length - 1));
  const halves = withClients(e, [rotated.slice(0, cut), rotated.slice(cut)])
    .filter((side) => side.length > 0);
  const sides = (s: string[][]): PartitionShape =>
    ({ kind: 'partition', mode: 'sides', symmetry: 'symmetric', sides: s });
  switch (e.partitionMode) {
    case 'isolateSingle':
      return { kind: 'partition', mode: 'isolate', symmetry: 'symmetric', sides: [[rotated[0]!]] };
    case 'splitDc': {
      if (dcs.length < 2) return sides(halves);
      const first = dcs[e.target % dcs.length]!;
      return { kind: 'partition', mode: 'splitDc', symmetry: 'symmetric',
        sides: [[first], dcs.filter((d) => d !== first)] };
    }
    case 'bridge': {
      if (rotated.length < 3) return sides(halves);
      const [bridge, ...rest] = rotated;
      const mid = Math.ceil(rest.length / 2);
      return { kind: 'partition', mode: 'bridge', symmetry: 'symmetric',
        sides: [rest.slice(0, mid), rest.slice(mid), [bridge!]] };
    }
    case 'oneWay':
      return { kind: 'partition', mode: 'sides', symmetry: 'oneWay', sides: halves };
    case 'uniformSize':
      return sides(halves);
  }
}
