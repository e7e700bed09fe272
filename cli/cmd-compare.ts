/**
 * `replisim compare`: two protocols side by side on the same scenarios, faults and seeds. By
 * default SMART and OPB (`--protocols a,b` for any two registered ones, your own included) on
 * every built-in scenario that runs on both.
 */
import { join } from 'node:path';
import { findProtocol, protocols } from '../protocol/registry.js';
import { renderCompare } from '../reports/compare-table.js';
import { renderWrote } from '../reports/terminal.js';
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

export interface CompareOptions {
  protocols?: string; scenarios?: string; seeds?: string; out?: string; json?: boolean;
  store?: boolean;
}

/**
 * The protocols to compare. The default pair keeps the ones this checkout has (a tree without
 * OPB still compares SMART alone); a pair the user names must be two distinct known protocols.
 */
function chooseProtocols(spec: string | undefined): string[] {
  if (spec === undefined || spec === compared.join(',')) {
    const here = compared.filter((p) => findProtocol(p) !== undefined);
    if (here.length === 0) throw new UsageError('compare needs the smart and opb protocols, ' +
      'and neither is built in (name two with --protocols a,b)');
    return here;
  }
  const names = spec.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length !== 2 || names[0] === names[1]) {
    throw new UsageError(`--protocols must name two different protocols, e.g. smart,opb ` +
      `(got "${spec}")`);
  }
  for (const name of names) {
    if (findProtocol(name) === undefined) throw new UsageError(`--protocols: unknown protocol ` +
      `"${name}" (known: ${protocols.map((p) => p.name).join(', ')})`);
  }
  return names;
}

const displayName = (p: string): string =>
  p === 'smart' ? 'SMART' : p === 'opb' ? 'OPB' : p;

export function compareCommand(opts: CompareOptions): number {
  const protocolsHere = chooseProtocols(opts.protocols);
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
  const versus = protocolsHere.map(displayName).join(' vs ');
  const table = { title: `${versus}: means over ${seeds} seed(s) per scenario`,
    columns: [...compareColumns], rows: rows.map(compareCells) };
  const doc = { schema: 'replisim/compare@1', protocols: protocolsHere, seeds, rows };
  if (folder !== null) {
    writeText(join(folder, 'compare.json'), `${JSON.stringify(doc, null, 2)}\n`);
    writeText(join(folder, 'compare.html'), renderExperimentHtml({
      name: 'compare', description: `${versus} on the same faults and seeds`,
      tables: [table], checks: [],
    }));
  }
  if (out.json) out.document(doc);
  else out.human(renderCompare(table.title, rows, out.c));
  if (folder !== null) out.human(renderWrote(join(folder, 'compare.json'), 'compare.html'));
  return 0;
}
