import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../reports/html.js';
import { primaryBars } from '../../reports/roles.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';

describe('HTML report: primaries over time', () => {
  it('shows concurrent primaries of a three-way partition as overlapping bars', () => {
    const run = runChecked({ scenario: loadScenario('opb-three-way'), seed: 0 });
    const bars = primaryBars(run.record);
    expect(bars.length).toBeGreaterThanOrEqual(3);
    for (const b of bars) expect(b.to).toBeGreaterThanOrEqual(b.from);
    const overlapping = bars.some((a) => bars.some((b) => a !== b && a.group === b.group
      && a.from < b.to && b.from < a.to));
    expect(overlapping).toBe(true);
    const html = renderHtmlReport(run);
    expect(html).toContain('s0 primary');
    expect(html.match(/class="role"/g)?.length).toBe(bars.length);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
  it('has no primary lanes for a protocol that does not observe roles', () => {
    const run = runChecked({ scenario: loadScenario('example-steady'), seed: 1 });
    expect(primaryBars(run.record)).toEqual([]);
    expect(renderHtmlReport(run)).not.toContain('class="role"');
  });
});
