/**
 * The experiment figures as SVG (reports/figure-svg.ts): one dot per request at its place, the
 * fault marked, the paper's values drawn beside ours, bars proportional to their values, and
 * text escaped. The browser test (browser.test.ts) checks the same pages render in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { renderExperimentHtml } from '../../reports/experiment.js';
import { renderFigure, ticks } from '../../reports/figure-svg.js';
import type {
  BarsFigure, ExperimentResult, TimelineFigure,
} from '../../scenarios/experiments/types.js';

const timeline: TimelineFigure = {
  kind: 'timeline', title: 'Fig. <9>',
  series: [{ label: 'ours', points: [[0, 3], [1, 3], [2, 30], [4, 3]] }],
  marks: [{ x: 2, label: 'migration' }], spans: [{ from: 2, to: 3, label: 'transfer' }],
  paper: [{ y: 3.4, label: 'paper: 3.4 ms' }, { y: 3, label: 'paper: 3 ms' }],
};

/** The x attribute of every element carrying `cls`. */
const attr = (svg: string, cls: string, name: string): number[] =>
  [...svg.matchAll(new RegExp(`class="${cls}"[^>]*? ${name}="([\\d.]+)"`, 'g'))]
    .map((m) => Number(m[1]));

describe('timeline figures', () => {
  it('draws one dot per request, left to right and higher for slower requests', () => {
    const svg = renderFigure(timeline);
    const d = /class="series" d="([^"]+)"/.exec(svg)![1]!;
    const dots = [...d.matchAll(/M([\d.]+) ([\d.]+)h0/g)].map((m) => [Number(m[1]),
      Number(m[2])]);
    expect(dots).toHaveLength(4);
    expect(dots.map((p) => p[0])).toEqual([...dots.map((p) => p[0]!)].sort((a, b) => a - b));
    // SVG y grows downwards: the 30 ms request is drawn highest.
    expect(dots[2]![1]).toBeLessThan(dots[0]![1]!);
    expect(dots[0]![1]).toBe(dots[1]![1]);
  });

  it('marks the migration at its time, shades the span and draws each paper value', () => {
    const svg = renderFigure(timeline);
    const d = /class="series" d="([^"]+)"/.exec(svg)![1]!;
    const third = [...d.matchAll(/M([\d.]+) /g)][2]![1];
    expect(attr(svg, 'mark', 'x1')).toEqual([Number(third)]);
    expect(attr(svg, 'span', 'x')).toEqual([Number(third)]);
    expect(svg.match(/class="paper"/g)).toHaveLength(2);
    expect(svg).toContain('paper: 3.4 ms');
    // Close paper values get labels at least a line apart.
    const labels = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" fill="#666">paper/g)]
      .map((m) => Number(m[1]));
    expect(Math.abs(labels[0]! - labels[1]!)).toBeGreaterThanOrEqual(12);
  });

  it('escapes text and marks the figure for the page', () => {
    const svg = renderFigure(timeline);
    expect(svg).toContain('Fig. &lt;9&gt;');
    expect(svg).not.toContain('<9>');
    expect(svg).toMatch(/^<figure class="figure" data-kind="timeline">/);
  });

  it('a log axis spreads a 3 s stall and 3 ms requests over decades', () => {
    const svg = renderFigure({ ...timeline, logY: true,
      series: [{ label: 'ours', points: [[0, 3], [1, 3000]] }] });
    expect(svg).toContain('latency (ms, log)');
    for (const tick of ['>1<', '>10<', '>100<', '>1000<', '>10000<']) expect(svg).toContain(tick);
  });
});

describe('bar figures', () => {
  const bars: BarsFigure = { kind: 'bars', title: 'Fig. 11', unit: '%',
    bars: [{ label: '1 delayed', ours: 100, paper: 17 }, { label: '2 delayed', ours: 0,
      paper: 83 }, { label: 'n/a row', ours: null, paper: null }] };

  it('draws ours beside the paper in proportion, and n/a for a missing value', () => {
    const svg = renderFigure(bars);
    const ours = attr(svg, 'bar-ours', 'width');
    const paper = attr(svg, 'bar-paper', 'width');
    expect(ours).toHaveLength(2);
    expect(paper).toHaveLength(2);
    expect(paper[0]! / ours[0]!).toBeCloseTo(0.17, 2);
    expect(svg.match(/: n\/a/g)).toHaveLength(2);
  });
});

describe('ticks', () => {
  it('are round and cover the range', () => {
    expect(ticks(0, 16.2)).toEqual([0, 5, 10, 15]);
    expect(ticks(0, 0.8)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(ticks(1, 1)).toEqual([1]);
  });
});

describe('experiment pages', () => {
  const base: ExperimentResult = { name: 'x', description: 'd', checks: [],
    tables: [{ title: 't', columns: ['setup', 'ours'], rows: [['a', 1], ['b', 2]] }] };

  it('draw the experiment’s figures, or the tables’ bars when it has none', () => {
    const withFigures = renderExperimentHtml({ ...base, figures: [timeline] });
    expect(withFigures.match(/<figure class="figure"/g)).toHaveLength(1);
    expect(withFigures).toContain('data-kind="timeline"');
    const without = renderExperimentHtml(base);
    expect(without).toContain('data-kind="table-bars"');
    expect(without).not.toContain('<script');
  });
});
