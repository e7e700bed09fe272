/** `replisim experiment NAME`: reproduce a paper's result as tables (terminal, JSON, HTML). */
import { join } from 'node:path';
import { renderExperiment, renderExperimentHtml } from '../reports/experiment.js';
import { renderWrote } from '../reports/terminal.js';
import { experiments, findExperiment } from '../scenarios/experiments/index.js';
import { parsePositiveInt } from './args.js';
import { writeText } from './files.js';
import { UsageError } from './errors.js';
import { makeOutput } from './output.js';
import { makeProgress } from './progress.js';
import { openRunFolder } from './store.js';

export interface ExperimentOptions {
  out?: string; json?: boolean; seeds?: string; ablate?: string; store?: boolean;
}

export function experimentCommand(name: string, opts: ExperimentOptions): number {
  const experiment = findExperiment(name);
  if (experiment === undefined) {
    const known = experiments.map((e) => e.name).join(', ') || 'none';
    throw new UsageError(`unknown experiment "${name}" (known: ${known})`);
  }
  const seeds = parsePositiveInt(opts.seeds ?? String(experiment.defaultSeeds ?? 3), '--seeds');
  const ablations = experiment.ablations ?? [];
  if (opts.ablate !== undefined && !ablations.some((a) => a.name === opts.ablate)) {
    throw new UsageError(`experiment ${name} cannot switch off "${opts.ablate}" (it can: ` +
      `${ablations.map((a) => a.name).join(', ') || 'nothing'})`);
  }
  const out = makeOutput(opts.json === true);
  const progress = makeProgress(`experiment ${name}`, 'runs');
  // The run folder (--out DIR, else out/experiment/<time>/), made before a long run.
  const folder = openRunFolder('experiment', opts);
  const result = experiment.run({ seeds, ...(opts.ablate === undefined ? {}
    : { ablate: opts.ablate }),
    onProgress: (done, total) => progress.update(done, total) });
  progress.stop();
  if (folder !== null) {
    writeText(join(folder, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    writeText(join(folder, `${name}.html`), renderExperimentHtml(result));
  }
  if (out.json) out.document(result);
  else out.human(renderExperiment(result, out.c));
  if (folder !== null) {
    out.human(renderWrote(join(folder, `${name}.json`), join(folder, `${name}.html`)));
  }
  // A shape check that does not hold is the experiment's finding: say it in the exit code.
  return result.checks.every((c) => c.ok) ? 0 : 1;
}
