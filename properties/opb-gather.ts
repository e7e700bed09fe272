/**
 * C8's power-saving trigger (P2.6 #3): a primary hands its role to a fuller node to save power
 * (`opb.move` kind `consolidate` whose dropped member is the mover itself) only while its own
 * node is below the low watermark Lw (`lowPct`). Mutation #492 of the seed-37 sample gathered
 * at exactly Lw (`>` for `>=`); every other check stays green, since the receiving node has room.
 *
 * Evidence as for `opb-c8-room`, never the node's own load figures (only the times of its
 * `opb.load` reports, the window boundaries): the mover's load in the window that closed at the
 * decision (a power decision runs right after that window closes) is a lower bound rebuilt from
 * the replicas its digests show it hosting all window long, the services it was primary of all
 * window long (its role may end at the decision itself) and their clients' requests called
 * early enough to arrive in the window. A gather fails the rule when that bound is at least Lw.
 * Judged: gathers whose window lies in calm time (as `opb-c8-overload`), of a node whose previous
 * window closed one window length earlier (a window cut short by a restart measures less).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { CONVERGE_BOUND_US } from './opb-world.js';
import {
  calmStretches, callsIn, context, hostedIn, permille, primaryIn, windowEnds,
} from './opb-overload.js';
import { numberParam, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

/**
 * `backups`: judge the moves of backups (`opb-c8-consolidate-below-cmax`, threshold Cmax)
 * instead of the primary's own handoffs (threshold Lw).
 */
export function gatherProblems(
  run: RunRecord, backups = false,
): { problems: string[]; judged: number } {
  const problems: string[] = [];
  let judged = 0;
  if (run.params['power'] !== true || run.params['reorg'] === false) return { problems, judged };
  const c = context(run);
  const low = backups ? numberParam(run, 'cmaxPct', 67) * 10 : numberParam(run, 'lowPct', 30) * 10;
  const hb = numberParam(run, 'hbUs', 50_000);
  const stretches = calmStretches(run, c.world.nodes.length);
  for (const o of c.world.obs('opb.move')) {
    const d = o.data;
    if (d.phase !== 'start' || d.kind !== 'consolidate') continue;
    if ((d.drop === o.node) === backups) continue;
    const t = stepTime(o);
    const from = t - c.win;
    const ends = windowEnds(c, o.node);
    if (!ends.includes(t) || !ends.includes(from)) continue;
    const calm = stretches.some(([a, b]) =>
      from - c.arrive >= (a === 0 ? 0 : a + CONVERGE_BOUND_US) && t < b);
    if (!calm) continue;
    judged++;
    const early = hostedIn(c, o.node, from, from + 2 * hb);
    const late = hostedIn(c, o.node, t - 2 * hb, t);
    const hosted = [...early].filter((s) => late.has(s)).length;
    const primaries = c.world.services
      .filter((svc) => primaryIn(c, o.node, svc, from - c.arrive, t - 1, true));
    const load = permille(c, primaries.map((svc) => callsIn(c, svc, from, t - c.arrive)), hosted);
    if (load >= low && backups) {
      problems.push(`s${d.service}: ${o.node} moved backup ${d.drop} to ${d.add} to save power ` +
        `at t=${t}us with at least ${load}‰ on its own node in the window closing then ` +
        `(${hosted} replicas, primary of ${primaries.map((s) => `s${s}`).join(', ')}): not ` +
        `below Cmax ${low}‰`);
    } else if (load >= low) {
      problems.push(`s${d.service}: ${o.node} handed its primary role to ${d.add} to save power ` +
        `at t=${t}us with at least ${load}‰ in the window closing then (${hosted} replicas, ` +
        `primary of ${primaries.map((s) => `s${s}`).join(', ')}): not below Lw ${low}‰`);
    }
  }
  return { problems, judged };
}

export const opbGather: Property = {
  name: 'opb-c8-gather-low',
  description: 'C8, P2.6 #3: a primary gives its role away to save power only while its node is ' +
    'below Lw (load recomputed from the clients\' requests, never the nodes\' reports)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    return judgedVerdict(this.name, gatherProblems(run),
      'no primary gave its role away to save power in calm time',
      (judged) => `${judged} power-saving handoffs of a primary role, each from a node below Lw`);
  },
};

/**
 * P2.6 #3's trigger for the other power moves: a primary gathers its backups onto fuller nodes
 * only while its own node is below Cmax (`cmaxPct`; above it the node is busy and spreads
 * instead). Mutation #699 of the seed-39 sample dropped that test (power saving whatever the
 * load): on opb-diurnal seed 1, n13 at 733‰ moved its backup n4 at t = 9 s. Same evidence and
 * judged windows as `opb-c8-gather-low`, for `consolidate` moves whose dropped member is a backup.
 */
export const opbConsolidateBelowCmax: Property = {
  name: 'opb-c8-consolidate-below-cmax',
  description: 'C8, P2.6 #3: a primary gathers its backups to save power only while its node is ' +
    'below Cmax (load recomputed from the clients\' requests, never the nodes\' reports)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    return judgedVerdict(this.name, gatherProblems(run, true),
      'no primary moved a backup to save power in calm time',
      (judged) => `${judged} power-saving moves of a backup, each decided on a node below Cmax`);
  },
};
