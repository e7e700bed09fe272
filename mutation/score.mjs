/**
 * The mutation score from Stryker's statuses, with its timeouts (and static survivors, see
 * needsRetest) decided by re-test. Stryker
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
 * Whether Stryker's own verdict on a mutant is not trusted, so retest.mjs decides it: a timeout
 * (a wall-clock verdict), and a static mutant that survived. A static mutant changes a value
 * computed when its module loads (a protocol's descriptor, a module-level table); Stryker
 * 9.6's vitest runner activates the mutant only after the modules are loaded, so such a mutant
 * never ran and "survives" whatever the campaign checks (stryker-js issues #6144, #6209). In the
 * seed-37 sample all five static mutants survived, among them one that empties SMART's whole
 * protocol descriptor, which the campaign rejects at load. retest.mjs transpiles the mutant
 * into a fresh copy, so it is active from the first import.
 */
export function needsRetest(m) {
  return m.status === 'Timeout' || (m.static === true && m.status === 'Survived');
}

/**
 * One row per protocol. `mutants`: { id, protocol, status, static? } (Stryker's statuses);
 * `retested`: id → killed (boolean) for the mutants re-tested (needsRetest); `hung`: the ids
 * among them whose re-test hit its CPU cap (a kill, counted apart so a reader can set them
 * aside). A mutant that needs a re-test and has no verdict is not scored (counted in
 * `errors`), never guessed.
 */
export function scoreRows(protocols, mutants, retested, hung = new Set()) {
  return protocols.map((name) => {
    const ms = mutants.filter((m) => m.protocol === name && m.status !== 'Ignored');
    const pending = ms.filter(needsRetest);
    const decided = pending.filter((m) => retested.has(m.id));
    const killedOnRetest = decided.filter((m) => retested.get(m.id) === true);
    const timeouts = pending.filter((m) => m.status === 'Timeout');
    const statics = pending.filter((m) => m.status !== 'Timeout');
    const killed = ms.filter((m) => m.status === 'Killed').length + killedOnRetest.length;
    const survivors = [...ms.filter((m) => !needsRetest(m) &&
      (m.status === 'Survived' || m.status === 'NoCoverage')),
    ...decided.filter((m) => retested.get(m.id) !== true)];
    const errors = ms.length - killed - survivors.length;
    const [lo, hi] = wilson(killed, killed + survivors.length);
    const killedOf = (list) => list.filter((m) => retested.get(m.id) === true).length;
    return { protocol: name, mutants: ms.length, killed, timeouts: timeouts.length,
      timeoutsKilledOnRetest: killedOf(timeouts),
      retestsHung: killedOnRetest.filter((m) => hung.has(m.id)).length,
      staticSurvivors: statics.length, staticKilledOnRetest: killedOf(statics),
      survived: survivors.length, errors,
      score: killed / Math.max(1, killed + survivors.length), ci95: [lo, hi], survivors };
  });
}
