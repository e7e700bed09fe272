/** `replisim start`: what `npm start` runs. */
import { findProtocol } from '../protocol/registry.js';
import { builtinScenarios } from '../scenarios/load.js';
import { compareCommand, compared } from './cmd-compare.js';
import { runCommand } from './cmd-run.js';

/**
 * The main job on built-in defaults: SMART vs OPB on every scenario both run on (2 seeds each);
 * without both protocols, one built-in run with its summary.
 */
export function startCommand(): number {
  const both = compared.every((p) => findProtocol(p) !== undefined) &&
    builtinScenarios().some((s) => compared.every((p) => s.protocols.includes(p)));
  if (both) {
    process.stdout.write('replisim: SMART vs optimistic primary-backup on the same faults (2 ' +
      'seeds per scenario);\n' +
      '  details: `replisim compare --seeds 5 --out out/compare`,\n' +
      '  one run: `replisim run SCENARIO`, help: `replisim --help`\n\n');
    return compareCommand({ seeds: '2' });
  }
  process.stdout.write('replisim: running the built-in scenario example-partition (seed 1); ' +
    'see `replisim --help`\n\n');
  return runCommand('example-partition', { seed: '1' });
}
