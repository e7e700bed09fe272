/** Commands beyond list/run/replay, registered on the same program. */
import type { Command } from 'commander';
import { exploreCommand } from './cmd-explore.js';
import { runCommand } from './cmd-run.js';
import { runBenchmarks } from '../bench/main.js';

export function registerMoreCommands(p: Command, setExit: (code: number | Promise<number>) => void): void {
  p.command('explore')
    .description('random fault schedules (swarm testing); shrink and save each violation; exit 1 if one is found')
    .option('--protocol <name>', 'protocol to explore (default: smart if built in, else the first)')
    .option('--scenario <name>', 'explore one scenario (default: every built-in scenario of the protocol, by seed)')
    .option('--mutant <name>', 'explore a deliberately broken variant')
    .option('--runs <n>', 'number of trials (default 100)')
    .option('--time <seconds>', 'run trials until this much wall-clock time has passed')
    .option('--workers <k>', 'worker threads (default: min(2, cores))')
    .option('--shard <i/n>', 'run only trials t with t mod n = i (split the seed space across machines)')
    .option('--seed <n>', 'first seed; trial t uses seed+t', '0')
    .option('--out <dir>', 'where results.jsonl and counterexamples go', 'out/explore')
    .option('--shrink-time <seconds>', 'wall-clock budget for shrinking one violation', '30')
    .option('--keep-going', 'keep running after the first violation')
    .option('--json', 'print a JSON summary on stdout')
    .action((opts) => setExit(exploreCommand(opts)));

  p.command('start')
    .description('the main job on built-in defaults (what `npm start` runs)')
    .action(() => setExit(startCommand()));

  p.command('bench')
    .description('performance figures (simulated events/s, checker timings) as JSON')
    .option('--json', 'print only the JSON document (progress goes to stderr either way)')
    .action(() => setExit(runBenchmarks().then((doc) => {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return 0;
    })));
}

function startCommand(): number {
  process.stdout.write('replisim: running the built-in scenario example-partition (seed 1); see `replisim --help`\n\n');
  return runCommand('example-partition', { seed: '1' });
}
