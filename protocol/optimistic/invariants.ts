/**
 * Local invariants that every step maintains (and that corruption cannot break by construction).
 */
import { entryAt, lastIndex } from './data.js';
import { GEN_MOD, epochText, genOf } from './epoch.js';
import type { Epoch, Replica, State } from './types.js';

/** Counter and generation are naturals below the limit (the reset keeps them there). */
function epochOk(s: State, e: Epoch): boolean {
  const lim = s.params.epochLimit;
  const g = genOf(e);
  return Number.isSafeInteger(e.c) && e.c >= 0 && e.c < lim
    && Number.isSafeInteger(g) && g >= 0 && g < GEN_MOD;
}

function replicaProblem(s: State, r: Replica): string | null {
  const n = lastIndex(r.data);
  const lastRun = r.data.lineage[r.data.lineage.length - 1];
  if ((lastRun?.last ?? 0) !== n) {
    return `s${r.svc}: lineage ends at ${lastRun?.last ?? 0}, log at ${n}`;
  }
  const last = entryAt(r.data, n);
  if (n > r.data.base && (last === undefined || last.i !== n)) {
    return `s${r.svc}: log entry ${n} is misnumbered`;
  }
  if (!r.members.includes(s.id)) return `s${r.svc}: hosted replica is not a member`;
  if (r.role === 'primary' && r.waiting.some((w) => w.i > n)) {
    return `s${r.svc}: waiting beyond the log`;
  }
  if (!epochOk(s, r.epoch)) return `s${r.svc}: epoch ${epochText(r.epoch)} out of range`;
  return null;
}

export function opbInvariants(s: State): string | null {
  if (!epochOk(s, s.epochTop)) return 'epochTop out of range';
  for (const k of [...s.reps.keys()].sort((a, b) => a - b)) {
    const problem = replicaProblem(s, s.reps.get(k)!);
    if (problem !== null) return `opb ${s.id} ${problem}`;
  }
  return null;
}
