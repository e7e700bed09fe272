/** `replisim run SCENARIO`: one run, every property checked, summary ending in `trace-hash:`. */
import { renderHtmlReport } from '../reports/html.js';
import { resultDocument } from '../reports/result.js';
import { runArtifacts } from '../reports/run-artifacts.js';
import {
  renderRunFolder, renderRunSource, renderRunSummary, renderSaved,
} from '../reports/terminal.js';
import { toSavedRun, writeSavedRun } from '../scenarios/run-file.js';
import { loadRunSource } from '../scenarios/run-source.js';
import { runChecked } from '../scenarios/runner.js';
import { parseSeed } from './args.js';
import { writeText } from './files.js';
import { writeHistory } from './history-file.js';
import { makeOutput } from './output.js';
import { withParams } from './params.js';
import { makeProgress } from './progress.js';
import { protocolFileArgs } from './plugins.js';
import { openRunFolder, writeArtifacts } from './store.js';

export interface RunOptions {
  protocol?: string;
  seed?: string;
  mutant?: string;
  json?: boolean;
  html?: string;
  trace?: string;
  save?: string;
  history?: string;
  historyFormat?: string;
  out?: string;
  store?: boolean;
  record?: boolean;
  param?: string[];
}

export function runCommand(scenarioName: string, opts: RunOptions): number {
  // A counterexample, saved run or regression file brings its seed, mutant and protocol.
  const source = loadRunSource(scenarioName);
  const scenario = withParams(source.scenario, opts.param);
  const seed = opts.seed !== undefined ? parseSeed(opts.seed) : source.seed ?? 1;
  const mutant = opts.mutant ?? source.mutant ?? null;
  const protocol = opts.protocol ?? source.protocol;
  const out = makeOutput(opts.json === true);
  const folder = openRunFolder('run', opts);
  const progress = makeProgress(`run ${scenario.name}`, 'us simulated');
  const run = runChecked({
    scenario, seed, mutant,
    keepTrace: folder !== null || opts.trace !== undefined || opts.save !== undefined
      || opts.html !== undefined || opts.record === true,
    ...(protocol === undefined ? {} : { protocol }),
    onProgress: (now, end) => progress.update(now, end),
  });
  progress.stop();
  if (opts.trace !== undefined) writeText(opts.trace, `${(run.record.trace ?? []).join('\n')}\n`);
  if (opts.save !== undefined) {
    writeSavedRun(opts.save, toSavedRun(run, scenario));
  }
  if (opts.html !== undefined) writeText(opts.html, renderHtmlReport(run));
  if (opts.history !== undefined) writeHistory(run, opts.history, opts.historyFormat);
  if (folder !== null) writeArtifacts(folder, runArtifacts(run, scenario));
  if (out.json) out.document(resultDocument(run));
  else {
    if (source.kind !== 'scenario') {
      out.human(renderRunSource(source.kind, scenarioName, seed, mutant));
    }
    // Before the summary, whose last line stays `trace-hash: …`.
    if (folder !== null) out.human(renderRunFolder(folder));
    out.human(renderRunSummary(run, out.c));
  }
  if (opts.save !== undefined) out.human(renderSaved(opts.save, protocolFileArgs()));
  return run.ok ? 0 : 1;
}
