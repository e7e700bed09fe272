/** `replisim run SCENARIO`: one run, every property checked, summary ending in `trace-hash:`. */
import { renderHtmlReport } from '../reports/html.js';
import { resultDocument } from '../reports/result.js';
import { renderRunSummary } from '../reports/terminal.js';
import { loadScenario } from '../scenarios/load.js';
import { toSavedRun, writeSavedRun } from '../scenarios/run-file.js';
import { runChecked } from '../scenarios/runner.js';
import { parseSeed } from './args.js';
import { writeText } from './files.js';
import { makeOutput } from './output.js';
import { withParams } from './params.js';
import { makeProgress } from './progress.js';
import { protocolFileArgs } from './plugins.js';

export interface RunOptions {
  protocol?: string;
  seed?: string;
  mutant?: string;
  json?: boolean;
  html?: string;
  trace?: string;
  save?: string;
  param?: string[];
}

export function runCommand(scenarioName: string, opts: RunOptions): number {
  const scenario = withParams(loadScenario(scenarioName), opts.param);
  const seed = parseSeed(opts.seed ?? '1');
  const out = makeOutput(opts.json === true);
  const progress = makeProgress(`run ${scenario.name}`, 'us simulated');
  const run = runChecked({
    scenario, seed, mutant: opts.mutant ?? null,
    keepTrace: opts.trace !== undefined || opts.save !== undefined || opts.html !== undefined,
    ...(opts.protocol === undefined ? {} : { protocol: opts.protocol }),
    onProgress: (now, end) => progress.update(now, end),
  });
  progress.stop();
  if (opts.trace !== undefined) writeText(opts.trace, `${(run.record.trace ?? []).join('\n')}\n`);
  if (opts.save !== undefined) {
    writeSavedRun(opts.save, toSavedRun(run, scenario));
  }
  if (opts.html !== undefined) writeText(opts.html, renderHtmlReport(run));
  if (out.json) out.document(resultDocument(run));
  else out.human(renderRunSummary(run, out.c));
  if (opts.save !== undefined) out.human(`saved: ${opts.save} (replay with: npx ` +
    `replisim replay ${opts.save}${protocolFileArgs()})`);
  return run.ok ? 0 : 1;
}
