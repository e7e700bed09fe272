/**
 * Log matching (Raft's Log Matching Property on OPB's entries; docs/opb.md P2.4 #3: the primary
 * appends each update "under (epoch, index)"): across every replica and all time, one
 * (epoch, index) of a service names one entry, and every history holding an entry of epoch E
 * holds the same history before E's entries. One primary claims E (C7), once, and appends E's
 * entries after the history it held when it claimed; backups take E's entries only from it.
 * Other checks rely on this: C5 and C6 rebuild the converged history from the primaries'
 * executions looked up by (epoch, index) (`finalChain`), and `opb-backup-history` judges a
 * backup's history by the epoch at each index; with one name for two entries both would read
 * the wrong one (explore seed 7033: c1#35 "executed twice", c2#19 "missing"). This check states
 * it, from three kinds of evidence, at any time, faults included:
 * - executions (`opb.exec`): two at one (epoch, index) are the same request and value;
 * - lineages (`opb.digest`): every history holding entries of E agrees on the runs before E;
 * - states (`opb.digest`): replicas whose histories end at the same (epoch, index) hold the
 *   same state (the store and dedup table follow from the history; reads change neither).
 * A `corrupt` fault scrambles epochs and states outright (C9 promises only to recover), so
 * nothing observed from the run's first corruption on is judged. An amnesiac claimant may claim
 * a name again (C7 holds modulo amnesia): a name is one per era (opb-eras.ts).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { erasOf, type Eras } from './opb-eras.js';
import { buildWorld, nodeFacts, parseLineage, type Digest, type World } from './opb-world.js';
import { verdictOf, type Property } from './types.js';
import { stepTime } from './run-values.js';

interface Seen { readonly node: string; readonly at: number; readonly what: string }

/** A name's era in text: nothing for the first (most names), ` era N` after an amnesia. */
function era(eras: Eras, epoch: string, at: number): string {
  const n = eras.of(epoch, at);
  return n === 0 ? '' : ` era ${n}`;
}

/** Two executions named by one (epoch, index), as problems; the count of names judged. */
function execConflicts(world: World, eras: Eras, before: number, problems: string[]): number {
  const byName = new Map<string, Seen>();
  for (const o of world.obs('opb.exec')) {
    if (o.at >= before) continue;
    const d = o.data;
    const name = `s${d.service} (${d.epoch}, ${d.index})${era(eras, d.epoch, stepTime(o))}`;
    const what = `${d.client}#${d.seq}=${d.value}`;
    const first = byName.get(name);
    if (first === undefined) byName.set(name, { node: o.node, at: o.at, what });
    else if (first.what !== what) {
      problems.push(`${name} names two entries: ${first.what} executed by ${first.node} at ` +
        `t=${first.at}us, ${what} by ${o.node} at t=${o.at}us`);
    }
  }
  return byName.size;
}

/** Every digest before `before`, in observation order. */
function digestsBefore(world: World, before: number): Digest[] {
  const all: Digest[] = [];
  for (const list of world.digests.values()) for (const d of list) if (d.at < before) all.push(d);
  return all.sort((a, b) => a.at - b.at || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

/** Histories disagreeing before an epoch they share, as problems; the lineages judged. */
function lineageConflicts(digests: readonly Digest[], eras: Eras, problems: string[]): number {
  const before = new Map<string, Seen>();
  const judged = new Set<string>();
  for (const d of digests) {
    const key = `${d.svc}|${d.lineage}`;
    if (judged.has(key)) continue;
    judged.add(key);
    let prefix = '';
    for (const [epoch, last] of parseLineage(d.lineage)) {
      const name = `s${d.svc}|${epoch}${era(eras, epoch, d.at)}`;
      const first = before.get(name);
      if (first === undefined) before.set(name, { node: d.node, at: d.at, what: prefix });
      else if (first.what !== prefix) {
        problems.push(`s${d.svc}: entries of ${epoch} follow [${prefix}] at ${d.node} ` +
          `(t=${d.at}us) but [${first.what}] at ${first.node} (t=${first.at}us)`);
        break;
      }
      prefix = prefix === '' ? `${epoch}:${last}` : `${prefix},${epoch}:${last}`;
    }
  }
  return judged.size;
}

/** Replicas at the same last entry with different states, as problems; the entries judged. */
function stateConflicts(digests: readonly Digest[], eras: Eras, problems: string[]): number {
  const byTip = new Map<string, Seen>();
  for (const d of digests) {
    const runs = parseLineage(d.lineage);
    const tip = runs[runs.length - 1];
    if (tip === undefined || d.idx === 0 || tip[1] !== d.idx) continue;
    const name = `s${d.svc} (${tip[0]}, ${d.idx})${era(eras, tip[0], d.at)}`;
    const first = byTip.get(name);
    if (first === undefined) byTip.set(name, { node: d.node, at: d.at, what: d.state });
    else if (first.what !== d.state) {
      problems.push(`replicas at ${name} hold different states: ${first.what} at ` +
        `${first.node} (t=${first.at}us), ${d.state} at ${d.node} (t=${d.at}us)`);
    }
  }
  return byTip.size;
}

export function logMatchingProblems(run: RunRecord): {
  problems: string[]; entries: number; histories: number; tips: number; before: number;
} {
  const world = buildWorld(run);
  const before = nodeFacts(world, 'corrupted')[0]?.at ?? Infinity;
  const problems: string[] = [];
  const eras = erasOf(world);
  const entries = execConflicts(world, eras, before, problems);
  const digests = digestsBefore(world, before);
  const histories = lineageConflicts(digests, eras, problems);
  const tips = stateConflicts(digests, eras, problems);
  return { problems, entries, histories, tips, before };
}

export const opbLogMatching: Property = {
  name: 'opb-log-matching',
  description: 'Log matching: one (epoch, index) names one entry on every replica at all ' +
    'times, and histories holding an epoch\'s entries agree on everything before them',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = logMatchingProblems(run);
    const cut = r.before === Infinity ? '' : ` (up to the first corruption, t=${r.before}us)`;
    return verdictOf(this.name, r.problems,
      { entriesJudged: r.entries, historiesJudged: r.histories, tipsJudged: r.tips },
      `${r.entries} entries, ${r.histories} histories and ${r.tips} tips agree${cut}`);
  },
};
