/**
 * SMART P1.6 steps 2 and 11: the configuration table is replicated state, so the table in a
 * checkpoint at index i is fixed by the commands of slots 1..i. Executing the MIGRATE of slot
 * n (its first execution of that id: a repeated id is a no-op) adds configuration
 * latest+1 with FirstSlot n+α and closes its predecessor at LastSlot n+α−1; starting to execute
 * slot n deletes the configuration C with LastSlot_C = n − MaximumLogSize. So at index i the
 * table holds configuration 1 and every configuration created by a slot ≤ i, minus each C with
 * LastSlot_C + MaximumLogSize ≤ i. Found by mutation (#4044): a GC that never ran left every
 * machine with the same over-long table, and agreement checks saw nothing.
 *
 * The expected table is derived from the `decide` facts of every replica (what was chosen in each
 * slot, never the checkpointing node's own report) and the run's α and maxLogSize parameters,
 * and compared with the `configs` of each `ckpt` fact. Skipped honestly: a checkpoint above a
 * slot no replica reported a decision for (its command, maybe a MIGRATE, is unknown), and
 * slots decided with two different commands (smart-slot-agreement owns that; the table after
 * them cannot be derived).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { numberParam } from './run-values.js';
import { checkpoints, decisions, fail, pass, skip } from './smart-observations.js';
import { SlotTable } from './slot-table.js';
import type { Property } from './types.js';

/**
 * Per slot, the one command decided there, or null when replicas reported two. A SlotTable, not
 * a Map of number keys: tens of thousands of decisions, and the Map cost most of this check.
 */
function decidedCommands(run: RunRecord): SlotTable<string | null> {
  const bySlot = new SlotTable<string | null>();
  for (const o of decisions(run)) {
    const { slot, command } = o.data;
    const known = bySlot.get(slot);
    if (known === undefined) bySlot.set(slot, command);
    else if (known !== command) bySlot.set(slot, null);
  }
  return bySlot;
}

interface Entry { readonly num: number; last: number | null }

/**
 * The table (configuration numbers, in table order) P1.6 prescribes after executing slots
 * 1..index, for every index in `wanted`; an index above a slot with unknown command is absent.
 */
export function prescribedTables(
  commands: { get(slot: number): string | null | undefined },
  wanted: readonly number[], alpha: number, maxLogSize: number): Map<number, string> {
  const out = new Map<number, string>();
  const targets = [...new Set(wanted)].sort((a, b) => a - b);
  const table: Entry[] = [{ num: 1, last: null }];
  const migrations = new Set<string>();
  let t = 0;
  while (t < targets.length && targets[t]! <= 0) out.set(targets[t++]!, '1');
  for (let slot = 1; t < targets.length; slot++) {
    const command = commands.get(slot);
    if (command === undefined || command === null) break;
    // Step 11, when starting to execute `slot`.
    const victim = table.findIndex((e) => e.last === slot - maxLogSize);
    if (victim >= 0) table.splice(victim, 1);
    // Step 2.
    if (command.startsWith('migrate:') && !migrations.has(command)) {
      migrations.add(command);
      const latest = table[table.length - 1]!;
      latest.last = slot + alpha - 1;
      table.push({ num: latest.num + 1, last: null });
    }
    while (t < targets.length && targets[t] === slot) {
      out.set(slot, table.map((e) => e.num).join(','));
      t++;
    }
  }
  return out;
}

/** The first checkpoint whose table differs from the prescribed one, and how many were judged. */
export function tableProblem(run: RunRecord): { problem: string | null; judged: number;
  skipped: number } {
  const ckpts = checkpoints(run);
  const alpha = numberParam(run, 'alpha', 10);
  const maxLogSize = numberParam(run, 'maxLogSize', 200);
  const expected = prescribedTables(decidedCommands(run), ckpts.map((o) => o.data.index), alpha,
    maxLogSize);
  let judged = 0;
  let skipped = 0;
  for (const o of ckpts) {
    const want = expected.get(o.data.index);
    if (want === undefined) {
      skipped++;
      continue;
    }
    judged++;
    const got = o.data.configs.join(',');
    if (got !== want) {
      return { judged, skipped, problem: `${o.node}'s checkpoint at index ${o.data.index} ` +
        `(t=${o.at}us${o.data.transfer === true ? ', by transfer' : ''}) holds configurations ` +
        `[${got}], but the decided slots 1..${o.data.index} with α=${alpha} and ` +
        `MaximumLogSize ${maxLogSize} give [${want}] (P1.6 steps 2 and 11)` };
    }
  }
  return { problem: null, judged, skipped };
}

export const smartCfgTable: Property = {
  name: 'smart-cfg-table',
  description: 'every checkpoint holds the configuration table P1.6 prescribes at its index: ' +
    'each configuration created by a decided MIGRATE, dropped once its LastSlot + ' +
    'MaximumLogSize is executed (steps 2 and 11)',
  protocols: ['smart'],
  check(run) {
    if (checkpoints(run).length === 0) return skip(this.name, 'no checkpoint');
    const { problem, judged, skipped } = tableProblem(run);
    if (problem !== null) return fail(this.name, problem);
    if (judged === 0) return skip(this.name, `no checkpoint below a slot without a decision`);
    return pass(this.name, `${judged} checkpoints hold the prescribed configuration table` +
      (skipped > 0 ? ` (${skipped} above an undecided slot not judged)` : ''));
  },
};
