/**
 * C4 availability ("no interruption") and anomaly accounting for OPB: periods without any
 * primary, failover time, concurrent primaries (allowed, counted), reconciliations.
 */
import type { RunRecord } from '../simulator/run-record.js';
import type { Property } from './types.js';
import { buildWorld, isDown, type World } from './opb-world.js';

/** Bound on a period without a primary once everything is up: T_fd + T_hb + ε, generously. */
export const NO_PRIMARY_BOUND_US = 1_000_000;

interface Timeline { readonly at: number; readonly primaries: number }

/** Number of live primaries of `svc` over time, from role observations and crashes. */
export function primaryTimeline(world: World, svc: number): Timeline[] {
  const events: { at: number; node: string; primary: boolean }[] = [];
  for (const o of world.obs('opb.role')) {
    if (o.data.service === svc) {
      events.push({ at: o.at, node: o.node, primary: o.data.role === 'primary' });
    }
  }
  for (const o of world.obs('opb.node')) events.push({ at: o.at, node: o.node, primary: false });
  for (const [node, list] of [...world.down.entries()].sort()) {
    for (const [a] of list) events.push({ at: a, node, primary: false });
  }
  events.sort((x, y) => x.at - y.at);
  const now = new Set<string>();
  const out: Timeline[] = [];
  for (const e of events) {
    if (e.primary && !isDown(world, e.node, e.at)) now.add(e.node);
    else now.delete(e.node);
    out.push({ at: e.at, primaries: now.size });
  }
  return out;
}

export interface OpbAnomalies {
  maxNoPrimaryUs: number;
  noPrimaryAfterHealUs: number;
  concurrentPrimaryPeriods: number;
  concurrentPrimaryUs: number;
  reconciliations: number;
  orphans: number;
}

export function opbAnomalies(world: World): OpbAnomalies {
  const a: OpbAnomalies = {
    maxNoPrimaryUs: 0, noPrimaryAfterHealUs: 0, concurrentPrimaryPeriods: 0,
    concurrentPrimaryUs: 0, reconciliations: 0, orphans: 0,
  };
  const end = world.run.endUs;
  for (const svc of world.services) {
    const tl = primaryTimeline(world, svc);
    let noneSince: number | null = 0;
    let manySince: number | null = null;
    for (const p of [...tl, { at: end, primaries: 1 }]) {
      if (p.primaries === 0 && noneSince === null) noneSince = p.at;
      if (p.primaries > 0 && noneSince !== null) {
        a.maxNoPrimaryUs = Math.max(a.maxNoPrimaryUs, p.at - noneSince);
        if (noneSince >= world.run.faultWindowEndUs) {
          a.noPrimaryAfterHealUs = Math.max(a.noPrimaryAfterHealUs, p.at - noneSince);
        }
        noneSince = null;
      }
      if (p.primaries > 1 && manySince === null) { manySince = p.at; a.concurrentPrimaryPeriods++; }
      if (p.primaries <= 1 && manySince !== null) {
        a.concurrentPrimaryUs += p.at - manySince;
        manySince = null;
      }
    }
  }
  for (const o of world.obs('opb.install')) {
    if (!o.data.reconciling) continue;
    a.reconciliations++;
    a.orphans += o.data.orphans;
  }
  return a;
}

export const opbAvailability: Property = {
  name: 'opb-c4-availability',
  description: 'C4: once faults stop, no service stays without a primary longer than ' +
    'T_fd + T_hb + ε; gaps and concurrent primaries are measured',
  protocols: ['opb'],
  completeRunOnly: true,
  check(run: RunRecord) {
    const a = opbAnomalies(buildWorld(run));
    const measures = { ...a };
    if (a.noPrimaryAfterHealUs > NO_PRIMARY_BOUND_US) {
      return {
        property: this.name, status: 'fail', measures,
        message: `a service had no primary for ${a.noPrimaryAfterHealUs}us` +
          ' after the faults stopped',
      };
    }
    return { property: this.name, status: 'pass', measures,
      message: `longest gap without primary ${a.maxNoPrimaryUs}us; ` +
        `${a.concurrentPrimaryPeriods} concurrent-primary periods (allowed)` };
  },
};
