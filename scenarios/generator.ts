/**
 * Random fault schedules as fast-check arbitraries, so that generation is seeded and shrinking
 * comes for free. Swarm testing: each run first draws its own knobs (which fault kinds are on,
 * how many episodes, which partition shape, how lossy the network is), then a schedule under
 * them. A schedule is a list of episodes (fault + its end), which keeps shrinks meaningful:
 * removing an episode removes both its start and its heal.
 */
import fc from 'fast-check';
import { findProtocol } from '../protocol/registry.js';
import type { AnyProtocol, FaultKind, Json } from '../protocol/types.js';
import type { FaultEvent, Ratio, Scenario } from '../simulator/config.js';
import { createPrng } from '../simulator/prng.js';
import { buildEndpoints } from '../simulator/topology.js';
import {
  swarmDraws, swarmPartitionModes as partitionModes, type SwarmPartitionMode as PartitionMode,
} from '../simulator/faults/kinds.js';

export type { FaultKind };
/** Every kind explore can draw, in the fault table's order. */
export const faultKinds = Object.keys(swarmDraws) as FaultKind[];

export interface SwarmKnobs {
  readonly kinds: readonly FaultKind[];
  readonly maxEpisodes: number;
  readonly partitionMode: PartitionMode;
  /** Shortest fault episode, against flapping, in permille of the fault window. */
  readonly minLengthPermille: number;
  readonly loss: Ratio;
  /** PCT delivery priorities for the trial (network.pct), or null for none. */
  readonly pct: { readonly depth: number; readonly holdUs: number } | null;
  /** What the trial draws for its protocol (parameters, replica-set size, a migration). */
  readonly params: ProtocolKnobs | null;
}

/**
 * The protocol's own swarm draws. Parameter values are drawn when the schedule is applied to a
 * scenario, because they may depend on the replica-set size its topology allows.
 */
export interface ProtocolKnobs {
  readonly protocol: string;
  /** Seeds Protocol.swarmParams's draws (one seed, so a shrink keeps them together). */
  readonly seed: number;
  /** Size of the initial replica set (Protocol.swarmReplicas), or null for the scenario's. */
  readonly replicas: number | null;
  /** A migration (Protocol.swarmMigration): when, to how many nodes, from which offset. */
  readonly migration: { readonly atPermille: number; readonly size: number;
    readonly offset: number } | null;
  /** The protocol's message type names, for targeted faults. */
  readonly messageTypes: readonly string[];
}

export interface Episode {
  readonly kind: FaultKind;
  readonly startPermille: number;
  readonly lengthPermille: number;
  readonly target: number;
  readonly extra: number;
}

export function knobsArb(allowed: readonly FaultKind[] = faultKinds,
  protocol?: AnyProtocol): fc.Arbitrary<SwarmKnobs> {
  const knobs = fc.record({
    kinds: fc.subarray([...allowed], { minLength: 1 }),
    maxEpisodes: fc.integer({ min: 1, max: 8 }),
    partitionMode: fc.constantFrom(...partitionModes),
    minLengthPermille: fc.integer({ min: 10, max: 200 }),
    loss: fc.integer({ min: 1, max: 20 }).map((n): Ratio => [n, 100]),
    // Half the trials shape delivery with PCT priorities of depth 1..4 (0..3 change points).
    pct: fc.option(fc.record({ depth: fc.integer({ min: 1, max: 4 }),
      holdUs: fc.constantFrom(250, 1_000, 4_000) }), { nil: null, freq: 2 }),
  });
  const own = protocol === undefined ? null : protocolKnobsArb(protocol);
  if (own === null) return knobs.map((k) => ({ ...k, params: null }));
  return fc.tuple(knobs, own).map(([k, params]) => ({ ...k, params }));
}

function protocolKnobsArb(protocol: AnyProtocol): fc.Arbitrary<ProtocolKnobs> | null {
  const sizes = protocol.swarmReplicas;
  if (protocol.swarmParams === undefined && sizes === undefined
    && protocol.messageTypes === undefined) return null;
  const size = sizes === undefined ? fc.constant(null)
    : fc.integer({ min: sizes[0], max: sizes[1] });
  const migration = sizes === undefined || protocol.swarmMigration === undefined
    ? fc.constant(null)
    : fc.option(fc.record({ atPermille: fc.integer({ min: 50, max: 800 }),
      size: fc.integer({ min: sizes[0], max: sizes[1] }), offset: fc.nat({ max: 1_000 }) }),
    { nil: null, freq: 2 });
  return fc.record({ seed: fc.nat(), replicas: size, migration }).map((k) => ({
    protocol: protocol.name, ...k, messageTypes: protocol.messageTypes ?? [] }));
}

export function episodesArb(knobs: SwarmKnobs): fc.Arbitrary<Episode[]> {
  const episode = fc.record({
    kind: fc.constantFrom(...knobs.kinds),
    startPermille: fc.integer({ min: 0, max: 950 }),
    lengthPermille: fc.integer({ min: knobs.minLengthPermille, max: 600 }),
    target: fc.nat({ max: 1_000 }),
    extra: fc.nat({ max: 1_000 }),
  });
  return fc.array(episode, { maxLength: knobs.maxEpisodes });
}

export interface GeneratedSchedule {
  readonly knobs: SwarmKnobs;
  readonly episodes: readonly Episode[];
}

export function scheduleArb(allowed?: readonly FaultKind[],
  protocol?: AnyProtocol): fc.Arbitrary<GeneratedSchedule> {
  return knobsArb(allowed, protocol)
    .chain((knobs) => episodesArb(knobs).map((episodes) => ({ knobs, episodes })));
}

/**
 * The scenario with the trial's draws applied: its replica set resized, the drawn parameters
 * over its own, PCT priorities, and the generated faults (and migration) added to its own, in
 * time order.
 */
export function applySchedule(scenario: Scenario, schedule: GeneratedSchedule): Scenario {
  const { knobs } = schedule;
  const place = placeOf(scenario);
  const drawn = knobs.params === null ? null : protocolDraws(scenario, knobs.params);
  const generated = schedule.episodes.flatMap((e) => episodeFaults(place, knobs, e));
  if (drawn?.migration) generated.push(drawn.migration);
  const faults = [...scenario.faults, ...generated].map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.at - b.f.at || a.i - b.i).map(({ f }) => f);
  const network = knobs.pct === null ? scenario.network : { ...scenario.network, pct: knobs.pct };
  if (drawn === null) return { ...scenario, faults, network };
  const name = knobs.params!.protocol;
  const own = scenario.params[name] ?? {};
  return { ...scenario, faults, network,
    topology: { ...scenario.topology, replicas: drawn.replicas },
    params: { ...scenario.params, [name]: { ...own, ...drawn.values } } };
}

interface ProtocolDraws {
  readonly replicas: readonly string[];
  readonly values: { readonly [k: string]: Json };
  readonly migration: FaultEvent | null;
}

/** The protocol's draws against one scenario: what applySchedule applies and the banner shows. */
function protocolDraws(scenario: Scenario, k: ProtocolKnobs): ProtocolDraws {
  const protocol = findProtocol(k.protocol);
  const candidates = replicaCandidates(scenario, protocol);
  const replicas = k.replicas === null ? scenario.topology.replicas
    : resize(scenario, candidates, Math.min(k.replicas, candidates.length));
  const prng = createPrng(k.seed);
  const draw = (n: number): number => prng.int(0, Math.max(0, n - 1));
  const values = protocol?.swarmParams === undefined ? {}
    : { ...protocol.swarmParams(draw, replicas.length) };
  const m = k.migration;
  const migrate = protocol?.swarmMigration;
  if (m === null || migrate === undefined) return { replicas, values, migration: null };
  const size = Math.min(m.size, candidates.length);
  const members = Array.from({ length: size },
    (_, i) => candidates[(m.offset + i) % candidates.length]!);
  const at = Math.floor((scenario.durationUs * m.atPermille) / 1000);
  const command = migrate.call(protocol, members, `x${at}`);
  return { replicas, values,
    migration: { at, kind: 'operator', node: '*', name: command.name, args: command.args } };
}

/** Nodes that may hold a replica: every node but the protocol's directory node, if any. */
function replicaCandidates(scenario: Scenario, protocol: AnyProtocol | undefined): string[] {
  const key = protocol?.client.directoryParam;
  const dir = key === undefined ? null
    : (scenario.params[protocol!.name]?.[key] ?? protocol!.defaults[key] ?? null);
  return scenario.topology.nodes.map((n) => n.id).filter((id) => id !== dir);
}

/**
 * The scenario's replica set cut or grown to `size`: it keeps its own members first; new ones
 * come in topology order, from data centers the set does not use yet first.
 */
function resize(scenario: Scenario, candidates: readonly string[], size: number): string[] {
  const own = scenario.topology.replicas.filter((r) => candidates.includes(r));
  if (size <= own.length) return own.slice(0, size);
  const dcOf = new Map(scenario.topology.nodes.map((n) => [n.id, n.dc]));
  const out = [...own];
  for (const freshDc of [true, false]) {
    for (const id of candidates) {
      if (out.length >= size) break;
      const used = new Set(out.map((r) => dcOf.get(r)));
      if (!out.includes(id) && (!freshDc || !used.has(dcOf.get(id)))) out.push(id);
    }
  }
  return out;
}

/** What every episode of one scenario draws against: its endpoints and their data centers. */
interface Place {
  readonly window: number;
  readonly nodes: readonly string[];
  readonly clients: readonly string[];
  readonly dcs: readonly string[];
  readonly dcOf: ReadonlyMap<string, string>;
  readonly network: Scenario['network'];
}

function placeOf(s: Scenario): Place {
  const ep = buildEndpoints(s);
  return {
    window: s.durationUs, nodes: ep.names.slice(0, ep.nodeCount),
    clients: ep.names.slice(ep.nodeCount), dcs: s.topology.dcs.map((d) => d.name),
    dcOf: new Map(ep.names.map((n, i) => [n, ep.dcOf[i]!])), network: s.network,
  };
}

function episodeFaults(p: Place, knobs: SwarmKnobs, e: Episode): FaultEvent[] {
  const at = Math.floor((p.window * e.startPermille) / 1000);
  const end = Math.min(p.window - 1,
    at + Math.max(1, Math.floor((p.window * e.lengthPermille) / 1000)));
  return swarmDraws[e.kind]({
    at, end, nodes: p.nodes, dcs: p.dcs, dcOf: p.dcOf, clients: p.clients,
    node: p.nodes[e.target % p.nodes.length]!,
    target: e.target, extra: e.extra, partitionMode: knobs.partitionMode, loss: knobs.loss,
    baseNetwork: p.network, messageTypes: knobs.params?.messageTypes ?? [],
    crashes: knobs.kinds.includes('crash'),
  });
}

/** The knobs as banner lines, printed next to the seed (values as drawn for `scenario`). */
export function describeKnobs(knobs: SwarmKnobs,
  scenario: Scenario): Record<string, string | number> {
  const drawn = knobs.params === null ? null : protocolDraws(scenario, knobs.params);
  return {
    kinds: knobs.kinds.join(','),
    maxEpisodes: knobs.maxEpisodes,
    partitionMode: knobs.partitionMode,
    minLengthPermille: knobs.minLengthPermille,
    loss: `${knobs.loss[0]}/${knobs.loss[1]}`,
    ...(knobs.pct === null ? {} : { pct: `depth=${knobs.pct.depth} hold=${knobs.pct.holdUs}us` }),
    ...(drawn === null ? {} : {
      replicas: drawn.replicas.join(','),
      ...(Object.keys(drawn.values).length === 0 ? {}
        : { params: JSON.stringify(drawn.values) }),
      ...(drawn.migration === null ? {}
        : { migration: `t=${drawn.migration.at}us ${JSON.stringify(
          (drawn.migration as { args?: Json }).args ?? null)}` }),
    }),
  };
}
