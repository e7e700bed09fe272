/**
 * The state-coverage lines of `explore` and `sweep` (--state-coverage): distinct protocol
 * states over the trials, per scenario, and how the count grows with the number of trials
 * (saturation). The JSON documents carry the figure as it is (scenarios/state-coverage.ts).
 */
import type { ChalkInstance } from 'chalk';
import type { StateCoverageFigure } from '../scenarios/state-coverage.js';
import { renderTable } from './table.js';

export function renderStateCoverage(f: StateCoverageFigure, c: ChalkInstance): string {
  const lines = [c.bold(`state coverage: ${f.distinct} distinct protocol states in ` +
    `${f.trials} trial${f.trials === 1 ? '' : 's'} (64-bit node-state fingerprints)`)];
  lines.push(`  saturation (trials→states): ` +
    f.saturation.map((p) => `${p.trials}→${p.distinct}`).join(' '));
  const tail = saturationTail(f);
  if (tail !== null) lines.push(`  ${tail}`);
  if (f.byScenario.length > 1) {
    lines.push(renderTable('state coverage by scenario', ['scenario', 'trials', 'states'],
      f.byScenario.map((s) => [s.scenario, s.trials, s.distinct]), c));
  }
  return lines.join('\n');
}

/**
 * How much the last doubling of the trials added: near 0 % the random search has stopped
 * finding new states; a large share means more trials would still find many.
 */
function saturationTail(f: StateCoverageFigure): string | null {
  const s = f.saturation;
  if (s.length < 2) return null;
  const last = s.at(-1)!;
  const half = [...s].reverse().find((p) => 2 * p.trials <= last.trials);
  if (half === undefined || last.distinct === 0) return null;
  const added = last.distinct - half.distinct;
  return `the last ${last.trials - half.trials} trials added ${added} new states ` +
    `(${Math.round((1000 * added) / last.distinct) / 10} % of the total)`;
}
