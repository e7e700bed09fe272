/**
 * OPB's converged history of a service (`finalChain`, read by C6 and opb-discard-told) and C5
 * (P2.7): at most once per lineage. C6 is in opb-c6-no-loss.ts, C7 in opb-c7-epoch-monotonic.ts.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { erasOf } from './opb-eras.js';
import { verdictOf, type Property } from './types.js';
import { buildWorld, parseLineage, snapshot, STALE_US, type World } from './opb-world.js';
import { stepTime } from './run-values.js';

export interface Exec {
  readonly at: number; readonly node: string; readonly client: string; readonly seq: number;
  readonly value: string;
}

/**
 * The final history of a service: the executions on the final primary's lineage, in order. An
 * execution is looked up by its (epoch, index) in the name's era (opb-eras.ts: a claimant's
 * amnesia may reuse a name), the latest era holding it; the first execution seen wins. This
 * takes log matching for granted (one name, one entry in an era), which `opb-log-matching`
 * checks; when it fails, C5 and C6 here report its symptoms (a write twice, another missing).
 */
export function finalChain(world: World, svc: number): Exec[] | null {
  const snap = snapshot(world, svc, world.run.endUs, STALE_US);
  const p = snap.find((d) => d.role === 'primary') ?? snap[0];
  if (p === undefined) return null;
  const eras = erasOf(world);
  const byId = new Map<string, Exec>();
  // Executions a crash dropped count too, after the recorded ones: a state transfer the node
  // sent before its disk caught up may carry them into the final history (explore seed 710367).
  for (const o of [...world.obs('opb.exec'), ...world.lost('opb.exec')]) {
    const d = o.data;
    if (d.service !== svc) continue;
    const key = `${d.epoch}|${d.index}|${eras.of(d.epoch, stepTime(o))}`;
    if (!byId.has(key)) {
      byId.set(key, { at: o.at, node: o.node, client: d.client, seq: d.seq, value: d.value });
    }
  }
  const chain: Exec[] = [];
  let from = 1;
  for (const [epoch, last] of parseLineage(p.lineage)) {
    const era = eras.of(epoch, world.run.endUs);
    for (let i = from; i <= last; i++) {
      let e: Exec | undefined;
      for (let k = era; k >= 0 && e === undefined; k--) e = byId.get(`${epoch}|${i}|${k}`);
      if (e !== undefined) chain.push(e);
    }
    from = last + 1;
  }
  return chain;
}

export const opbAtMostOnce: Property = {
  name: 'opb-c5-at-most-once',
  description: 'C5: a (client, seq) appears at most once in the converged history of a service ' +
    '(dedup survives reconciliation)',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const world = buildWorld(run);
    const problems: string[] = [];
    let checked = 0;
    for (const svc of world.services) {
      const chain = finalChain(world, svc) ?? [];
      const seen = new Set<string>();
      for (const e of chain) {
        const id = `${e.client}#${e.seq}`;
        if (seen.has(id)) problems.push(`s${svc}: ${id} executed twice in the converged history`);
        seen.add(id);
      }
      checked += chain.length;
    }
    return verdictOf(
      this.name, problems, { duplicateExecutions: problems.length, entriesChecked: checked },
      `${checked} executions, none duplicated`,
    );
  },
};
