/**
 * A property is a checker over a recorded run. It sees only the RunRecord (history, trace
 * observations, failures, metrics), never protocol internals.
 */
import type { Json } from '../protocol/types.js';
import type { RunRecord } from '../simulator/run-record.js';

export interface Verdict {
  readonly property: string;
  /** 'skip': not applicable to this run (e.g. nothing to check). */
  readonly status: 'pass' | 'fail' | 'unknown' | 'skip';
  /** One line for humans; for 'fail' it says what broke, where and when. */
  readonly message: string;
  /** A measure, not a judgement (status is then 'pass'): reports show it without a tick. */
  readonly measured?: true;
  /** Measured quantities (anomaly counts, convergence time, …) reported even on 'pass'. */
  readonly measures?: { readonly [k: string]: number };
  readonly details?: Json;
}

export interface Property {
  readonly name: string;
  readonly description: string;
  /** Protocol names this property applies to; '*' for every protocol. */
  readonly protocols: readonly string[];
  /**
   * Protocols a '*' property does not apply to, because their own check states it in their
   * spec's terms (OPB's C2 asks the same identical state and excuses only a replica a move is
   * still bringing up, P2.6; the generic form, blind to moves, failed such a joiner).
   */
  readonly exceptProtocols?: readonly string[];
  /** Skip when the run stopped on a failure: its history and observations end early. */
  readonly completeRunOnly?: boolean;
  check(run: RunRecord): Verdict;
}

/**
 * The verdict of a check that collects its problems: 'fail' naming the first three (joined by
 * '; '), else 'pass' with `okMessage`. `measures` are reported either way (`undefined`: none).
 * The one place that builds pass/fail verdicts for such checks, so every property words and
 * shapes them alike.
 */
export function verdictOf(
  name: string,
  problems: readonly string[],
  measures: Verdict['measures'],
  okMessage: string,
): Verdict {
  const measured = measures === undefined ? {} : { measures };
  if (problems.length > 0) {
    const message = problems.slice(0, 3).join('; ');
    return { property: name, status: 'fail', ...measured, message };
  }
  return { property: name, status: 'pass', ...measured, message: okMessage };
}

/**
 * The verdict of a check that counts what it judged: `r` is its problems and count, or why it
 * could not judge the run (skip); nothing judged is a skip saying `unjudged`, never a pass.
 */
export function judgedVerdict(name: string,
  r: { readonly problems: readonly string[]; readonly judged: number } | string,
  unjudged: string, ok: (judged: number) => string): Verdict {
  if (typeof r === 'string') return { property: name, status: 'skip', message: r };
  if (r.judged === 0) return { property: name, status: 'skip', message: unjudged };
  return verdictOf(name, r.problems, { judged: r.judged }, ok(r.judged));
}

export function appliesTo(property: Property, protocol: string): boolean {
  if (property.exceptProtocols?.includes(protocol) === true) return false;
  return property.protocols.includes('*') || property.protocols.includes(protocol);
}

/** Checks one property, applying the `completeRunOnly` gate (use this, not `check`, directly). */
export function checkProperty(property: Property, run: RunRecord): Verdict {
  if (property.completeRunOnly === true && run.failures.length > 0) {
    return { property: property.name, status: 'skip', message: 'the run stopped on a failure' };
  }
  return property.check(run);
}
