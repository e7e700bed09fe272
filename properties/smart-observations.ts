/**
 * Parsing of SMART's declared observation hooks (the `observe` effects of protocol/smart/) into
 * typed records. Properties read only these and the history, never protocol internals.
 */
import type { Json } from '../protocol/types.js';
import type { Observation, RunRecord } from '../simulator/run-record.js';
import { verdictOf, type Verdict } from './types.js';

type Rec = { readonly [k: string]: Json };

function rec(data: Json): Rec {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(
    'malformed observation');
  return data as Rec;
}

function int(r: Rec, k: string): number {
  const v = r[k];
  if (typeof v !== 'number') throw new Error(`observation field ${k} is not a number`);
  return v;
}

function str(r: Rec, k: string): string {
  const v = r[k];
  if (typeof v !== 'string') throw new Error(`observation field ${k} is not a string`);
  return v;
}

export interface Obs<T> {
  readonly at: number;
  readonly node: string;
  /** Position in the run's observations (trace order): breaks ties between equal times. */
  readonly seq: number;
  readonly v: T;
}

function pick<T>(run: RunRecord, label: string, parse: (r: Rec) => T): Obs<T>[] {
  const out: Obs<T>[] = [];
  const all = run.observations as readonly Observation[];
  for (let seq = 0; seq < all.length; seq++) {
    const o = all[seq]!;
    if (o.label === label) out.push({ at: o.at, node: o.node, seq, v: parse(rec(o.data)) });
  }
  return out;
}

export const proposals = (run: RunRecord): Obs<{ c: number; b: number; s: number; v: string;
  x: number; st: number }>[] =>
  pick(run, 'propose', (r) => ({ c: int(r, 'c'), b: int(r, 'b'), s: int(r, 's'), v: str(r, 'v'),
    x: int(r, 'x'), st: int(r, 'st') }));

export const decisions = (run: RunRecord): Obs<{ c: number; s: number; v: string }>[] =>
  pick(run, 'decide', (r) => ({ c: int(r, 'c'), s: int(r, 's'), v: str(r, 'v') }));

export const applies = (run: RunRecord): Obs<{ s: number; c: string; q: number }>[] =>
  pick(run, 'apply', (r) => ({ s: int(r, 's'), c: str(r, 'c'), q: int(r, 'q') }));

export const checkpoints = (run: RunRecord): Obs<{ i: number; h: string }>[] =>
  pick(run, 'ckpt', (r) => ({ i: int(r, 'i'), h: str(r, 'h') }));

export const retirements = (run: RunRecord): Obs<{ cfg: number; why: string }>[] =>
  pick(run, 'retire', (r) => ({ cfg: int(r, 'cfg'), why: str(r, 'why') }));

export const defuncts = (run: RunRecord): Obs<{ d: number }>[] => pick(run, 'defunct',
  (r) => ({ d: int(r, 'd') }));

export const replicaStarts = (run: RunRecord): Obs<{ cfg: number }>[] =>
  pick(run, 'replica', (r) => ({ cfg: int(r, 'cfg') }));

export const leaderships = (run: RunRecord): Obs<{ c: number; a: number; ml: number }>[] =>
  pick(run, 'leader', (r) => ({ c: int(r, 'c'), a: int(r, 'a'), ml: int(r, 'ml') }));

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
  for (const o of pick(run, 'cfg', (r) => r)) {
    const members = (o.v['members'] as readonly Json[]).map(String);
    const info: CfgInfo = { num: int(o.v, 'num'), members, first: int(o.v, 'first') };
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
