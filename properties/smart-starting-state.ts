/**
 * SMART P1.6 step 5: "new replicas can only propose after they have a starting state", a state
 * reflecting at least slots 1..FirstSlot−1 of their configuration. A leader of configuration N
 * that proposes first and fetches later keeps every safety check green (its proposals are valid
 * Paxos proposals; execution waits for the state anyway), so the rule is judged here: mutation
 * #4703 of the seed-29 sample dropped the leader's "no starting state yet" guard.
 *
 * Evidence: the proposer's execution module, never the `executed` figure the proposal itself
 * reports: by the step that proposed its first slot of N, the machine had executed slot
 * FirstSlot−1 or later (`exec`) or saved or adopted a checkpoint at or past it (`ckpt`). N's
 * FirstSlot comes from the executed MIGRATE (`cfg`); configuration 1 starts from the initial
 * state. Facts recorded after a disk write count at their step's time.
 */
import type { RunRecord } from '../simulator/run-record.js';
import {
  checkpoints, configurations, executions, fail, pass, proposals, stepTime,
} from './smart-observations.js';
import type { Property } from './types.js';
import { latestAt } from './run-values.js';

/**
 * Per node of `nodes`, {at: step time, slot: highest slot held by then} in time order (a running
 * maximum). Only the proposers' facts are read: a run with one configuration reads none.
 */
function heldByNode(run: RunRecord, nodes: ReadonlySet<string>):
  Map<string, { at: number; slot: number }[]> {
  const raw = new Map<string, { at: number; slot: number }[]>();
  const add = (node: string, at: number, slot: number): void => {
    if (!nodes.has(node)) return;
    const list = raw.get(node);
    if (list === undefined) raw.set(node, [{ at, slot }]);
    else list.push({ at, slot });
  };
  for (const e of executions(run)) add(e.node, stepTime(e), e.data.slot);
  for (const c of checkpoints(run)) add(c.node, stepTime(c), c.data.index);
  for (const list of raw.values()) {
    list.sort((a, b) => a.at - b.at);
    for (let i = 1; i < list.length; i++) {
      list[i]!.slot = Math.max(list[i]!.slot, list[i - 1]!.slot);
    }
  }
  return raw;
}

export function startingStateProblems(run: RunRecord): { problems: string[]; judged: number } {
  const { table } = configurations(run);
  const problems: string[] = [];
  // The first proposal of each replica of a configuration after the first.
  const firsts = new Map<string, { node: string; at: number; slot: number; config: number;
    first: number }>();
  for (const p of proposals(run)) {
    // Configuration first: most proposals are of configuration 1, and need no text key.
    const first = table.get(p.data.config)?.first;
    if (first === undefined || first <= 1) continue;
    const key = `${p.node}|${p.data.config}`;
    if (firsts.has(key)) continue;
    firsts.set(key, { node: p.node, at: stepTime(p), slot: p.data.slot, config: p.data.config,
      first });
  }
  if (firsts.size === 0) return { problems, judged: 0 };
  const held = heldByNode(run, new Set([...firsts.values()].map((f) => f.node)));
  for (const p of firsts.values()) {
    // Nothing held yet: the initial state, slot 0.
    const has = latestAt(held.get(p.node) ?? [], p.at)?.slot ?? 0;
    if (has < p.first - 1) {
      problems.push(`${p.node} proposed slot ${p.slot} of configuration ${p.config} ` +
        `at t=${p.at}us without its starting state: it had executed or checkpointed up to slot ` +
        `${has}, and the configuration starts after slot ${p.first - 1}`);
    }
  }
  return { problems, judged: firsts.size };
}

export const smartStartingState: Property = {
  name: 'smart-starting-state',
  description: 'P1.6 step 5: a replica proposes only once its machine holds its ' +
    'configuration\'s starting state (executed or checkpointed up to FirstSlot−1)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = startingStateProblems(run);
    if (r.problems.length > 0) return fail(this.name, r.problems[0]!);
    return pass(this.name, `${r.judged} first proposals of a replica in a later configuration, ` +
      'each made with its starting state', { judged: r.judged });
  },
};
