/**
 * SMART safety properties S1–S9 of PROTOCOLS.md P1.7, checked from the run's observations.
 * Slot agreement is checked across every configuration ever; the checkers never flag "two
 * leaders" (legal across configurations), only two decisions or a proposal out of bounds.
 */
import { evidenceProblems, slotStateProblems } from './smart-evidence.js';
import { SlotTable } from './slot-table.js';
import type { Property } from './types.js';
import {
  applies, type CfgInfo, checkpoints, configurations, decisions, defuncts, fail, lastSlot,
  majority, pass,
  proposalGroup, proposalGroups, proposals, replicaStarts, retirements, skip,
} from './smart-observations.js';

const P = ['smart'];

/**
 * A configuration's slot range, FirstSlot (undefined for an unknown configuration) and LastSlot,
 * the last one asked kept at hand: tens of thousands of facts name one or two configurations.
 */
function rangeOf(table: ReadonlyMap<number, CfgInfo>):
  (config: number) => { readonly first: number | undefined; readonly last: number | null } {
  let asked = NaN;
  let range: { readonly first: number | undefined; readonly last: number | null } =
    { first: undefined, last: null };
  return (config) => {
    if (config !== asked) {
      asked = config;
      range = { first: table.get(config)?.first, last: lastSlot(table, config) };
    }
    return range;
  };
}

/** S1: at most one (configuration, request) decided per slot, over all replicas ever. */
export const smartSlotAgreement: Property = {
  name: 'smart-slot-agreement',
  description: 'S1: every slot has at most one decided request, by one configuration, ' +
    'across all configurations ever',
  protocols: P,
  check(run) {
    // No text key per decision (three or more per slot): compared by field, named on failure.
    // The first decision's data itself is kept: no object per slot.
    const seen = new SlotTable<{ readonly config: number; readonly command: string }>();
    const all = decisions(run);
    for (let ix = 0, xs = all; ix < xs.length; ix++) {
      const o = xs[ix]!;
      const { config, command, slot } = o.data;
      const prev = seen.get(slot);
      if (prev === undefined) seen.set(slot, o.data);
      else if (prev.config !== config || prev.command !== command) {
        return fail(this.name, `slot ${slot} decided as c${prev.config}:${prev.command} and as ` +
          `c${config}:${command} (${o.node} t=${o.at}us)`);
      }
    }
    return pass(this.name, `${seen.size} slots, one decision each`, { slots: seen.size });
  },
};

/** S2: configurations agree everywhere, and ranges are disjoint and increasing. */
export const smartRangePartition: Property = {
  name: 'smart-range-partition',
  description: 'S2: every EM creates the same configurations; FirstSlot increases; ' +
    'decisions fall in their configuration\'s range',
  protocols: P,
  check(run) {
    const { table, conflict } = configurations(run);
    if (conflict !== null) return fail(this.name, conflict);
    const nums = [...table.keys()].sort((a, b) => a - b);
    for (let i = 1; i < nums.length; i++) {
      const a = table.get(nums[i - 1]!)!;
      const b = table.get(nums[i]!)!;
      if (b.num !== a.num + 1) return fail(this.name,
        `configuration numbers skip from ${a.num} to ${b.num}`);
      if (b.first <= a.first) return fail(this.name,
        `configuration ${b.num} starts at ${b.first}, not after ${a.first}`);
    }
    const range = rangeOf(table);
    for (let ix = 0, xs = decisions(run); ix < xs.length; ix++) {
      const o = xs[ix]!;
      const { first, last } = range(o.data.config);
      if (first === undefined) continue;
      if (o.data.slot < first || (last !== null && o.data.slot > last)) {
        return fail(this.name, `cfg ${o.data.config} decided ` +
          `slot ${o.data.slot} outside [${first}, ${last ?? '∞'}] (${o.node} t=${o.at}us)`);
      }
    }
    return pass(this.name, `${table.size} configurations, disjoint increasing ranges`,
      { configurations: table.size });
  },
};

/**
 * S3: proposals stay inside the range and the α window, and every decision had a quorum. The α
 * window is judged against the proposer's execution module's own `exec` facts, and quorums
 * against the `logged` facts of the members that answered (smart-evidence.ts), never against
 * the proposer's report.
 */
export const smartRangeConfinement: Property = {
  name: 'smart-range-confinement',
  description: 'S3: no PROPOSE outside [FirstSlot, LastSlot] or beyond lastExec + α (as the ' +
    'execution module reported it); every decision counted a quorum of its configuration\'s ' +
    'members logging it at its ballot',
  protocols: P,
  check(run) {
    const { table } = configurations(run);
    const range = rangeOf(table);
    for (let ix = 0, xs = proposals(run); ix < xs.length; ix++) {
      const o = xs[ix]!;
      const { first: known, last } = range(o.data.config);
      const first = known ?? 1;
      if (o.data.slot < first || (last !== null && o.data.slot > last)) {
        return fail(this.name,
          `cfg ${o.data.config} proposed slot ${o.data.slot} outside ` +
          `[${first}, ${last ?? '∞'}] (${o.node} t=${o.at}us)`);
      }
    }
    const { alpha, quorum } = evidenceProblems(run);
    const problem = alpha[0] ?? quorum[0];
    if (problem !== undefined) return fail(this.name, problem);
    return pass(this.name, 'every proposal inside its range and window, every decision with ' +
      'a quorum');
  },
};

/** S4: a (configuration, ballot, slot) is proposed with one value only, even across restarts. */
export const smartUniqueProposal: Property = {
  name: 'smart-unique-proposal',
  description: 'S4: a leader never sends two different PROPOSE for the same (cfg, ballot, slot), ' +
    'including across its crash',
  protocols: P,
  check(run) {
    const { bySlot, count, mixed } = proposalGroups(run);
    // The first proposal whose command differs from its (cfg, ballot, slot)'s first one.
    for (let ix = 0, xs = mixed ? proposals(run) : []; ix < xs.length; ix++) {
      const o = xs[ix]!;
      const { config, ballot, slot, command } = o.data;
      const prev = proposalGroup(bySlot, config, ballot, slot)!.commands[0]!;
      if (prev !== command) {
        return fail(this.name, `(cfg ${config}, ballot ${ballot}, slot ${slot}) ` +
          `proposed as ${prev} and ${command} (${o.node} t=${o.at}us)`);
      }
    }
    return pass(this.name, `${count} distinct proposals`);
  },
};

/**
 * S5: equal execution index ⇒ equal state: checkpoints of one index have one digest, and slot by
 * slot every execution ran the same command and left the same store (smart-evidence.ts).
 */
export const smartStateAgreement: Property = {
  name: 'smart-state-agreement',
  description: 'S5: any two checkpoints with the same index have identical state digests, and ' +
    'every executed slot ran one command leaving one store digest, executed in order',
  protocols: P,
  check(run) {
    const seen = new Map<number, string>();
    for (let ix = 0, xs = checkpoints(run); ix < xs.length; ix++) {
      const o = xs[ix]!;
      const prev = seen.get(o.data.index);
      if (prev === undefined) seen.set(o.data.index, o.data.digest);
      else if (prev !== o.data.digest) return fail(this.name,
        `index ${o.data.index}: digest ${prev} vs ${o.data.digest} (${o.node} t=${o.at}us)`);
    }
    const slots = slotStateProblems(run);
    if (slots.length > 0) return fail(this.name, slots[0]!);
    return pass(this.name, `${seen.size} checkpoint indexes and every executed slot agree`);
  },
};

/** S6: a configuration retires only when a later configuration's quorum holds its whole range. */
export const smartNoPrematureRetirement: Property = {
  name: 'smart-no-premature-retirement',
  description: 'S6: a replica of c is destroyed only once a quorum of some c\' > c holds a ' +
    'checkpoint >= LastSlot_c',
  protocols: P,
  check(run) {
    const { table } = configurations(run);
    const ckpts = checkpoints(run);
    for (const o of retirements(run)) {
      const last = lastSlot(table, o.data.config);
      if (last === null) return fail(this.name,
        `cfg ${o.data.config} retired on ${o.node} at t=${o.at}us without a successor`);
      const best = new Map<string, number>();
      for (const c of ckpts) if (c.at <= o.at) best.set(c.node,
        Math.max(best.get(c.node) ?? 0, c.data.index));
      const safe = [...table.values()].some((cfg) => cfg.num > o.data.config &&
        cfg.members.filter((m) =>
          (best.get(m) ?? -1) >= last).length >= majority(cfg.members.length));
      if (!safe) {
        return fail(this.name,
          `cfg ${o.data.config} retired on ${o.node} at t=${o.at}us (${o.data.why}) ` +
          'before any later ' +
          `configuration's quorum held a checkpoint >= ${last}`);
      }
    }
    return pass(this.name, 'every retirement followed establishment');
  },
};

/** S7: per machine, d never decreases and no replica of a defunct configuration is started. */
export const smartDefunctMonotonic: Property = {
  name: 'smart-defunct-monotonic',
  description: 'S7: per machine d never decreases; no replica for c <= d is ever (re)started',
  protocols: P,
  check(run) {
    const d = new Map<string, number>();
    const events = [
      ...defuncts(run).map((o) => ({ at: o.at, seq: o.seq, node: o.node, d: o.data.config,
        start: -1 })),
      ...replicaStarts(run).map((o) => ({ at: o.at, seq: o.seq, node: o.node, d: -1,
        start: o.data.config })),
    ];
    // Trace order, not list order: one step may start a replica and then retire it, and
    // both facts wait for the same write, so they share a time.
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const e of events) {
      const cur = d.get(e.node) ?? 0;
      if (e.d >= 0 && e.d <= cur) return fail(this.name,
        `${e.node}: d went from ${cur} to ${e.d} at t=${e.at}us`);
      if (e.d >= 0) d.set(e.node, e.d);
      if (e.start >= 0 && e.start <= cur) return fail(this.name,
        `${e.node} started a replica of defunct cfg ${e.start} at t=${e.at}us`);
    }
    return pass(this.name, 'defunct numbers only grow');
  },
};

/**
 * S8 (the part the linearizability checker cannot see): each (client, seq) executes in one slot.
 */
export const smartAtMostOnce: Property = {
  name: 'smart-at-most-once',
  description: 'S8: every (client, seq) is executed in at most one slot, ' +
    'across migrations and leader changes',
  protocols: P,
  check(run) {
    // Per client, per seq: no text key per execution (every replica applies every request).
    const seen = new Map<string, SlotTable<number>>();
    let requests = 0;
    for (let ix = 0, xs = applies(run); ix < xs.length; ix++) {
      const o = xs[ix]!;
      const { client, seq, slot } = o.data;
      let bySeq = seen.get(client);
      if (bySeq === undefined) seen.set(client, bySeq = new SlotTable());
      const prev = bySeq.get(seq);
      if (prev === undefined) {
        bySeq.set(seq, slot);
        requests++;
      } else if (prev !== slot) {
        return fail(this.name, `request ${client}#${seq} executed in slots ${prev} and ${slot} ` +
          `(${o.node} t=${o.at}us)`);
      }
    }
    return pass(this.name, `${requests} requests executed once each`);
  },
};

/**
 * S9: no leader proposes more than MaximumLogSize slots above the stable index, recomputed from
 * the members' own checkpoint facts (the quorum-th highest), with MaximumLogSize from the run.
 */
export const smartLogBound: Property = {
  name: 'smart-log-bound',
  description: 'S9: every proposal satisfies slot - MaximumLogSize <= the stable index its ' +
    'configuration\'s members had checkpointed',
  protocols: P,
  check(run) {
    if (proposals(run).length === 0) return skip(this.name, 'nothing was proposed');
    const { logBound, logMax } = evidenceProblems(run);
    if (logBound.length > 0) return fail(this.name, logBound[0]!);
    return pass(this.name, `largest log above the stable index: ${logMax}`, { logMax });
  },
};

export const smartSafetyProperties: readonly Property[] = [
  smartSlotAgreement, smartRangePartition, smartRangeConfinement, smartUniqueProposal,
  smartStateAgreement,
  smartNoPrematureRetirement, smartDefunctMonotonic, smartAtMostOnce, smartLogBound,
];
