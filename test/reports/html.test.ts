import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../reports/html.js';
import { linearizationView } from '../../reports/report-data.js';
import { primaryBars } from '../../reports/roles.js';
import { loadScenario } from '../../scenarios/load.js';
import { runChecked } from '../../scenarios/runner.js';
import { fakeRun } from '../helpers/record.js';

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
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/[^"' ]*\.(js|css)/);
  });
  it('shows the example primary as one bar over the whole run', () => {
    const run = runChecked({ scenario: loadScenario('example-steady'), seed: 1 });
    expect(primaryBars(run.record)).toEqual([
      { group: 'kv', node: 'n1', from: 0, to: run.record.endUs },
    ]);
    expect(renderHtmlReport(run)).toContain('kv primary');
  });
  it("shows SMART's leaders per configuration; a crash ends the crashed leader's bar", () => {
    const run = runChecked({ scenario: loadScenario('smart-leader-crash'), seed: 0 });
    const bars = primaryBars(run.record);
    expect(new Set(bars.map((b) => b.group))).toEqual(new Set(['config 1']));
    const first = bars[0]!;
    // n1 wins the first election at once and leads until its crash at 400 ms.
    expect(first).toMatchObject({ node: 'n1', to: 400_000 });
    expect(first.from).toBeLessThan(10_000);
    expect(bars.some((b) => b.node !== 'n1' && b.from > 400_000)).toBe(true);
    expect(renderHtmlReport(run)).toContain('config 1 primary');
  });
  it('has no lanes for a run without role observations', () => {
    expect(primaryBars(fakeRun({ observations: [
      { at: 0, seq: 0, node: 'n1', label: 'state',
        data: { digest: 'a', applied: 0 } }] }))).toEqual([]);
  });
});

describe('role lanes order the facts of one instant as they happened', () => {
  const role = (seq: number, r: 'leader' | 'follower') =>
    ({ at: 100, seq, node: 'n1', label: 'role', data: { group: 'g', role: r, node: 'n1' } });
  const down = (seq: number) => ({ at: 100, seq, node: 'n1', kind: 'down' as const });

  it('a node that crashes, restarts and leads in one instant keeps its bar', () => {
    const run = fakeRun({ observations: [role(2, 'leader')], endUs: 500 });
    expect(primaryBars({ ...run, nodeEvents: [down(1)] }))
      .toEqual([{ group: 'g', node: 'n1', from: 100, to: 500 }]);
  });

  it('a node that leads and then crashes in that instant leads for no time', () => {
    const run = fakeRun({ observations: [role(1, 'leader')], endUs: 500 });
    expect(primaryBars({ ...run, nodeEvents: [down(2)] }))
      .toEqual([{ group: 'g', node: 'n1', from: 100, to: 100 }]);
  });
});

describe('HTML report: the data it draws', () => {
  it('inlines uPlot and the run data; no network, nothing closes a script early', () => {
    const run = runChecked({ scenario: loadScenario('example-partition'), seed: 7,
      keepTrace: true });
    const html = renderHtmlReport(run);
    expect(html).toContain('uPlot');
    for (const id of ['ops', 'messages', 'latency', 'throughput', 'inspector']) {
      expect(html).toContain(`id="${id}"`);
    }
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s
      .exec(html)![1]!;
    expect(json).not.toContain('<');
    const data = JSON.parse(json) as { msgs: { s: number[]; d: number[] }; lanes: string[];
      ops: unknown[]; faults: unknown[] };
    expect(data.msgs.s).toHaveLength(run.record.messages!.length);
    expect(data.msgs.d.filter((d) => d >= 0)).toHaveLength(run.record.metrics.messagesDropped);
    expect(data.lanes.slice(0, 3)).toEqual(['n1', 'n2', 'n3']);
    expect(data.ops).toHaveLength(run.record.history.ops.length);
    expect(data.faults.length).toBe(run.record.faults.length);
  });

  it("a non-linearizable history gives the key's linearization with model states", () => {
    const run = runChecked({ scenario: loadScenario('opb-three-way'), seed: 0 });
    const view = linearizationView(run)!;
    expect(view.claimed).toBe(false);
    expect(view.steps.length).toBeGreaterThan(3);
    // The kv model's state after a put is the value put.
    const put = view.steps.find((s) => /^put /.test(s.text))!;
    expect(put.state).toContain(JSON.parse(/^put \S+ ("[^"]*")/.exec(put.text)![1]!) as string);
    expect(view.blocked).not.toBeNull();
    expect(renderHtmlReport(run)).toContain('id="lin-body"');
    const fine = runChecked({ scenario: loadScenario('example-steady'), seed: 1 });
    expect(linearizationView(fine)).toBeNull();
    expect(renderHtmlReport(fine)).not.toContain('id="lin-body"');
  });
});
