/**
 * An experiment's figures as inline SVG: static markup, no script and no network, so the page
 * is self-contained and reads the same printed. Two shapes cover the SMART paper's figures:
 * latency over time with the fault or migration marked (Figs. 8–10) and bars of ours beside
 * the paper's (§6.6, Fig. 11).
 */
import type {
  BarsFigure, ExperimentFigure, TimelineFigure,
} from '../scenarios/experiments/types.js';

const W = 760;
const H = 280;
const PAD = { left: 58, right: 170, top: 26, bottom: 40 };
const COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];
const PAPER = '#999';

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;')
  .replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** About five round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) {
    out.push(Number((k * step).toPrecision(12)));
  }
  return out;
}

const fmt = (v: number): string => String(Math.round(v * 1000) / 1000);

function frame(title: string, kind: string, body: string): string {
  return `<figure class="figure" data-kind="${kind}"><figcaption>${escapeHtml(title)}` +
    `</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" ` +
    `height="${H}" role="img" aria-label="${escapeHtml(title)}" font-size="11" ` +
    `font-family="system-ui,sans-serif">${body}</svg></figure>`;
}

function timeline(f: TimelineFigure): string {
  const pts = f.series.flatMap((s) => s.points);
  const xs = [...pts.map((p) => p[0]), ...f.marks.map((m) => m.x),
    ...(f.spans ?? []).flatMap((s) => [s.from, s.to])];
  const ys = [...pts.map((p) => p[1]), ...f.paper.map((p) => p.y)].filter((y) => y > 0);
  const x0 = Math.min(...xs, 0);
  const x1 = Math.max(...xs, x0 + 1e-6);
  const log = f.logY === true;
  const y0 = log ? 10 ** Math.floor(Math.log10(Math.min(...ys, 1))) : 0;
  const y1 = log ? 10 ** Math.ceil(Math.log10(Math.max(...ys, 1) * 1.01))
    : Math.max(...ys, 1) * 1.08;
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const sx = (x: number): number => r1(PAD.left + ((x - x0) / (x1 - x0)) * pw);
  const sy = (y: number): number => {
    const t = log ? (Math.log10(Math.max(y, y0)) - Math.log10(y0)) /
      (Math.log10(y1) - Math.log10(y0)) : y / y1;
    return r1(PAD.top + ph - t * ph);
  };
  const yTicks = log ? Array.from({ length: Math.round(Math.log10(y1 / y0)) + 1 },
    (_, i) => y0 * 10 ** i) : ticks(0, y1);
  const parts: string[] = [];
  for (const s of f.spans ?? []) {
    parts.push(`<rect class="span" x="${sx(s.from)}" y="${PAD.top}" width="` +
      `${Math.max(1, r1(sx(s.to) - sx(s.from)))}" height="${ph}" fill="#fde5c8"/>` +
      `<text x="${sx(s.from) + 2}" y="${PAD.top + ph - 4}" fill="#a65">${escapeHtml(s.label)}` +
      `</text>`);
  }
  for (const v of yTicks) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + pw}" y1="${sy(v)}" y2="${sy(v)}" ` +
      `stroke="#eee"/><text x="${PAD.left - 4}" y="${sy(v) + 4}" text-anchor="end">` +
      `${fmt(v)}</text>`);
  }
  for (const v of ticks(x0, x1)) {
    parts.push(`<text x="${sx(v)}" y="${PAD.top + ph + 14}" text-anchor="middle">${fmt(v)}` +
      `</text>`);
  }
  parts.push(`<text x="${PAD.left + pw / 2}" y="${H - 6}" text-anchor="middle">time (s)</text>` +
    `<text x="12" y="${PAD.top + ph / 2}" transform="rotate(-90 12 ${PAD.top + ph / 2})" ` +
    `text-anchor="middle">latency (ms${log ? ', log' : ''})</text>` +
    `<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="none" ` +
    `stroke="#888"/>`);
  for (const m of f.marks) {
    parts.push(`<line class="mark" x1="${sx(m.x)}" x2="${sx(m.x)}" y1="${PAD.top}" ` +
      `y2="${PAD.top + ph}" stroke="#d62728" stroke-width="1.5"/><text x="${sx(m.x) + 3}" ` +
      `y="${PAD.top - 6}" fill="#d62728">${escapeHtml(m.label)}</text>`);
  }
  // Paper labels sit right of the plot, nudged apart so that close values stay readable.
  let lastLabelY = -Infinity;
  for (const p of [...f.paper].sort((a, b) => b.y - a.y)) {
    const labelY = Math.max(sy(p.y) + 4, lastLabelY + 12);
    lastLabelY = labelY;
    parts.push(`<line class="paper" x1="${PAD.left}" x2="${PAD.left + pw}" y1="${sy(p.y)}" ` +
      `y2="${sy(p.y)}" stroke="${PAPER}" stroke-dasharray="5 4"/>` +
      `<text x="${PAD.left + pw + 6}" y="${labelY}" fill="#666">${escapeHtml(p.label)}</text>`);
  }
  f.series.forEach((s, i) => {
    const d = s.points.map((p) => `M${sx(p[0])} ${sy(p[1])}h0`).join('');
    parts.push(`<path class="series" d="${d}" stroke="${COLORS[i % COLORS.length]}" ` +
      `stroke-width="3" stroke-linecap="round" fill="none"/>` +
      `<text x="${PAD.left + pw - i * 90}" y="${PAD.top - 6}" text-anchor="end" ` +
      `fill="${COLORS[i % COLORS.length]}">● ${escapeHtml(s.label)}</text>`);
  });
  return frame(f.title, 'timeline', parts.join(''));
}

function bars(f: BarsFigure): string {
  const row = 34;
  const height = PAD.top + f.bars.length * row + 20;
  const max = Math.max(...f.bars.flatMap((b) => [b.ours ?? 0, b.paper ?? 0]), 1e-9);
  const left = 250;
  const width = W - left - 90;
  const parts = f.bars.map((b, i) => {
    const y = PAD.top + i * row;
    const bar = (v: number | null, dy: number, color: string, who: string): string =>
      v === null ? `<text x="${left + 2}" y="${y + dy + 10}" fill="#666">${who}: n/a</text>`
        : `<rect class="bar-${who}" x="${left}" y="${y + dy}" width="` +
          `${r1(Math.max(0.5, (width * v) / max))}" height="12" fill="${color}"/><text x="` +
          `${r1(left + 4 + (width * v) / max)}" y="${y + dy + 10}">${fmt(v)}</text>`;
    return `<text x="${left - 6}" y="${y + 16}" text-anchor="end">${escapeHtml(b.label)}` +
      `</text>${bar(b.ours, 2, COLORS[0]!, 'ours')}${bar(b.paper, 16, PAPER, 'paper')}`;
  });
  parts.push(`<text x="${left}" y="14" fill="${COLORS[0]}">■ ours</text><text x="` +
    `${left + 60}" y="14" fill="#666">■ paper</text><text x="${W - 10}" y="14" ` +
    `text-anchor="end">${escapeHtml(f.unit)}</text>`);
  return frame(f.title, 'bars', parts.join('')).replace(`viewBox="0 0 ${W} ${H}"`,
    `viewBox="0 0 ${W} ${height}"`).replace(`height="${H}"`, `height="${height}"`);
}

export function renderFigure(f: ExperimentFigure): string {
  return f.kind === 'timeline' ? timeline(f) : bars(f);
}
