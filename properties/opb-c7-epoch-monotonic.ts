/**
 * OPB C7 (P2.7): the epoch each replica follows never decreases, and a primary never claims an
 * epoch twice, modulo what starts a replica afresh (amnesia, a leave, a corruption).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { verdictOf, type Property } from './types.js';
import {
  buildWorld, cmpEpochText, epochText, isDown, nodeFacts, type OpbObserved,
} from './opb-world.js';
import { happenedBefore, pushTo, type Moment } from './run-values.js';

export const opbEpochMonotonic: Property = {
  name: 'opb-c7-epoch-monotonic',
  description: 'C7: the epoch each replica follows never decreases (modulo amnesia and ' +
    'corruption); a primary never reuses an epoch',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const world = buildWorld(run);
    // What starts a replica afresh, placed where it happened: an amnesiac boot, a leave (a
    // replica that joins again later is a new replica, with a fresh epoch), a corruption.
    const resets = new Map<string, Moment[]>();
    for (const o of world.obs('opb.node')) if (o.data.amnesia) pushTo(resets, o.node, o);
    for (const o of world.obs('opb.leave')) pushTo(resets, o.node, o);
    for (const f of nodeFacts(world, 'corrupted')) pushTo(resets, f.node, f);
    // Between two facts' steps, not their records: behind a slow disk a fact is recorded when
    // its write lands, but its step ran before, in memory, and a corruption meanwhile scrambled
    // what that step left (explore trial 1660762 of opb-corruption-services: n5 claimed 1:2.n5
    // at 680 ms, recorded at 872 ms; the 800 ms corruption set its epoch to 1:1.n10 and its
    // top to 2, and it claimed 1:2.n5 again at once).
    const resetBetween = (node: string, prev: Moment, now: Moment): boolean =>
      (resets.get(node) ?? []).some((r) => happenedBefore(prev, r) && !happenedBefore(now, r));
    const last = new Map<string, OpbObserved<'opb.epoch'> & { epoch: string }>();
    const problems: string[] = [];
    for (const o of world.obs('opb.epoch')) {
      const d = o.data;
      const key = `${o.node}|${d.service}`;
      const epoch = epochText(d);
      const prev = last.get(key);
      const reset = prev !== undefined && resetBetween(o.node, prev, o);
      if (prev !== undefined && !reset && cmpEpochText(epoch, prev.epoch) < 0
        && !isDown(world, o.node, o.at)) {
        problems.push(`s${d.service}: ${o.node} went from epoch ${prev.epoch} to ${epoch}` +
          ` at t=${o.at}us`);
      }
      last.set(key, { ...o, epoch });
    }
    // A primary never claims the same (or a lower) epoch twice on one replica incarnation.
    const claimed = new Map<string, OpbObserved<'opb.role'>>();
    for (const o of world.obs('opb.role')) {
      const d = o.data;
      if (d.role !== 'primary') continue;
      const key = `${o.node}|${d.service}`;
      const prev = claimed.get(key);
      const reset = prev !== undefined && resetBetween(o.node, prev, o);
      if (prev !== undefined && !reset && cmpEpochText(d.epoch, prev.data.epoch) <= 0) {
        problems.push(`s${d.service}: ${o.node} claimed epoch ${d.epoch} after ` +
          `${prev.data.epoch} at t=${o.at}us`);
      }
      claimed.set(key, o);
    }
    return verdictOf(this.name, problems, { epochRegressions: problems.length },
      'epochs monotone on every replica');
  },
};
