/**
 * P2.4's UPDATE (Upd): a primary ships a backup the entries right after the position it names
 * (`prev`), in order: what the backup holds up to `prev` it does not get again. Mutation #1395
 * of the seed-39 sample (entriesAfter returning the whole log) re-shipped every catch-up from
 * the checkpoint on, the batch limit ignored (opb-backup-restart seed 0: half the updates, 930
 * of them above the batch of 64), and every other check stayed green.
 *
 * Evidence: the simulator's message record only (each update's `prev` and first entry).
 * Not judged: runs without a message record; empty updates (an update at the tip draws an ack).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { judgedVerdict, type Property } from './types.js';

const UPD = /^Upd s(\d+) .* prev=(\d+)@\S+ n=(\d+) first=(\d+) /;

export function updateWindowProblems(run: RunRecord): { problems: string[]; judged: number } {
  const problems: string[] = [];
  let judged = 0;
  for (const m of run.messages ?? []) {
    const hit = UPD.exec(m.label);
    if (hit === null) continue;
    judged++;
    const prev = Number(hit[2]);
    const first = Number(hit[4]);
    if (first !== prev + 1 && problems.length < 5) {
      problems.push(`s${hit[1]}: ${m.from} sent ${m.to} an update after position ${prev} ` +
        `starting at ${first} (${hit[3]} entries) at t=${m.sent}us`);
    }
  }
  return { problems, judged };
}

export const opbUpdateWindow: Property = {
  name: 'opb-update-window',
  description: 'P2.4: an update carries the entries right after the position it names ' +
    '(message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, updateWindowProblems(run),
      'no update with entries in the message record',
      (judged) => `${judged} updates, each starting right after the position it names`);
  },
};
