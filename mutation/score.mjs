/**
 * The mutation score from Stryker's statuses, with its timeouts decided by re-test. Stryker
 * stops a mutant's test after a wall-clock budget and calls it a timeout; counting that as a
 * kill lets a loaded machine raise the score (seed-19 sample: 14 of 15 timeouts survived every
 * campaign step when re-tested). The campaign itself is counted in steps, so `retest.mjs`'s
 * verdict is the same on every machine: a timeout counts as killed only if the re-test kills it.
 */

/** Wilson score interval at 95 %. */
export function wilson(k, n) {
  if (n === 0) return [0, 1];
  const z = 1.959964;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/**
 * One row per protocol. `mutants`: { id, protocol, status } (Stryker's statuses); `retested`:
 * id → killed (boolean) for the timeouts re-tested; `hung`: the ids among them whose re-test
 * hit its CPU cap (a kill, counted apart so a reader can set them aside). A timeout without a
 * re-test verdict is not scored (counted in `errors`), never guessed.
 */
export function scoreRows(protocols, mutants, retested, hung = new Set()) {
  return protocols.map((name) => {
    const ms = mutants.filter((m) => m.protocol === name && m.status !== 'Ignored');
    const timeouts = ms.filter((m) => m.status === 'Timeout');
    const decided = timeouts.filter((m) => retested.has(m.id));
    const timeoutsKilled = decided.filter((m) => retested.get(m.id) === true);
    const killed = ms.filter((m) => m.status === 'Killed').length + timeoutsKilled.length;
    const survivors = [...ms.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage'),
      ...decided.filter((m) => retested.get(m.id) !== true)];
    const errors = ms.length - killed - survivors.length;
    const [lo, hi] = wilson(killed, killed + survivors.length);
    return { protocol: name, mutants: ms.length, killed, timeouts: timeouts.length,
      timeoutsKilledOnRetest: timeoutsKilled.length,
      timeoutsHung: timeoutsKilled.filter((m) => hung.has(m.id)).length, survived: survivors.length, errors,
      score: killed / Math.max(1, killed + survivors.length), ci95: [lo, hi], survivors };
  });
}
