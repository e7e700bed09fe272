/**
 * Convergence: after the faults stop, all replicas that report state reach the same state.
 * Protocols declare their state through `observe('state', {digest, applied, group?})` effects
 * (group: e.g. an OPB service; default one group), and `observe('retired', {group?})` when a
 * replica leaves its group. The verdict compares each replica's last digest; the measure
 * `convergenceUs` is how long after the end of the fault window every group first agreed (all
 * its replicas on one digest at the same moment; 0 if they already agreed when faults stopped).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { readCommon } from './observed.js';
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
  // Every state and retirement checked by the reader before the pass below reads them.
  const states = readCommon(run, 'state').length;
  const retirements = readCommon(run, 'retired').length;
  // In emission order: a replica's state and its retirement in one step must stay in order.
  // A label test, not a lookup per observation: the other labels only mark the passing time.
  for (let ix = 0, xs = states + retirements === 0 ? [] : run.observations; ix < xs.length; ix++) {
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
