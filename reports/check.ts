/**
 * The forms of `replisim check`: the search result as text (bounds, counts, verdict, the
 * numbered counterexample and its replay command) and as the `replisim/check@1` document, and
 * the replay of one action path as text or `replisim/check-replay@1`.
 */
import type { CheckResult, Counterexample } from '../simulator/checker/index.js';

/** Unique states per second of wall-clock search time (a measure; it decides nothing). */
function rate(r: CheckResult): number {
  return r.ms > 0 ? Math.round((r.states * 1000) / r.ms) : 0;
}

/** The search's progress, redrawn in place on a terminal's stderr. */
export function renderCheckProgress(p: { readonly depth: number; readonly unique: number }):
  string {
  return `\rdepth ${p.depth}: ${p.unique} unique states…`;
}

/** `replisim/check@1`: the result with states/s added. */
export function checkDocument(r: CheckResult): unknown {
  return { schema: 'replisim/check@1', ...r, ms: Math.round(r.ms), statesPerSecond: rate(r) };
}

/** The search result for the terminal; `replayWith` is the command that replays its path. */
export function renderCheck(r: CheckResult, replayWith: string): string {
  const c = r.config;
  const lines = [
    `check ${r.protocol}${c.mutant === null ? '' : ` (mutant ${c.mutant})`}: ` +
      `${c.replicas} replicas, ` +
      `${c.clients} clients × ${c.ops} ops, crashes ≤ ${c.crashes}, drops ≤ ${c.drops}, ` +
      `timers ≤ ${c.timers ?? '∞'}, retries ≤ ${c.retries}, network ${c.network}, ` +
      `depth ≤ ${r.maxDepth}, ${r.order}${r.symmetry ? ', symmetry over replica names' : ''}`,
    `states explored: ${r.states}  unique: ${r.unique}  max depth: ${r.depth}`,
    ...(r.nodeStates === undefined ? [] : [`node states: ${r.nodeStates} distinct ` +
      '(the unit of explore and sweep --state-coverage)']),
    `time: ${(r.ms / 1000).toFixed(2)} s  (${rate(r)} states/s)`,
  ];
  if (r.unknownHistories > 0) {
    lines.push(`histories the linearizability check gave up on: ${r.unknownHistories}`);
  }
  if (r.counterexample === null) {
    lines.push(r.complete ? 'verdict: no violation (the whole bounded space was explored)'
      : r.cutOff === 'time' ? 'stopped by --timeout (the wall clock) before the space was ' +
        'explored: no violation found so far, not an answer (--max-states gives a bound that ' +
        'ends the same way on every machine)'
        : `verdict: no violation found (search cut off by the ${r.cutOff ?? 'depth'} bound)`);
    return lines.join('\n');
  }
  const cx = r.counterexample;
  lines.push(violationLine(cx), `counterexample (${cx.actions.length} actions):`,
    ...numbered(cx.actions), `path: ${cx.path.join(',')}`, `replay with: ${replayWith}`);
  return lines.join('\n');
}

/** `replisim/check-replay@1`: one replayed path, its actions and what it ended in. */
export function checkReplayDocument(protocol: string, path: readonly number[],
  actions: readonly string[], cx: Counterexample | null): unknown {
  return {
    schema: 'replisim/check-replay@1', protocol, path, actions,
    verdict: cx === null ? 'ok' : 'violation', violation: cx?.violation ?? null,
  };
}

/** One replayed path for the terminal: the numbered actions, then the verdict. */
export function renderCheckReplay(actions: readonly string[], cx: Counterexample | null): string {
  const verdict = cx === null ? 'verdict: no violation along this path' : violationLine(cx);
  return [...numbered(actions), verdict].join('\n');
}

function violationLine(cx: Counterexample): string {
  const where = cx.violation.node === null ? '' : ` at ${cx.violation.node}`;
  return `verdict: VIOLATION (${cx.violation.kind}${where}): ${cx.violation.message}`;
}

function numbered(actions: readonly string[]): string[] {
  const width = String(actions.length).length;
  return actions.map((a, i) => `  ${String(i + 1).padStart(width)}. ${a}`);
}
