/**
 * Random fault schedules as fast-check arbitraries, so that generation is seeded and shrinking
 * comes for free. Swarm testing: each run first draws its own knobs (which fault kinds are on,
 * how many episodes, which partition shape, how lossy the network is), then a schedule under
 * them. A schedule is a list of episodes (fault + its end), which keeps shrinks meaningful:
 * removing an episode removes both its start and its heal.
 */
import fc from 'fast-check';
import type { FaultEvent, Ratio, Scenario } from '../simulator/config.js';

export const faultKinds = ['crash', 'partition', 'pause', 'clog', 'skew', 'slow', 'lossy',
  'amnesia'] as const;
export type FaultKind = (typeof faultKinds)[number];
export const partitionModes = ['uniformSize', 'isolateSingle', 'splitDc', 'bridge',
  'oneWay'] as const;
export type PartitionMode = (typeof partitionModes)[number];

export interface SwarmKnobs {
  readonly kinds: readonly FaultKind[];
  readonly maxEpisodes: number;
  readonly partitionMode: PartitionMode;
  /** Shortest fault episode, against flapping, in permille of the fault window. */
  readonly minLengthPermille: number;
  readonly loss: Ratio;
}

export interface Episode {
  readonly kind: FaultKind;
  readonly startPermille: number;
  readonly lengthPermille: number;
  readonly target: number;
  readonly extra: number;
}

export function knobsArb(allowed: readonly FaultKind[] = faultKinds): fc.Arbitrary<SwarmKnobs> {
  return fc.record({
    kinds: fc.subarray([...allowed], { minLength: 1 }),
    maxEpisodes: fc.integer({ min: 1, max: 8 }),
    partitionMode: fc.constantFrom(...partitionModes),
    minLengthPermille: fc.integer({ min: 10, max: 200 }),
    loss: fc.integer({ min: 1, max: 20 }).map((n): Ratio => [n, 100]),
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

export function scheduleArb(allowed?: readonly FaultKind[]): fc.Arbitrary<GeneratedSchedule> {
  return knobsArb(allowed)
    .chain((knobs) => episodesArb(knobs).map((episodes) => ({ knobs, episodes })));
}

/** The scenario with the generated faults added to its own, in time order. */
export function applySchedule(scenario: Scenario, schedule: GeneratedSchedule): Scenario {
  const generated = schedule.episodes.flatMap((e) => episodeFaults(scenario, schedule.knobs, e));
  const faults = [...scenario.faults, ...generated].map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.at - b.f.at || a.i - b.i).map(({ f }) => f);
  return { ...scenario, faults };
}

function episodeFaults(s: Scenario, knobs: SwarmKnobs, e: Episode): FaultEvent[] {
  const window = s.durationUs;
  const at = Math.floor((window * e.startPermille) / 1000);
  const end = Math.min(window - 1,
    at + Math.max(1, Math.floor((window * e.lengthPermille) / 1000)));
  const nodes = s.topology.nodes.map((n) => n.id);
  const node = nodes[e.target % nodes.length]!;
  switch (e.kind) {
    case 'crash':
      return [{ at, kind: 'crash', node }, { at: end, kind: 'restart', node }];
    case 'amnesia':
      return [{ at, kind: 'crash', node }, { at: end, kind: 'restart', node, amnesia: true }];
    case 'pause':
      return [{ at, kind: 'pause', node }, { at: end, kind: 'resume', node }];
    case 'slow':
      return [{ at, kind: 'slow', node, delayUs: 1 + e.extra * 50 },
        { at: end, kind: 'slow', node, delayUs: 0 }];
    case 'skew':
      return [{ at, kind: 'skew', node, offsetUs: (e.extra - 500) * 100,
        ratePpm: (e.extra - 500) * 200 },
        { at: end, kind: 'skew', node, offsetUs: 0, ratePpm: 0 }];
    case 'clog': {
      const other =
        nodes[(e.target + 1 + (e.extra % Math.max(1, nodes.length - 1))) % nodes.length]!;
      return [{ at, kind: 'clog', from: node, to: other, delayUs: 1_000 + e.extra * 100 },
        { at: end, kind: 'clog', from: node, to: other, delayUs: 0 }];
    }
    case 'lossy':
      return [{ at, kind: 'network', loss: knobs.loss, dup: [e.extra % 10, 100] },
        { at: end, kind: 'network', loss: s.network.loss, dup: s.network.dup }];
    case 'partition': {
      const id = `g${at}.${e.target}`;
      return [{ at, ...partitionShape(s, knobs.partitionMode, e), id },
        { at: end, kind: 'heal', id }];
    }
  }
}

type PartitionFault = Omit<Extract<FaultEvent, { kind: 'partition' }>, 'at'>;

function partitionShape(s: Scenario, mode: PartitionMode, e: Episode): PartitionFault {
  const nodes = s.topology.nodes.map((n) => n.id);
  const rotated = nodes.map((_, i) => nodes[(i + e.target) % nodes.length]!);
  const cut = 1 + (e.extra % Math.max(1, nodes.length - 1));
  const halves = [rotated.slice(0, cut), rotated.slice(cut)].filter((side) => side.length > 0);
  switch (mode) {
    case 'isolateSingle':
      return { kind: 'partition', mode: 'isolate', symmetry: 'symmetric', sides: [[rotated[0]!]] };
    case 'splitDc': {
      const dcs = s.topology.dcs.map((d) => d.name);
      if (dcs.length < 2) return { kind: 'partition', mode: 'sides', symmetry: 'symmetric',
        sides: halves };
      const first = dcs[e.target % dcs.length]!;
      return { kind: 'partition', mode: 'splitDc', symmetry: 'symmetric',
        sides: [[first], dcs.filter((d) => d !== first)] };
    }
    case 'bridge': {
      if (rotated.length < 3) return { kind: 'partition', mode: 'sides', symmetry: 'symmetric',
        sides: halves };
      const [bridge, ...rest] = rotated;
      const mid = Math.ceil(rest.length / 2);
      return { kind: 'partition', mode: 'bridge', symmetry: 'symmetric',
        sides: [rest.slice(0, mid), rest.slice(mid), [bridge!]] };
    }
    case 'oneWay':
      return { kind: 'partition', mode: 'sides', symmetry: 'oneWay', sides: halves };
    case 'uniformSize':
      return { kind: 'partition', mode: 'sides', symmetry: 'symmetric', sides: halves };
  }
}

/** The knobs as banner lines, printed next to the seed. */
export function describeKnobs(knobs: SwarmKnobs): Record<string, string | number> {
  return {
    kinds: knobs.kinds.join(','),
    maxEpisodes: knobs.maxEpisodes,
    partitionMode: knobs.partitionMode,
    minLengthPermille: knobs.minLengthPermille,
    loss: `${knobs.loss[0]}/${knobs.loss[1]}`,
  };
}
