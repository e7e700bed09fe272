/**
 * Random fault schedules as fast-check arbitraries, so that generation is seeded and shrinking
 * comes for free. Swarm testing: each run first draws its own knobs (which fault kinds are on,
 * how many episodes, which partition shape, how lossy the network is), then a schedule under
 * them. A schedule is a list of episodes (fault + its end), which keeps shrinks meaningful:
 * removing an episode removes both its start and its heal.
 */
import fc from 'fast-check';
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
  /** Protocol parameters drawn for this trial (Protocol.swarmParams), or null. */
  readonly params: { readonly protocol: string; readonly values: { [k: string]: Json } } | null;
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
  });
  const vary = protocol?.swarmParams;
  if (protocol === undefined || vary === undefined) {
    return knobs.map((k) => ({ ...k, params: null }));
  }
  // One seed per trial draws every parameter, so a shrink keeps them together.
  return fc.tuple(knobs, fc.nat()).map(([k, seed]) => {
    const prng = createPrng(seed);
    const values = { ...vary((n) => prng.int(0, Math.max(0, n - 1))) };
    return { ...k, params: { protocol: protocol.name, values } };
  });
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

/** The scenario with the generated faults added to its own, in time order. */
export function applySchedule(scenario: Scenario, schedule: GeneratedSchedule): Scenario {
  const place = placeOf(scenario);
  const generated = schedule.episodes.flatMap((e) => episodeFaults(place, schedule.knobs, e));
  const faults = [...scenario.faults, ...generated].map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.at - b.f.at || a.i - b.i).map(({ f }) => f);
  const drawn = schedule.knobs.params;
  if (drawn === null) return { ...scenario, faults };
  const own = scenario.params[drawn.protocol] ?? {};
  return { ...scenario, faults,
    params: { ...scenario.params, [drawn.protocol]: { ...own, ...drawn.values } } };
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
    baseNetwork: p.network,
  });
}

/** The knobs as banner lines, printed next to the seed. */
export function describeKnobs(knobs: SwarmKnobs): Record<string, string | number> {
  return {
    kinds: knobs.kinds.join(','),
    maxEpisodes: knobs.maxEpisodes,
    partitionMode: knobs.partitionMode,
    minLengthPermille: knobs.minLengthPermille,
    loss: `${knobs.loss[0]}/${knobs.loss[1]}`,
    ...(knobs.params === null ? {} : { params: JSON.stringify(knobs.params.values) }),
  };
}
