/**
 * Observations read with the type their protocol declared for each label (the unions in
 * protocol/<name>/observations.ts, imported type-only). The simulator keeps observation data
 * as `Json`; a reader checks each observation once against a field table that the compiler
 * holds to the declared union (every required field, with its JSON kind), so a malformed
 * observation stops the check with its label, node and time instead of being read as a default.
 */
import type { CommonObservation } from '../protocol/types.js';
import type { Observation, RunRecord } from '../simulator/run-record.js';
import { onceEach } from './memo.js';

type Labelled = { readonly label: string; readonly data: unknown };

/** The data `O` declares for `L`. */
export type DataOf<O extends Labelled, L extends O['label']> =
  Extract<O, { readonly label: L }>['data'];

/** An observation whose data has its declared type. */
export interface Observed<D> {
  readonly at: number;
  readonly seq: number;
  readonly node: string;
  readonly label: string;
  readonly data: D;
  /** When the step that observed it ran, if before `at` (it waited for a disk write). */
  readonly stepAt?: number;
  /** The number of the node step that observed it (Observation.step). */
  readonly step?: number;
}

type RequiredKey<D> = { [K in keyof D]-?: object extends Pick<D, K> ? never : K }[keyof D];

type Kind<T> = [T] extends [number] ? 'number' : [T] extends [string] ? 'string'
  : [T] extends [boolean] ? 'boolean' : [T] extends [readonly unknown[]] ? 'array' : 'present';

/** Per label, every required field of its data and the JSON kind the reader checks. */
export type FieldTable<O extends Labelled> = {
  readonly [L in O['label']]: { readonly [K in RequiredKey<DataOf<O, L>>]: Kind<DataOf<O, L>[K]> };
};

function fits(value: unknown, kind: string): boolean {
  switch (kind) {
    case 'array': return Array.isArray(value);
    case 'present': return value !== undefined;
    default: return typeof value === kind;
  }
}

/** Throws (with label, node and time) unless `o.data` has every field `fields` requires. */
function check(o: Observation, fields: readonly (readonly [string, string])[]): void {
  const d = o.data;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    throw new Error(`malformed ${where(o)}: data is not an object`);
  }
  const rec = d as { readonly [k: string]: unknown };
  for (let i = 0; i < fields.length; i++) {
    const [field, kind] = fields[i]!;
    if (!fits(rec[field], kind)) {
      throw new Error(`malformed ${where(o)}: ${field} is not a ${kind}`);
    }
  }
}

/**
 * `check` compiled for one label's fields: a loop over a list of that label's observations,
 * from `from`, testing each field by name; the index of the first that fails, or -1. The
 * generic loop reads a field named by a variable, a lookup slower than the checks that use the
 * facts; this compiles it to reads by literal name, once per label. The code is built only from
 * the compile-time field table (names JSON-quoted, kinds from a closed list); at a failing index
 * the generic `check` runs to name the first bad field, so errors read exactly as before.
 * Kept over a plain loop because it pays: reading SMART's seven main labels of a standard 10 s
 * run (89k facts) took 20-22 ms CPU (median) with a loop over `d[name]`, 10-13 ms with a
 * compiled test per fact. The loop itself is compiled too (one per label, so its reads see one
 * data shape): a call per fact to a test shared by every label's loop cost more than the test.
 */
function compiled(fields: readonly (readonly [string, string])[]):
  (list: readonly Observation[], from: number) => number {
  const tests = fields.map(([field, kind]) => {
    const at = `d[${JSON.stringify(field)}]`;
    switch (kind) {
      case 'array': return `Array.isArray(${at})`;
      case 'present': return `${at} !== undefined`;
      case 'number': case 'string': case 'boolean': return `typeof ${at} === '${kind}'`;
      default: throw new Error(`unknown field kind ${kind}`);
    }
  });
  const ok = tests.length === 0 ? 'true' : tests.join(' && ');
  return new Function('list', 'from', `for (let i = from; i < list.length; i++) {
    const d = list[i].data;
    if (d === null || typeof d !== 'object' || Array.isArray(d) || !(${ok})) return i;
  }
  return -1;`) as (list: readonly Observation[], from: number) => number;
}

/** Built only for an error: building it for every observation checked cost as much as a check. */
function where(o: Observation): string {
  return `${o.label} observation of ${o.node} at t=${o.at}us`;
}

/** The run's observations by label, and how the whole list is ordered. */
interface Grouped {
  readonly groups: ReadonlyMap<string, readonly Observation[]>;
  /** Every `seq` above the one before it (every simulated run's record). */
  readonly seqIncreasing: boolean;
  /** No `at` below the one before it (every simulated run's record). */
  readonly atNondecreasing: boolean;
}

/**
 * The run's observations grouped by label, in run order, in one pass shared by every reader:
 * a filter per label read (a dozen labels, each scanning all of them) cost more than the checks.
 * The same pass notes the list's order, so that checks needing it do not walk it again.
 */
const grouped = onceEach((run: RunRecord): Grouped => {
  const groups = new Map<string, Observation[]>();
  let seqIncreasing = true;
  let atNondecreasing = true;
  let seq = 0;
  let at = 0;
  for (let ix = 0, xs = run.observations; ix < xs.length; ix++) {
    const o = xs[ix]!;
    // Compared as the negation of the order wanted, so that a NaN breaks it as it should.
    if (ix > 0 && !(o.seq > seq)) seqIncreasing = false;
    if (ix > 0 && !(o.at >= at)) atNondecreasing = false;
    seq = o.seq;
    at = o.at;
    const group = groups.get(o.label);
    if (group === undefined) groups.set(o.label, [o]);
    else group.push(o);
  }
  return { groups, seqIncreasing, atNondecreasing };
});

const byLabel = (run: RunRecord): ReadonlyMap<string, readonly Observation[]> =>
  grouped(run).groups;

/**
 * How the run's observations are ordered: `seqIncreasing` (strictly, by `seq`) and
 * `atNondecreasing` (by `at`). Both hold in every simulated run; a check may then use the
 * per-label lists in place of a walk over every observation.
 */
export function observationOrder(run: RunRecord):
  { readonly seqIncreasing: boolean; readonly atNondecreasing: boolean } {
  return grouped(run);
}

/**
 * Per label, a test of its data's values beyond their JSON kinds (an enumerated field's value
 * within its declared union, a count that includes its own entry): what is wrong, or null.
 */
export type ValueTable<O extends Labelled> = {
  readonly [L in O['label']]?: (data: DataOf<O, L>) => string | null;
};

export type Reader<O extends Labelled> =
  <L extends O['label']>(run: RunRecord, label: L) => readonly Observed<DataOf<O, L>>[];

/**
 * A reader of one protocol's observations: `read(run, 'propose')` is every `propose`
 * observation of the run, in order, checked and typed. Results are kept per run and label.
 * `closed`: the table names every label the protocol emits, so the first read of a run also
 * throws on an observation under any other label (a fact no check reads is a fact missed:
 * mutation #325 of the seed-29 sample emptied the label of a backup's checkpoint fact) and
 * checks the fields of every observation, read by a property of this run or not.
 * `values`: per label, a test of the data's values, run with the field check (once per run and
 * label; for every label of a closed reader): a value outside the contract is malformed too.
 */
export function reader<O extends Labelled>(table: FieldTable<O>, closed = false,
  values: ValueTable<O> = {}): Reader<O> {
  const cache = new WeakMap<RunRecord, Map<string, readonly Observation[]>>();
  const fieldsOf = new Map(Object.entries(table as unknown as
    { readonly [l: string]: { readonly [k: string]: string } })
    .map(([label, fields]) => [label, Object.entries(fields)]));
  const testOf = new Map([...fieldsOf].map(([label, fields]) => [label, compiled(fields)]));
  const valueOf = new Map(Object.entries(values as unknown as
    { readonly [l: string]: (data: unknown) => string | null }));
  /** Every observation under `label` checked (fields, then values): the list, or a throw. */
  const checkedList = (run: RunRecord, label: string): readonly Observation[] => {
    const fields = fieldsOf.get(label)!;
    const firstBad = testOf.get(label)!;
    const list = byLabel(run).get(label) ?? [];
    for (let ix = firstBad(list, 0); ix >= 0; ix = firstBad(list, ix + 1)) check(list[ix]!, fields);
    const value = valueOf.get(label);
    for (let ix = 0; value !== undefined && ix < list.length; ix++) {
      const what = value(list[ix]!.data);
      if (what !== null) throw new Error(`malformed ${where(list[ix]!)}: ${what}`);
    }
    return list;
  };
  return <L extends O['label']>(run: RunRecord, label: L): readonly Observed<DataOf<O, L>>[] => {
    let checked = cache.get(run);
    if (checked === undefined) {
      checked = new Map();
      if (closed) {
        // Every fact is checked, not only those some property reads: a fact with a missing
        // field under a label no check of this run reads is malformed all the same (mutation
        // #2415 of the seed-31 sample emptied the data of OPB's operator fact).
        undeclared(run, fieldsOf);
        for (const l of byLabel(run).keys()) checked.set(l, checkedList(run, l));
      }
      cache.set(run, checked);
    }
    let list = checked.get(label);
    if (list === undefined) {
      list = checkedList(run, label);
      checked.set(label, list);
    }
    // Checked above against the table the compiler ties to O's declaration for this label.
    return list as readonly Observed<DataOf<O, L>>[];
  };
}

/** Throws on the first observation of `run` whose label `declared` does not list. */
function undeclared(run: RunRecord, declared: ReadonlyMap<string, unknown>): void {
  for (const [label, list] of byLabel(run)) {
    if (!declared.has(label)) {
      const o = list[0]!;
      throw new Error(`malformed observation of ${o.node} at t=${o.at}us: label ` +
        `${JSON.stringify(label)} is not one the protocol declares`);
    }
  }
}

/** Field table entries of the protocol-neutral observations (protocol/types.ts). */
export const COMMON_FIELDS = {
  state: { digest: 'string', applied: 'number' },
  retired: {},
  role: { group: 'string', role: 'string', node: 'string' },
} as const;

type CommonRole = DataOf<CommonObservation, 'role'>['role'];

/**
 * The values a `role` fact may take (the compiler holds this table to the declared union). A
 * check that counts step-downs as `role: follower` facts misses one reported under another
 * value: Stryker #6582 and #6837 of the seed-52 sample reported a retiring or deposed SMART
 * leader's role as "" and `smart-role-stepdown` judged none of them.
 */
const COMMON_ROLES: Readonly<Record<CommonRole, true>> = { leader: true, follower: true };

/** Value tests of the protocol-neutral observations, for every protocol's reader. */
export const COMMON_VALUES: ValueTable<CommonObservation> = {
  role: (d) => (Object.hasOwn(COMMON_ROLES, d.role) ? null
    : `role ${JSON.stringify(d.role)} is not declared (leader or follower)`),
};

/** The protocol-neutral observations, as reports and generic checkers read them. */
export const readCommon: Reader<CommonObservation> = reader<CommonObservation>(COMMON_FIELDS,
  false, COMMON_VALUES);
