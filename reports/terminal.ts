/** Human summary of one run, ending in the `trace-hash:` line scripts look for. */
import type { ChalkInstance } from 'chalk';
import { lostWrites } from '../properties/lost-writes.js';
import type { Verdict } from '../properties/types.js';
import type { CheckedRun } from '../scenarios/runner.js';
import { formatUs } from './style.js';

export function renderRunSummary(run: CheckedRun, c: ChalkInstance): string {
  const r = run.record;
  const m = r.metrics;
  const lines = [
    c.bold(`${r.scenario}`) + `  protocol=${r.protocol}  seed=${r.seed}  mutant=${r.mutant ?? '-'}`,
    `  simulated ${formatUs(r.endUs)} · ${m.events} events · ${m.messagesSent} messages ` +
      `(${m.messagesDropped} dropped, ${m.duplicates} duplicated` +
      `${m.messagesHeld > 0 ? `, ${m.messagesHeld} held back` : ''}) · ${m.persists} disk writes`,
    `  ops: ${m.opsOk} ok · ${m.opsFail} failed · ${m.opsInfo} indefinite ` +
      `· ${m.throughputOpsPerS} ops/s · ` +
      `latency p50 ${formatUs(m.latencyUs.p50)} p90 ${formatUs(m.latencyUs.p90)}` +
        ` p99 ${formatUs(m.latencyUs.p99)}`,
  ];
  const width = Math.max(...run.verdicts.map((v) => v.property.length), 8);
  const measures = (v: Verdict): string => (v.measures === undefined ? ''
    : c.dim(`  [${Object.entries(v.measures).map(([k, x]) => `${k}=${x}`).join(' ')}]`));
  // Checks carry a mark; measures (availability, anomalies, a verdict the protocol does not
  // claim) are numbers, not passes, so they get none.
  lines.push('  checks:');
  for (const v of run.verdicts.filter((x) => x.measured !== true)) {
    const mark = v.status === 'pass' ? c.green('✓') : v.status === 'fail' ? c.red('✗')
      : c.yellow('?');
    lines.push(`    ${mark} ${v.property.padEnd(width)}` +
      `  ${v.status === 'skip' ? c.dim(v.message) : v.message}${measures(v)}`);
  }
  lines.push('  measures (not judged):');
  for (const v of run.verdicts.filter((x) => x.measured === true)) {
    lines.push(`      ${v.property.padEnd(width)}  ${v.message}${measures(v)}`);
  }
  const lost = lostWrites(run.verdicts);
  if (lost !== null) {
    const reordered = lost.reordered > 0
      ? `, ${lost.reordered} overwritten by a write re-executed after them (reordered)` : '';
    lines.push(`      ${'lost acked writes'.padEnd(width)}  ${lost.lost} (from ${lost.source})` +
      `${reordered}`);
  }
  lines.push(run.ok ? c.green('  verdict: ok')
    : c.red(`  verdict: ${run.violations.length} violation(s)`));
  lines.push(`trace-hash: ${r.traceHash}`);
  return lines.join('\n');
}

/** `run` of a saved run, counterexample or regression file: what it took from the file. */
export function renderRunSource(kind: string, file: string, seed: number,
  mutant: string | null): string {
  return `from ${kind} ${file}: seed ${seed}, mutant ${mutant ?? '-'}`;
}

export function renderRunFolder(folder: string): string {
  return `run folder: ${folder} (report.html, history, trace)`;
}

/** `run --save`: where the run went and how to replay it (`replayArgs`: --protocol-file flags). */
export function renderSaved(file: string, replayArgs: string): string {
  return `saved: ${file} (replay with: npx replisim replay ${file}${replayArgs})`;
}

/** The files a command wrote besides its run folder's usual ones (compare, experiment). */
export function renderWrote(json: string, html: string): string {
  return `wrote ${json} and ${html}`;
}
