/**
 * SMART's declared observations (protocol/smart/observations.ts), read typed and checked by
 * `reader`, plus the configuration table the checks share. Properties read only these and the
 * history, never protocol internals.
 */
import type { SmartObservation } from '../protocol/smart/observations.js';
import type { RunRecord } from '../simulator/run-record.js';
import { onceEach } from './memo.js';
import {
  COMMON_FIELDS, COMMON_VALUES, readCommon, reader, type Observed,
} from './observed.js';
import { pushTo, stepTime } from './run-values.js';
import { SlotTable } from './slot-table.js';
import { verdictOf, type Verdict } from './types.js';

const read = reader<SmartObservation>({
  ...COMMON_FIELDS,
  elect: { config: 'number', ballot: 'number' },
  leader: { config: 'number', ballot: 'number', start: 'number', pollMax: 'number',
    alpha: 'number', maxLogSize: 'number' },
  propose: { config: 'number', ballot: 'number', slot: 'number', command: 'string',
    executed: 'number', stable: 'number' },
  decide: { config: 'number', slot: 'number', command: 'string', ballot: 'number' },
  apply: { slot: 'number', client: 'string', seq: 'number' },
  logged: { config: 'number', ballot: 'number', slot: 'number', command: 'string',
    held: 'number' },
  exec: { slot: 'number', command: 'string', store: 'string' },
  cfg: { config: 'number', members: 'array', first: 'number', createdBy: 'number',
    slot: 'number' },
  ckpt: { index: 'number', digest: 'string', configs: 'array' },
  catchUp: { config: 'number', first: 'number', last: 'number' },
  replica: { config: 'number', first: 'number' },
  finished: { config: 'number', last: 'number' },
  retire: { config: 'number', why: 'string', executed: 'number' },
  defunct: { config: 'number' },
  migrateRequested: { id: 'string', members: 'array' },
}, true, {
  ...COMMON_VALUES,
  // A `logged` fact describes the log after it logged the slot, so `held` counts that entry
  // (Stryker #7306 of the seed-52 sample never raised the log's size on an add, and every fact
  // reported 0, or less after a truncation, unseen).
  logged: (d) => (d.held >= 1 ? null
    : `held ${d.held} does not count the entry it logged (slot ${d.slot})`),
});

type Of<L extends SmartObservation['label']> = readonly Observed<
  Extract<SmartObservation, { readonly label: L }>['data']>[];

export const proposals = (run: RunRecord): Of<'propose'> => read(run, 'propose');
export const decisions = (run: RunRecord): Of<'decide'> => read(run, 'decide');
export const applies = (run: RunRecord): Of<'apply'> => read(run, 'apply');
export const checkpoints = (run: RunRecord): Of<'ckpt'> => read(run, 'ckpt');
export const catchUps = (run: RunRecord): Of<'catchUp'> => read(run, 'catchUp');
export const retirements = (run: RunRecord): Of<'retire'> => read(run, 'retire');
export const defuncts = (run: RunRecord): Of<'defunct'> => read(run, 'defunct');
export const replicaStarts = (run: RunRecord): Of<'replica'> => read(run, 'replica');
export const leaderships = (run: RunRecord): Of<'leader'> => read(run, 'leader');
export const elections = (run: RunRecord): Of<'elect'> => read(run, 'elect');
export const loggings = (run: RunRecord): Of<'logged'> => read(run, 'logged');
export const executions = (run: RunRecord): Of<'exec'> => read(run, 'exec');
export const cfgFacts = (run: RunRecord): Of<'cfg'> => read(run, 'cfg');
export const finishes = (run: RunRecord): Of<'finished'> => read(run, 'finished');

/** When the step that made a fact ran (run-values.ts); SMART's checks import it from here. */
export { stepTime } from './run-values.js';

/** The commands proposed for one (configuration, ballot) of a slot, in trace order. */
export interface ProposalGroup {
  readonly config: number;
  readonly ballot: number;
  /** Every proposal's command, repeats included, in the order the facts were recorded. */
  readonly commands: string[];
  /** The next (configuration, ballot) proposed for the same slot, in order of first proposal. */
  next: ProposalGroup | undefined;
}

/**
 * The run's proposals grouped by (configuration, ballot, slot), built once for the checks that
 * ask what a ballot proposed (S4, smart-logged-proposal): a text key per fact cost more than
 * those checks' own work.
 */
export const proposalGroups = onceEach((run: RunRecord): {
  readonly bySlot: SlotTable<ProposalGroup>;
  /** How many distinct (configuration, ballot, slot). */
  readonly count: number;
  /** Some (configuration, ballot, slot) was proposed with two different commands. */
  readonly mixed: boolean;
} => {
  const bySlot = new SlotTable<ProposalGroup>();
  let count = 0;
  let mixed = false;
  for (let ix = 0, xs = proposals(run); ix < xs.length; ix++) {
    const o = xs[ix]!;
    const { config, ballot, slot, command } = o.data;
    let g = bySlot.get(slot);
    let last: ProposalGroup | undefined;
    while (g !== undefined && (g.config !== config || g.ballot !== ballot)) {
      last = g;
      g = g.next;
    }
    if (g !== undefined) {
      if (command !== g.commands[0]) mixed = true;
      g.commands.push(command);
      continue;
    }
    const made: ProposalGroup = { config, ballot, commands: [command], next: undefined };
    count++;
    if (last === undefined) bySlot.set(slot, made);
    else last.next = made;
  }
  return { bySlot, count, mixed };
});

/** The group of (config, ballot, slot) in `groups`, or undefined when nothing was proposed. */
export function proposalGroup(groups: SlotTable<ProposalGroup>, config: number, ballot: number,
  slot: number): ProposalGroup | undefined {
  for (let g = groups.get(slot); g !== undefined; g = g.next) {
    if (g.config === config && g.ballot === ballot) return g;
  }
  return undefined;
}

export interface CfgInfo {
  readonly num: number;
  readonly members: readonly string[];
  readonly first: number;
}

/** Configurations created by executed MIGRATEs, plus configuration 1 from the run's replicas. */
export function configurations(run: RunRecord): { table: Map<number, CfgInfo>;
  conflict: string | null } {
  const table = new Map<number, CfgInfo>([[1, { num: 1, members: run.replicas, first: 1 }]]);
  let conflict: string | null = null;
  for (const o of read(run, 'cfg')) {
    const members = o.data.members;
    const info: CfgInfo = { num: o.data.config, members, first: o.data.first };
    const known = table.get(info.num);
    if (known === undefined) table.set(info.num, info);
    else if (conflict === null
      && (known.first !== info.first || known.members.join(',') !== members.join(','))) {
      conflict =
        `configuration ${info.num} created as first=${known.first} [${known.members.join(',')}] ` +
        `and as first=${info.first} [${members.join(',')}] (${o.node} t=${o.at}us)`;
    }
  }
  return { table, conflict };
}

/** LastSlot of a configuration: its successor's FirstSlot − 1, or null for the newest one. */
export function lastSlot(table: ReadonlyMap<number, CfgInfo>, cfg: number): number | null {
  const next = table.get(cfg + 1);
  return next === undefined ? null : next.first - 1;
}

/** The newest configuration (configuration 1 is always there). */
export function newestConfig(table: ReadonlyMap<number, CfgInfo>): CfgInfo {
  return table.get(Math.max(...table.keys()))!;
}

export function majority(size: number): number {
  return Math.floor(size / 2) + 1;
}

/** SMART's checks stop at their first problem: these name it, or pass, through `verdictOf`. */
export function pass(property: string, message: string, measures?: Verdict['measures']): Verdict {
  return verdictOf(property, [], measures, message);
}

export function fail(property: string, message: string): Verdict {
  return verdictOf(property, [message], undefined, '');
}

export function skip(property: string, message: string): Verdict {
  return { property, status: 'skip', message };
}

/**
 * When each node led each configuration: from a `role: leader` fact to its next or a bounce.
 * A bounce at the fact's own instant ends the span there (empty): which came first within one
 * instant is not recorded, so that instant is not judged (bouncedBetween's closed interval, as
 * one precomputed end per span: smart-leader-answers reads it once per executed slot).
 */
export function leadingSpans(run: RunRecord):
  Map<string, { cfg: number; from: number; to: number }[]> {
  const facts = readCommon(run, 'role').map((o) => ({ node: o.node, group: o.data.group,
    leader: o.data.role === 'leader', at: stepTime(o) })).sort((a, b) => a.at - b.at);
  const ends = new Map<string, number[]>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'down' || e.kind === 'up') pushTo(ends, e.node, e.at);
  }
  const spans = new Map<string, { cfg: number; from: number; to: number }[]>();
  facts.forEach((f, i) => {
    const cfg = Number(/^config (\d+)$/.exec(f.group)?.[1]);
    if (!f.leader || !Number.isInteger(cfg)) return;
    const next = facts.slice(i + 1).find((g) => g.node === f.node && g.group === f.group);
    const bounce = (ends.get(f.node) ?? []).find((b) => b >= f.at);
    const to = Math.min(next?.at ?? Infinity, bounce ?? Infinity);
    pushTo(spans, f.node, { cfg, from: f.at, to });
  });
  return spans;
}
