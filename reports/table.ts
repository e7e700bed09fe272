/** Plain-text tables for the terminal (experiments, comparisons). */
import type { ChalkInstance } from 'chalk';

/** `left`: how many leading columns are labels (left-aligned); numbers align right. */
export function renderTable(title: string, columns: readonly string[],
  rows: readonly (readonly (string | number)[])[], c: ChalkInstance, left = 1): string {
  const cells = rows.map((r) => r.map((v) => (typeof v === 'number' ? formatNumber(v) : v)));
  const widths = columns.map((h, i) => Math.max(h.length,
    ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((v, i) => (i < left ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')
      .trimEnd();
  return [c.bold(title), c.dim(line(columns)), ...cells.map(line)].join('\n');
}

export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);
}
