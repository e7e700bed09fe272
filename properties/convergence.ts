/**
 * Convergence: after the faults stop, all replicas that report state reach the same state.
 * Protocols declare their state through `observe('state', {digest, applied, group?})` effects
 * (group: e.g. an OPB service; default one group), and `observe('retired', {group?})` when a
 * replica leaves its group. The verdict compares each replica's last digest; the measure
 * `convergenceUs` is how long after the end of the fault window every group first agreed (all
 * its replicas on one digest at the same moment; 0 if they already agreed when faults stopped).
 */
import type { Observation, RunRecord } from '../simulator/run-record.js';
import { observationOrder, readCommon } from './observed.js';
import { campaignWaitUs, lastBoot } from './smart-liveness.js';
import { configurations, newestConfig } from './smart-observations.js';
import type { Property } from './types.js';

type StateReport = { readonly digest: string; readonly applied: number };

export interface ConvergenceResult {
  readonly groups: number;
  readonly converged: boolean;
  /** Time after the fault window until all groups first agreed at once; -1 if not converged. */
  readonly convergenceUs: number;
  readonly diverged: readonly { readonly group: string;
    readonly states: Record<string, StateReport> }[];
  /** Machines not judged (`notYetDue`). */
  readonly excused: number;
}

/**
 * The observations the pass below must visit, in emission order: the states and retirements
 * (each checked by the reader first), or every observation when their order is not plain. The
 * others only mark time passing the heal instant, and when `at` never decreases the first state
 * or retirement at or after it marks that just as well (nothing changes in between), so in a
 * simulated run's record only the reports are walked, not the tens of thousands of other facts.
 */
function reports(run: RunRecord): readonly Observation[] {
  const states = readCommon(run, 'state');
  const retirements = readCommon(run, 'retired');
  if (states.length + retirements.length === 0) return [];
  const { seqIncreasing, atNondecreasing } = observationOrder(run);
  if (!seqIncreasing || !atNondecreasing) return run.observations;
  if (retirements.length === 0) return states;
  if (states.length === 0) return retirements;
  // Each list is in emission order, which is `seq` order here: merged by `seq`.
  const out: Observation[] = [];
  let j = 0;
  for (const s of states) {
    while (j < retirements.length && retirements[j]!.seq < s.seq) out.push(retirements[j++]!);
    out.push(s);
  }
  while (j < retirements.length) out.push(retirements[j++]!);
  return out;
}

/**
 * SMART machines not judged: outside the newest configuration, booted so late that their
 * restored replica's first campaign, the only way it learns its configuration is defunct (P1.6
 * step 8: a defunct configuration's members answer, they do not announce), was not yet due at
 * the end (explore trial 1471679 of smart-elect-behind-vote: n6, down since 150 ms with
 * configuration 1's replica at slot 10, restarted at 650 ms outside configurations 2 and 3;
 * rank 5 of 6, its campaign was due at 1.18 s, after the end at 1.1 s).
 */
function notYetDue(run: RunRecord): ReadonlySet<string> {
  if (run.protocol !== 'smart') return new Set();
  const table = configurations(run).table;
  const newest = newestConfig(table).members;
  const size = Math.max(...[...table.values()].map((c) => c.members.length));
  const wait = campaignWaitUs(run, size);
  return new Set(run.endpoints.filter((e) => {
    if (e.client || newest.includes(e.name)) return false;
    const boot = lastBoot(run, e.name);
    return boot > 0 && boot + wait > run.endUs;
  }).map((e) => e.name));
}

export function convergence(run: RunRecord): ConvergenceResult | null {
  const excused = notYetDue(run);
  const current = new Map<string, Map<string, StateReport>>();
  const agrees = (g: Map<string, StateReport>): boolean =>
    new Set([...g.values()].map((s) => s.digest)).size <= 1;
  const heal = run.faultWindowEndUs;
  let firstAgreement = -1;
  /** Whether every group agrees now; null when a report came in since it was last worked out. */
  let allAgree: boolean | null = null;
  const checkAgreement = (t: number): void => {
    if (firstAgreement >= 0 || t < heal) return;
    allAgree ??= [...current.values()].every(agrees);
    if (allAgree) firstAgreement = t;
  };
  // In emission order: a replica's state and its retirement in one step must stay in order.
  // A label test, not a lookup per observation: the other labels only mark the passing time.
  for (let ix = 0, xs = reports(run); ix < xs.length; ix++) {
    const o = xs[ix]!;
    if (o.at >= heal) checkAgreement(heal);
    if ((o.label !== 'state' && o.label !== 'retired') || excused.has(o.node)) continue;
    // Checked by the reader above (COMMON_FIELDS): a state has its digest and applied count.
    const d = o.data as { readonly digest: string; readonly applied: number;
      readonly group?: string };
    const group = d.group ?? '';
    let members = current.get(group);
    if (members === undefined) current.set(group, members = new Map());
    if (o.label === 'retired') members.delete(o.node);
    else members.set(o.node, { digest: d.digest, applied: d.applied });
    allAgree = null;
    checkAgreement(o.at);
  }
  checkAgreement(heal);
  if (current.size === 0) return null;
  const diverged = [...current.keys()].sort().filter((g) => !agrees(current.get(g)!))
    .map((group) => ({
      group,
      states: Object.fromEntries([...current.get(group)!].sort(([a], [b]) => (a < b ? -1 : 1))),
    }));
  return {
    groups: current.size, converged: diverged.length === 0, diverged, excused: excused.size,
    convergenceUs: firstAgreement < 0 || diverged.length > 0 ? -1 : firstAgreement - heal,
  };
}

export const convergenceProperty: Property = {
  name: 'convergence',
  description: 'after faults stop, every replica reaches the same state (from declared ' +
    'state observations)',
  protocols: ['*'],
  // OPB states it as C2 (opb-c2-state-convergence), with the spec's one excuse: a replica
  // joined by a move less than its catch-up bound before the end (explore seed 810710 of
  // opb-night-disasters: a power move at 6.46 s, its transfer cut by the end at 6.5 s).
  exceptProtocols: ['opb'],
  completeRunOnly: true,
  check(run) {
    const c = convergence(run);
    if (c === null) return { property: this.name, status: 'skip',
      message: 'the protocol reports no state observations' };
    const measures = { convergenceUs: c.convergenceUs, groups: c.groups,
      ...(c.excused > 0 ? { notYetDue: c.excused } : {}) };
    if (c.converged) {
      const excused = c.excused === 0 ? '' : `; ${c.excused} machine(s) outside the newest ` +
        'configuration booted too late to have learnt it, not judged';
      return { property: this.name, status: 'pass', measures, message: `${c.groups} group(s) ` +
        `converged, ${c.convergenceUs}us after the faults stopped${excused}` };
    }
    const first = c.diverged[0]!;
    const states = Object.entries(first.states)
      .map(([n, s]) => `${n}=${s.digest}@${s.applied}`).join(' ');
    return { property: this.name, status: 'fail', measures, details: c.diverged,
      message: `${c.diverged.length} group(s) still ` +
        `diverged at the end; ${first.group || 'replicas'}: ${states}` };
  },
};
