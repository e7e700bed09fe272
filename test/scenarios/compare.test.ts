import { describe, expect, it } from 'vitest';
import { compareScenario } from '../../scenarios/compare.js';
import { loadScenario } from '../../scenarios/load.js';
import { cli } from '../helpers/cli.js';

/**
 * The widest line of a report, leaving out the closing `wrote PATH` line: its width is that of
 * the folder the machine gives (the tests' temporary folder here), not the report's layout.
 */
function widestLine(stdout: string): number {
  const shown = stdout.split('\n').filter((l) => !l.startsWith('wrote '));
  return Math.max(...shown.map((l) => l.length));
}

describe('compare: SMART vs OPB on the same faults and seeds', () => {
  it('a majority of the group down: OPB keeps answering during the faults, SMART does not', () => {
    const sc = loadScenario('opb-majority-dcs-down');
    const smart = compareScenario(sc, 'smart', 1);
    const opb = compareScenario(sc, 'opb', 1);
    expect(opb.answeredInFaultsPct).toBe(100);
    expect(smart.answeredInFaultsPct).toBe(0);
    expect(smart.longestOutageMs).toBeGreaterThan(5 * opb.longestOutageMs);
    expect(opb.violations + smart.violations).toBe(0);
  });
  it('halves: merge reorders are not counted as lost acknowledged writes', () => {
    const opb = compareScenario(loadScenario('opb-partition-halves'), 'opb', 1);
    expect(opb.lostAckedWrites).toBe(0);
    expect(opb.overwrittenByReorder).toBeGreaterThan(0);
    expect(opb.convergenceMs).not.toBeNull();
  });
  it('prints one JSON document with a row per scenario and protocol', () => {
    const r = cli(['compare', '--scenarios', 'opb-steady', '--seeds', '1', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { schema: string; rows: { protocol: string }[] };
    expect(doc.schema).toBe('replisim/compare@1');
    expect(doc.rows.map((x) => x.protocol).sort()).toEqual(['opb', 'smart']);
  });
  it('fits 100 columns with a legend; measures carry no pass mark', () => {
    const r = cli(['compare', '--scenarios', 'opb-partition-halves,opb-steady', '--seeds', '1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(widestLine(r.stdout)).toBeLessThanOrEqual(100);
    expect(r.stdout).toContain('Legend');
    for (const column of ['lost', 'reordered', 'outage ms', 'converge ms']) {
      expect(lines.some((l) => l.trimStart().startsWith(column))).toBe(true);
    }
    expect(r.stdout).not.toMatch(/[✓✗]|pass/);
    // Fault-free OPB: no start-up "outage" (≈ 200 ms before) and converged at once (was 300 ms).
    const opb = compareScenario(loadScenario('opb-steady'), 'opb', 2);
    expect(opb.longestOutageMs).toBeLessThan(100);
    expect(opb.convergenceMs).toBe(0);
  });
  it('`npm start` (replisim start) fits 100 columns', () => {
    const r = cli(['start']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Anomalies and convergence');
    expect(widestLine(r.stdout)).toBeLessThanOrEqual(100);
  });
  it('run: measures are listed apart, without a tick, with the same lost-write count', () => {
    const r = cli(['run', 'opb-partition-halves', '--protocol', 'opb', '--seed', '1']);
    expect(r.code).toBe(0);
    const after = r.stdout.slice(r.stdout.indexOf('measures (not judged):'));
    expect(after).toMatch(/lost acked writes +0 \(from opb-c6-no-loss-without-fork\), \d+ /);
    expect(after).not.toContain('✓');
    expect(r.stdout).not.toMatch(/✓ (linearizability|availability|anomalies)/);
    const opb = compareScenario(loadScenario('opb-partition-halves'), 'opb', 1);
    const reordered = /, (\d+) overwritten/.exec(after)?.[1];
    expect(Number(reordered)).toBe(opb.overwrittenByReorder);
  });
  it('names an unknown scenario in one line (exit 2)', () => {
    const r = cli(['compare', '--scenarios', 'no-such-scenario', '--seeds', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
