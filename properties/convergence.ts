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
import type { Property } from './types.js';

type StateReport = { readonly digest: string; readonly applied: number };

export interface ConvergenceResult {
  readonly groups: number;
  readonly converged: boolean;
  /** Time after the fault window until all groups first agreed at once; -1 if not converged. */
  readonly convergenceUs: number;
  readonly diverged: readonly { readonly group: string;
    readonly states: Record<string, StateReport> }[];
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

export function convergence(run: RunRecord): ConvergenceResult | null {
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
    if (o.label !== 'state' && o.label !== 'retired') continue;
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
    groups: current.size, converged: diverged.length === 0, diverged,
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
    const measures = { convergenceUs: c.convergenceUs, groups: c.groups };
    if (c.converged) {
      return { property: this.name, status: 'pass', measures,
        message: `${c.groups} group(s) converged, ${c.convergenceUs}us after the faults stopped` };
    }
    const first = c.diverged[0]!;
    const states = Object.entries(first.states)
      .map(([n, s]) => `${n}=${s.digest}@${s.applied}`).join(' ');
    return { property: this.name, status: 'fail', measures, details: c.diverged,
      message: `${c.diverged.length} group(s) still ` +
        `diverged at the end; ${first.group || 'replicas'}: ${states}` };
  },
};
