/**
 * A self-contained HTML report of one run (docs/html-report.md): verdicts and metrics; client
 * operations per client with the primaries of each group; the message space-time diagram (one
 * lane per node, an arrow per message, drops marked); latency and throughput over time; the
 * node-state inspector and, when the history is not linearizable, the failing key's longest
 * partial linearization with the model state. Faults are bands everywhere; one time window
 * (zoom: wheel, buttons or drag on a plot; pan: drag) and one time cursor are shared by all.
 * The plots are uPlot (MIT), read from node_modules when the report is written and inlined
 * with the data, so the file works offline and needs no network at view time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CheckedRun } from '../scenarios/runner.js';
import { REPORT_SCRIPT } from './html-script.js';
import { reportData } from './report-data.js';
import { primaryBars } from './roles.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

let uplot: { js: string; css: string } | null = null;

/** uPlot's browser build and stylesheet, read once per process. */
function uplotAssets(): { js: string; css: string } {
  if (uplot === null) {
    const require = createRequire(import.meta.url);
    const read = (file: string): string => readFileSync(require.resolve(`uplot/dist/${file}`),
      'utf8');
    uplot = { js: read('uPlot.iife.min.js'), css: read('uPlot.min.css') };
  }
  return uplot;
}

/** Text that may sit inside a <script> element without closing it. */
const scriptSafe = (s: string): string => s.replace(/<\/(script)/gi, '<\\/$1');
/** JSON inside <script type="application/json">: no '<' at all, so nothing can close it. */
const jsonSafe = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

const STYLE = `
body{font:14px system-ui,sans-serif;margin:16px;max-width:none}
h2{margin:.2em 0}section{margin:14px 0}h3{margin:.4em 0;font-size:15px}
.panel{width:100%;overflow:hidden}canvas{display:block;cursor:crosshair}
.bar{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:6px 0}
button{font:inherit;padding:2px 10px}#detail{font-family:monospace;min-height:1.4em}
.note{color:#555;font-size:12px}table{border-collapse:collapse}
td,th{padding:2px 8px;vertical-align:top;text-align:left}
tr.fail td{color:#b00}tr.pass td:first-child{color:#080}
#inspector td{border-top:1px solid #eee;font-size:12px}#inspector code{word-break:break-all}
.st-down{color:#b00;font-weight:bold}.st-paused{color:#00a}
.lin-step td{border-top:1px solid #e4efe6}.lin-step:hover,.lin-blocked:hover{background:#ffd}
.lin-blocked td{background:#fde0e0;font-weight:bold}#lin-state{font-family:monospace}
.plots{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:12px}
.legend span{margin-right:12px}`;

export function renderHtmlReport(run: CheckedRun): string {
  const r = run.record;
  const data = reportData(run);
  const { js, css } = uplotAssets();
  // A measure (availability, anomalies, an unclaimed verdict) is not a pass.
  const verdicts = run.verdicts.map((v) => {
    const shown = v.measured === true ? 'measured' : v.status;
    return `<tr class="${shown}"><td>${shown}</td><td>${esc(v.property)}</td>` +
      `<td>${esc(v.message)}</td></tr>`;
  }).join('');
  const roles = primaryBars(r).map((b) => `<li class="role">${esc(b.group)} primary: ` +
    `${esc(b.node)} [${b.from}, ${b.to}] us</li>`).join('');
  const lin = data['lin'] === null ? '' : `<section id="lin-section"><h3>Linearization of key ` +
    `${esc((data['lin'] as { key: string }).key)}: the longest partial linearization, then ` +
    `the operation that cannot be placed next</h3><p class="note">Hover a row for the key's ` +
    `model state; click it to show the operation on the timeline.</p>` +
    `<div id="lin-state">&nbsp;</div><table id="lin"><thead><tr><th>step</th><th>op</th>` +
    `<th>client</th><th>operation</th><th>interval</th></tr></thead><tbody id="lin-body">` +
    `</tbody></table></section>\n`;
  const m = r.metrics;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>replisim ${esc(r.scenario)} seed ${r.seed}</title>\n` +
    `<style>${css}${STYLE}</style></head><body>\n` +
    `<h2>${esc(r.scenario)} — protocol ${esc(r.protocol)}, seed ${r.seed}` +
    `${r.mutant ? `, mutant ${esc(r.mutant)}` : ''}</h2>\n` +
    `<p>verdict: <b>${run.ok ? 'ok' : `${run.violations.length} violation(s)`}</b>` +
    ` · trace-hash <code>${r.traceHash}</code></p>\n` +
    `<table id="verdicts">${verdicts}</table>\n` +
    `<p>${m.events} events · ${m.messagesSent} messages (${m.messagesDropped} dropped)` +
    ` · ops ${m.opsOk} ok, ${m.opsInfo} indefinite ·\n` +
    `latency p50 ${m.latencyUs.p50}us p99 ${m.latencyUs.p99}us</p>\n` +
    `<div class="bar"><button id="zoom-in">zoom in</button><button id="zoom-out">zoom out` +
    `</button><button id="zoom-reset">whole run</button><span id="view-note" class="note">` +
    `</span></div>\n` +
    `<p class="note legend">Wheel: zoom at the pointer · drag: pan · double-click: whole run · ` +
    `drag on a plot: zoom to a stretch. <span style="color:#d9534f">■</span> fault in force ` +
    `<span style="color:#393">┆</span> end of the fault window ` +
    `<span style="color:#4a90d9">■</span> ok <span style="color:#e0a030">■</span> indefinite ` +
    `<span style="color:#aaa">■</span> failed${data['lin'] === null ? ''
      : ' <span style="color:#1a7f37">□</span> linearized <span style="color:#d00">■</span> ' +
        'cannot be linearized next'}</p>\n` +
    `<div id="detail"></div>\n` +
    `<section><h3>Client operations and primaries</h3>` +
    `<div class="panel"><canvas id="ops"></canvas></div></section>\n` +
    `<section><h3>Messages (one lane per node, then per client; red dashed ✗: dropped; ` +
    `shaded lane: node down or paused)</h3><div class="note" id="msg-note"></div>` +
    `<div class="panel"><canvas id="messages"></canvas></div></section>\n` +
    `<section class="plots"><div><h3>Latency over time</h3><div id="latency"></div></div>` +
    `<div><h3>Throughput</h3><div id="throughput"></div></div></section>\n` +
    lin +
    `<section><h3>Node state at the cursor (<span id="inspector-time"></span>)</h3>` +
    `<table id="inspector"><thead><tr><th>node</th><th>state</th><th>role</th>` +
    `<th>latest observations</th></tr></thead><tbody id="inspector-body"></tbody></table>` +
    `</section>\n` +
    `<details><summary>Primaries as text</summary><ul>${roles}</ul></details>\n` +
    `<script type="application/json" id="report-data">${jsonSafe(data)}</script>\n` +
    `<script>${scriptSafe(js)}</script>\n<script>${scriptSafe(REPORT_SCRIPT)}</script>\n` +
    `</body></html>\n`;
}
