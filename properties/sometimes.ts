/**
 * Non-vacuity ("sometimes" properties, as Stateright has them): events a scenario expects to
 * happen at least once over its runs, judged from the runs' observations. A scenario written
 * to exercise a checkpoint that never comes, or a leader change that never happens, passes
 * every "always" property vacuously; `sweep` and `explore` count these events per scenario and
 * flag an expected one that never happened (coverageGaps).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { buildWorld } from './opb-world.js';
import { numberParam } from './run-values.js';
import {
  catchUps, checkpoints, configurations, leaderships, loggings, majority,
} from './smart-observations.js';

/** The events a scenario may declare in `sometimes` (scenario schema @2). */
export const SOMETIMES_EVENTS = ['leader-change', 'migration', 'reconciliation', 'checkpoint',
  'state-transfer', 'epoch-reset', 'truncation', 'power-off'] as const;
export type SometimesEvent = (typeof SOMETIMES_EVENTS)[number];

export function isSometimesEvent(name: string): name is SometimesEvent {
  return (SOMETIMES_EVENTS as readonly string[]).includes(name);
}

type Detectors = { readonly [E in SometimesEvent]?: (run: RunRecord) => boolean };

/** SMART: each event from the facts that show it happened, not from a node's claim to it. */
const smart: Detectors = {
  // A second leader of one configuration (a first leader of a new one is a migration).
  'leader-change': (run) => {
    const seen = new Map<number, number>();
    return leaderships(run).some((o) => {
      const first = seen.get(o.data.config);
      if (first === undefined) seen.set(o.data.config, o.data.ballot);
      return first !== undefined && first !== o.data.ballot;
    });
  },
  // A successor configuration that a quorum of its members holds the starting state of.
  migration: (run) => {
    const { table } = configurations(run);
    const ckpts = checkpoints(run);
    return [...table.values()].some((c) => c.num > 1 && c.members.filter((m) => ckpts
      .some((o) => o.node === m && o.data.index >= c.first - 1)).length
      >= majority(c.members.length));
  },
  checkpoint: (run) => checkpoints(run).some((o) => o.data.transfer !== true && o.data.index > 0),
  // A full copy (a checkpoint adopted by transfer) or an incremental one (P1.6 step 5).
  'state-transfer': (run) => checkpoints(run).some((o) => o.data.transfer === true)
    || catchUps(run).length > 0,
  // A replica's log kept fewer entries than at its previous LOGGED, in one life of its node
  // (a restart may come back with a shorter log from disk): only truncation drops entries.
  truncation: (run) => {
    const held = new Map<string, number>();
    const facts = [...loggings(run), ...run.nodeEvents.filter((e) => e.kind === 'down')]
      .sort((a, b) => a.seq - b.seq);
    for (const f of facts) {
      if (!('data' in f)) {
        for (const key of [...held.keys()]) if (key.startsWith(`${f.node}/`)) held.delete(key);
        continue;
      }
      const key = `${f.node}/${f.data.config}`;
      const before = held.get(key);
      if (before !== undefined && f.data.held < before) return true;
      held.set(key, f.data.held);
    }
    return false;
  },
};

/** OPB: from its declared facts (opb-world.ts). */
const opb: Detectors = {
  // A second primary claim of one service after its first (a failover, handoff or reclaim).
  'leader-change': (run) => {
    const first = new Map<number, string>();
    return buildWorld(run).obs('opb.role').some((o) => {
      if (o.data.role !== 'primary') return false;
      const key = `${o.node}/${o.data.epoch}`;
      const prev = first.get(o.data.service);
      if (prev === undefined) first.set(o.data.service, key);
      return prev !== undefined && prev !== key;
    });
  },
  migration: (run) => buildWorld(run).obs('opb.move').some((o) => o.data.phase === 'done'),
  reconciliation: (run) => buildWorld(run).obs('opb.install').some((o) => o.data.reconciling),
  checkpoint: (run) => buildWorld(run).obs('opb.checkpoint').length > 0,
  'state-transfer': (run) => buildWorld(run).obs('opb.install').length > 0,
  'epoch-reset': (run) => buildWorld(run).obs('opb.epoch-reset').length > 0,
  // A replica whose log starts after a base has dropped its prefix.
  truncation: (run) => buildWorld(run).obs('opb.digest').some((o) => o.data.base > 0),
  // A node powered down to save energy (P2 reorganization (iii), gather and sleep): power saving
  // that never happens passes every other check (mutation #39 of seed 31 kept idle nodes awake).
  'power-off': (run) => longestSleep(run) > numberParam(run, 'hbUs', 50_000),
};

/**
 * The longest stretch any node stayed asleep: from its `opb.power` off to its next power fact,
 * crash or boot (the run's end if none). A sleep that ends at the node's next heartbeat tick
 * saves nothing: Stryker #1617 of the seed-41 sample woke every sleeping node at its tick, so
 * each slept 0 us on opb-diurnal (seconds unmutated), and every other check stayed green.
 */
export function longestSleep(run: RunRecord): number {
  const facts = [...buildWorld(run).obs('opb.power'),
    ...run.nodeEvents.filter((e) => e.kind === 'down' || e.kind === 'up')]
    .sort((a, b) => a.seq - b.seq);
  const since = new Map<string, number>();
  let longest = -1;
  const wake = (node: string, at: number): void => {
    const from = since.get(node);
    if (from !== undefined) longest = Math.max(longest, at - from);
    since.delete(node);
  };
  for (const f of facts) {
    wake(f.node, f.at);
    if ('data' in f && !f.data.on) since.set(f.node, f.at);
  }
  for (const node of [...since.keys()]) wake(node, run.endUs);
  return longest;
}

const byProtocol: { readonly [p: string]: Detectors } = { smart, opb };

/** The events this run shows, in SOMETIMES_EVENTS order (none for a protocol without detectors). */
export function happenedEvents(run: RunRecord): SometimesEvent[] {
  const d = byProtocol[run.protocol] ?? {};
  return SOMETIMES_EVENTS.filter((e) => d[e]?.(run) === true);
}

/** Whether the protocol can show `event` at all (else expecting it is a scenario mistake). */
export function detectable(protocol: string, event: SometimesEvent): boolean {
  return byProtocol[protocol]?.[event] !== undefined;
}

export interface CoverageRow {
  readonly event: SometimesEvent;
  /** Runs in which it happened. */
  readonly runs: number;
  readonly expected: boolean;
}

/**
 * Per event, in how many of `happened` (one list per run) it occurred, and whether expected:
 * an event `protocol` cannot show (OPB's reconciliation on SMART) is not expected of it.
 */
export function coverage(happened: readonly (readonly string[])[],
  expected: readonly string[], protocol: string): CoverageRow[] {
  return SOMETIMES_EVENTS.map((event) => ({ event,
    expected: expected.includes(event) && detectable(protocol, event),
    runs: happened.filter((h) => h.includes(event)).length }));
}

/** The coverage table's rows as text cells (event, runs, expected, flag). */
export function coverageCells(rows: readonly CoverageRow[], total: number): string[][] {
  return rows.filter((r) => r.expected || r.runs > 0).map((r) => [r.event, `${r.runs}/${total}`,
    r.expected ? 'yes' : '', r.expected && r.runs === 0 ? 'NEVER HAPPENED' : '']);
}

/** The expected events that never happened (the vacuity flags). */
export function coverageGaps(rows: readonly CoverageRow[]): SometimesEvent[] {
  return rows.filter((r) => r.expected && r.runs === 0).map((r) => r.event);
}
