/**
 * P2.4 during the faults: a backup that follows primary P at P's epoch E takes history only
 * from P (its updates or its state transfer). So whenever its history changes while it goes on
 * following P at E, the new history is P's: up to P's tip the epoch of every index is the one
 * P holds there, and past P's last report (P may crash before reporting) every entry is of E.
 * A history held when it started following P (a stale tail, repaired by the next transfer) is
 * not judged, only a change made while following. Judged from the digests (lineages) of both
 * replicas, at any time, faults included; a replica ever scrambled by a `corrupt` fault, or
 * following a primary that was, is not judged. Judging a history by the epoch at each index
 * takes log matching for granted (one (epoch, index), one entry): `opb-log-matching` checks it.
 */
import { buildWorld, nodeFacts, parseLineage, type Digest } from './opb-world.js';
import { verdictOf, type Property } from './types.js';

/** The first index at which history `b` is not P's (`p`, epoch `e` past its tip), or null. */
export function strayIndex(b: string, p: string, e: string): number | null {
  const mine = parseLineage(b);
  const theirs = parseLineage(p);
  const tip = theirs.length === 0 ? 0 : theirs[theirs.length - 1]![1];
  let from = 0;
  let j = 0;
  let pFrom = 0;
  for (const [epoch, last] of mine) {
    // Indexes (from, last] hold `epoch`: P's segments overlapping them must say the same.
    while (j < theirs.length && theirs[j]![1] <= from) pFrom = theirs[j++]![1];
    let k = j;
    let kFrom = pFrom;
    while (k < theirs.length && kFrom < last) {
      if (theirs[k]![0] !== epoch) return Math.max(from, kFrom) + 1;
      kFrom = theirs[k++]![1];
    }
    if (last > tip && epoch !== e) return Math.max(from, tip) + 1;
    from = last;
  }
  return null;
}

export const opbBackupHistory: Property = {
  name: 'opb-backup-history',
  description: 'P2.4: while a backup follows primary P at its epoch, every change to its ' +
    "history makes it P's (judged during the faults too)",
  protocols: ['opb'],
  check(run) {
    const world = buildWorld(run);
    const scrambled = new Set(nodeFacts(world, 'corrupted').map((f) => f.node));
    // P's longest history as primary at E (it only grows while P leads at E).
    const led = new Map<string, Digest>();
    for (const list of world.digests.values()) {
      for (const d of list) {
        if (d.role !== 'primary') continue;
        const key = `${d.node}|${d.svc}|${d.epoch}`;
        const best = led.get(key);
        if (best === undefined || d.idx >= best.idx) led.set(key, d);
      }
    }
    const problems: string[] = [];
    let judged = 0;
    for (const list of world.digests.values()) {
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1]!;
        const b = list[i]!;
        if (b.role !== 'backup' || a.role !== 'backup' || b.primary === null
          || a.primary !== b.primary || a.epoch !== b.epoch || a.lineage === b.lineage
          || scrambled.has(b.node) || scrambled.has(b.primary)) continue;
        const p = led.get(`${b.primary}|${b.svc}|${b.epoch}`);
        if (p === undefined) continue;
        judged++;
        const at = strayIndex(b.lineage, p.lineage, b.epoch);
        if (at !== null) {
          problems.push(`s${b.svc}: ${b.node}, backup of ${b.primary} at ${b.epoch}, holds ` +
            `[${b.lineage}] at t=${b.at}us, not ${b.primary}'s [${p.lineage}] from index ${at}`);
        }
      }
    }
    return verdictOf(this.name, problems, { historyChangesJudged: judged },
      `${judged} history changes of backups, each their primary's`);
  },
};
