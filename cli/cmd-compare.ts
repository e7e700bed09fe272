/**
 * `replisim compare`: the protocols side by side on the same scenarios, faults and seeds. By
 * default every built-in scenario that runs on both SMART and OPB.
 */
import { join } from 'node:path';
import { findProtocol } from '../protocol/registry.js';
import { renderCompare } from '../reports/compare-table.js';
import {
  compareCells, compareColumns, compareScenario, type CompareRow,
} from '../scenarios/compare.js';
import { builtinScenarios, loadScenario } from '../scenarios/load.js';
import { parsePositiveInt } from './args.js';
import { writeText } from './files.js';
import { UsageError } from './errors.js';
import { makeOutput } from './output.js';
import { makeProgress } from './progress.js';
import { renderExperimentHtml } from '../reports/experiment.js';
import { openRunFolder } from './store.js';

export const compared = ['smart', 'opb'] as const;

export function compareCommand(opts: { scenarios?: string; seeds?: string; out?: string;
  json?: boolean; store?: boolean }): number {
  const protocolsHere = compared.filter((p) => findProtocol(p) !== undefined);
  if (protocolsHere.length === 0) throw new UsageError('compare needs the smart and opb ' +
    'protocols, and neither is built in');
  const scenarios = opts.scenarios !== undefined
    ? opts.scenarios.split(',').filter((s) => s !== '').map((s) => loadScenario(s))
    : builtinScenarios().filter((s) => protocolsHere.every((p) => s.protocols.includes(p)));
  if (scenarios.length === 0) throw new UsageError(`no scenario runs on all ` +
    `of: ${protocolsHere.join(', ')}`);
  const seeds = parsePositiveInt(opts.seeds ?? '3', '--seeds');
  const out = makeOutput(opts.json === true);
  const progress = makeProgress('compare', 'runs');
  const pairs = scenarios.flatMap((s) => protocolsHere.filter((p) => s.protocols.includes(p))
    .map((p) => [s, p] as const));
  let done = 0;
  // The run folder (--out DIR, else out/compare/<time>/), made before a long run, not after.
  const folder = openRunFolder('compare', opts);
  const rows: CompareRow[] = pairs.map(([s, p]) => compareScenario(s, p, seeds,
    () => progress.update(++done, pairs.length * seeds)));
  progress.stop();
  const table = { title: `SMART vs OPB: means over ${seeds} seed(s) per scenario`,
    columns: [...compareColumns], rows: rows.map(compareCells) };
  const doc = { schema: 'replisim/compare@1', seeds, rows };
  if (folder !== null) {
    writeText(join(folder, 'compare.json'), `${JSON.stringify(doc, null, 2)}\n`);
    writeText(join(folder, 'compare.html'), renderExperimentHtml({
      name: 'compare', description: 'SMART vs optimistic primary-backup on the same ' +
        'faults and seeds', tables: [table], checks: [],
    }));
  }
  if (out.json) out.document(doc);
  else out.human(renderCompare(table.title, rows, out.c));
  if (folder !== null) out.human(`wrote ${join(folder, 'compare.json')} and compare.html`);
  return 0;
}
