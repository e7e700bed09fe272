/** The machine-readable result of one run (DESIGN §4 "Result"), as printed by `run --json`. */
import { lostWrites } from '../properties/lost-writes.js';
import type { CheckedRun } from '../scenarios/runner.js';

export function resultDocument(run: CheckedRun): Record<string, unknown> {
  const r = run.record;
  return {
    schema: 'replisim/result@1',
    scenario: r.scenario,
    protocol: r.protocol,
    mutant: r.mutant,
    seed: r.seed,
    traceHash: r.traceHash,
    ok: run.ok,
    violations: run.violations.map((v) => ({ property: v.property, message: v.message })),
    verdicts: run.verdicts,
    /** The one definition of lost acknowledged writes (properties/lost-writes.ts). */
    lostAckedWrites: lostWrites(run.verdicts),
    counts: {
      events: r.metrics.events,
      ops: r.history.ops.length,
      opsOk: r.metrics.opsOk,
      opsFail: r.metrics.opsFail,
      opsIndefinite: r.metrics.opsInfo,
      observations: r.observations.length,
    },
    metrics: r.metrics,
    simulatedUs: r.endUs,
  };
}
