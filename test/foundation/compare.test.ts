import { describe, expect, it } from 'vitest';
import { compareScenario } from '../../scenarios/compare.js';
import { loadScenario } from '../../scenarios/load.js';
import { cli } from '../helpers/cli.js';

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
  it('names an unknown scenario in one line (exit 2)', () => {
    const r = cli(['compare', '--scenarios', 'no-such-scenario', '--seeds', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
