/**
 * Experiment results for the terminal and as a self-contained HTML page: the paper's figures
 * redrawn with our values (reports/figure-svg.ts), then the tables and the shape checks.
 */
import type { ChalkInstance } from 'chalk';
import type { ExperimentResult, ExperimentTable } from '../scenarios/experiments/types.js';
import { escapeHtml as esc, renderFigure } from './figure-svg.js';
import { renderTable } from './table.js';

export function renderExperiment(result: ExperimentResult, c: ChalkInstance): string {
  const parts = [c.bold(`experiment ${result.name}`) + c.dim(` — ${result.description}`)];
  for (const t of result.tables) parts.push(renderTable(t.title, t.columns, t.rows, c));
  if (result.checks.length > 0) {
    const lines = result.checks.map((k) =>
      `  ${k.ok ? c.green('✓') : c.red('✗')} ${k.claim} ${c.dim(`(${k.detail})`)}`);
    parts.push([c.bold('shape checks'), ...lines].join('\n'));
  }
  return parts.join('\n\n');
}

/** One horizontal bar chart per numeric column of a table (experiments without figures). */
function svgBars(t: ExperimentTable): string {
  return t.columns.slice(1).map((col, i) => {
    const values = t.rows.map((r) => r[i + 1]);
    if (!values.every((v) => typeof v === 'number')) return '';
    const nums = values as number[];
    const max = Math.max(...nums.map(Math.abs), 1e-9);
    const bars = t.rows.map((r, j) => {
      const w = (300 * Math.abs(nums[j]!)) / max;
      return `<text x="0" y="${16 + j * 20}">${esc(String(r[0]))}</text><rect x="220" ` +
        `y="${5 + j * 20}" width="${w}" height="14" fill="#4a90d9"/>` +
        `<text x="${225 + w}" y="${16 + j * 20}">${nums[j]}</text>`;
    }).join('');
    return `<figure class="figure" data-kind="table-bars"><figcaption>${esc(col)}</figcaption>` +
      `<svg width="640" height="${10 + t.rows.length * 20}" font-size="12">${bars}</svg>` +
      `</figure>`;
  }).join('');
}

export function renderExperimentHtml(result: ExperimentResult): string {
  const figures = (result.figures ?? []).map(renderFigure).join('');
  const drawn = figures !== '';
  const tables = result.tables.map((t) => `<h3>${esc(t.title)}</h3><table><tr>` +
    `${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>` +
    t.rows.map((r) => `<tr>${r.map((v) => `<td>${esc(String(v))}</td>`).join('')}</tr>`).join('') +
    `</table>${drawn ? '' : svgBars(t)}`).join('');
  const checks = result.checks.map((k) => `<li class="${k.ok ? 'ok' : 'bad'}">` +
    `${k.ok ? '✓' : '✗'} ${esc(k.claim)} <small>${esc(k.detail)}</small></li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8">` +
    `<title>replisim experiment ${esc(result.name)}</title>\n` +
    `<style>body{font:14px system-ui,sans-serif;margin:20px}table{border-collapse:collapse}` +
    `td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\n` +
    `td:first-child,th:first-child{text-align:left}.ok{color:#080}.bad{color:#b00}` +
    `figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}` +
    `</style></head><body>\n` +
    `<h2>${esc(result.name)}</h2><p>${esc(result.description)}</p>${figures}${tables}` +
    `<h3>Shape checks</h3><ul>${checks}</ul></body></html>\n`;
}
