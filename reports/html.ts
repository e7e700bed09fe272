/**
 * A self-contained HTML report of one run: verdicts, metrics, and a space-time diagram of the
 * client history (one lane per client, one bar per operation, open-ended bars for indefinite
 * operations) with the fault schedule as coloured bands. Inline SVG and JS only; works offline.
 */
import type { CheckedRun } from '../scenarios/runner.js';
import { describeFault } from '../simulator/describe.js';
import { primaryBars, type RoleBar } from './roles.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const PALETTE = ['#4a90d9', '#d9534f', '#5cb85c', '#f0ad4e', '#8e6bbf', '#3bb5b0', '#c76b98',
  '#7f8c3d'];

/** Greedy rows so overlapping primaries of one group (split brain) sit one above the other. */
function packRows(bars: readonly RoleBar[]): { bar: RoleBar; row: number }[] {
  const ends: number[] = [];
  return bars.map((bar) => {
    let row = ends.findIndex((e) => e <= bar.from);
    if (row < 0) row = ends.length;
    ends[row] = bar.to;
    return { bar, row };
  });
}

export function renderHtmlReport(run: CheckedRun): string {
  const r = run.record;
  const ops = r.history.ops;
  const clients =
    [...new Set(ops.map((o) => o.client))].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const width = 1100;
  const lane = 22;
  const left = 50;
  const end = Math.max(1, r.endUs);
  const x = (t: number): number => left + ((width - left - 10) * t) / end;
  const roleBars = primaryBars(r);
  const groups = [...new Set(roleBars.map((b) => b.group))];
  const packed = groups.map((g) => packRows(roleBars.filter((b) => b.group === g)));
  const groupTop: number[] = [];
  let top = 24 + clients.length * lane;
  for (const rows of packed) {
    groupTop.push(top);
    top += 6 + 10 * Math.max(1, ...rows.map((p) => p.row + 1));
  }
  const nodes = [...new Set(roleBars.map((b) => b.node))].sort();
  const roleRects = packed.flatMap((rows, gi) => rows.map(({ bar, row }) => {
    const colour = PALETTE[nodes.indexOf(bar.node) % PALETTE.length]!;
    const text = `${bar.node} primary of ${bar.group} [${bar.from}, ${bar.to}]us`;
    return `<rect class="role" fill="${colour}" data-d="${esc(text)}" x="${x(bar.from)}" ` +
      `y="${groupTop[gi]! + 10 * row}" width="${Math.max(1.5, x(bar.to) - x(bar.from))}" ` +
      `height="8"><title>${esc(text)}</title></rect>`;
  }));
  const roleLabels = groups.map((g, gi) =>
    `<text x="4" y="${groupTop[gi]! + 8}" class="axis">${esc(g)} primary</text>`);
  const height = groups.length > 0 ? top + 18 : 44 + clients.length * lane;
  const bands = r.faults.map((f, i) => {
    const next = r.faults.slice(i + 1).find((g) => g.at > f.at);
    const stop = f.kind === 'heal' || f.kind === 'restart' || f.kind === 'resume' ? f.at
      : (next?.at ?? r.faultWindowEndUs);
    const w = Math.max(2, x(stop) - x(f.at));
    return `<rect class="fault" x="${x(f.at)}" y="0" width="${w}" height="${height}">` +
      `<title>${esc(`t=${f.at}us ${describeFault(f)}`)}</title></rect>`;
  });
  const lin = run.verdicts.find((v) => v.property === 'linearizability'
    && v.details !== undefined)?.details as
    { linearized?: number[]; blocked?: number | null } | null | undefined;
  const linearized = new Set(lin?.linearized ?? []);
  const bars = ops.map((o) => {
    const y = 20 + clients.indexOf(o.client) * lane;
    const stop = o.return ?? end;
    const mark = lin?.blocked === o.id ? ' blocked' : linearized.has(o.id) ? ' linearized' : '';
    const cls = (o.status === 'ok' ? 'ok' : o.status === 'fail' ? 'failed' : 'info') + mark;
    const out = o.output === undefined ? 'no response' : JSON.stringify(o.output);
    const text =
      `#${o.id} ${o.client} ${JSON.stringify(o.input)} → ${out} [${o.call}, ${o.return ?? '∞'}]us`;
    return `<rect class="op ${cls}" data-d="${esc(text)}" x="${x(o.call)}" y="${y}" ` +
      `width="${Math.max(1.5, x(stop) - x(o.call))}" height="${lane - 8}"/>`;
  });
  const labels = clients.map((c, i) => `<text x="4" y="${32 + i * lane}">${esc(c)}</text>`);
  const ticks = Array.from({ length: 6 }, (_, i) => Math.round((end * i) / 5)).map((t) =>
    `<line x1="${x(t)}" x2="${x(t)}" y1="${height - 14}" y2="${height - 10}" class="tick"/>` +
    `<text x="${x(t)}" y="${height - 1}" text-anchor="middle" ` +
      `class="axis">${(t / 1000).toFixed(0)}ms</text>`);
  const settle = `<line x1="${x(r.faultWindowEndUs)}" x2="${x(r.faultWindowEndUs)}" y1="0" ` +
    `y2="${height}" class="settle"/>`;
  // A measure (availability, anomalies, an unclaimed verdict) is not a pass.
  const verdicts = run.verdicts.map((v) => {
    const shown = v.measured === true ? 'measured' : v.status;
    return `<tr class="${shown}"><td>${shown}</td><td>${esc(v.property)}</td>` +
      `<td>${esc(v.message)}</td></tr>`;
  }).join('');
  const m = r.metrics;
  return `<!doctype html><html><head><meta charset="utf-8">` +
    `<title>replisim ${esc(r.scenario)} seed ${r.seed}</title>\n` +
    `<style>body{font:14px system-ui,sans-serif;margin:20px}` +
    `svg{border:1px solid #ccc;background:#fff}\n` +
    `.op{stroke:#fff;stroke-width:.6}.op.ok{fill:#4a90d9}.op.info{fill:#e0a030}` +
    `.op.failed{fill:#999}.op:hover{fill:#333;cursor:pointer}\n` +
    `.op.linearized{stroke:#1a7f37;stroke-width:1.5}.op.blocked{fill:#d00;stroke:#000;` +
    `stroke-width:1.5}.axis{font-size:10px;fill:#555}.tick{stroke:#555}\n` +
    `.fault{fill:#f4c7c3;opacity:.45}.settle{stroke:#393;stroke-dasharray:4}\n` +
    `tr.fail td{color:#b00}tr.pass td:first-child{color:#080}td{padding:2px 8px}` +
    `#detail{font-family:monospace;min-height:1.4em}</style></head><body>\n` +
    `<h2>${esc(r.scenario)} — protocol ${esc(r.protocol)}, seed ${r.seed}` +
    `${r.mutant ? `, mutant ${esc(r.mutant)}` : ''}</h2>\n` +
    `<p>verdict: <b>${run.ok ? 'ok' : `${run.violations.length} violation(s)`}</b>` +
    ` · trace-hash <code>${r.traceHash}</code></p>\n` +
    `<table>${verdicts}</table>\n` +
    `<p>${m.events} events · ${m.messagesSent} messages (${m.messagesDropped} dropped)` +
    ` · ops ${m.opsOk} ok, ${m.opsInfo} indefinite ·\n` +
    `latency p50 ${m.latencyUs.p50}us p99 ${m.latencyUs.p99}us</p>\n` +
    `<p>Client operations over simulated time (blue: ok, orange: indefinite, grey: failed); ` +
    `red bands: faults (hover for the fault); dashed line: end of the fault window.` +
    `${groups.length > 0 ? ' Lower lanes: the primary of each group over time, one colour ' +
      'per node; stacked bars are concurrent primaries (split brain).' : ''}` +
    `${lin ? ' Not linearizable: green outline = the longest partial linearization, ' +
      'red = the operation that cannot be placed next.' : ''} Click an operation.</p>\n` +
    `<div id="detail"></div>\n` +
    `<svg id="st" width="${width}" height="${height}">${bands.join('')}${settle}` +
    `${labels.join('')}${bars.join('')}${roleLabels.join('')}${roleRects.join('')}` +
    `${ticks.join('')}</svg>\n` +
    `${nodes.length === 0 ? '' : `<p>${nodes.map((n, i) => `<span style="color:` +
      `${PALETTE[i % PALETTE.length]}">■</span> ${esc(n)}`).join(' &nbsp; ')}</p>\n`}` +
    `<script>document.getElementById('st').addEventListener('click',function(e){` +
    `var d=e.target.getAttribute('data-d');` +
    `if(d)document.getElementById('detail').textContent=d;});</script>\n` +
    `</body></html>\n`;
}
