/**
 * `replisim campaign PROTOCOL`: the protocol's fixed campaign (scenarios × seeds, then a fixed
 * number of explore trials; scenarios/campaign.ts), stopped at the first violated property.
 * Exit 1 on a violation, 0 when none. The CPU time is printed as a measure; it decides nothing.
 * It runs in a watched thread (command-thread.ts): `onStep` names each step before it starts, so
 * a step that never returns is reported with the command that reproduces it.
 */
import { findProtocol, protocols } from '../protocol/registry.js';
import {
  campaignFor, campaignSteps, defaultCampaign, reproduceStep, runCampaign, type CampaignResult,
} from '../scenarios/campaign.js';
import { campaignDocument, renderCampaign, renderCampaignHeader } from '../reports/campaign.js';
import { resolveProtocol } from '../scenarios/runner.js';
import { loadScenario } from '../scenarios/load.js';
import { UsageError } from './errors.js';
import { flaggedProtocol, protocolFileArgs } from './plugins.js';
import { makeOutput, type Output } from './output.js';
import { makeProgress } from './progress.js';

export interface CampaignOptions { mutant?: string; scenarios?: string; json?: boolean }

export function campaignCommand(given: string | undefined, opts: CampaignOptions,
  onStep: (what: string) => void = () => {}): number {
  const protocol = given ?? flaggedProtocol();
  if (protocol === undefined) throw new UsageError('campaign needs a PROTOCOL (or one ' +
    '--protocol-file)');
  if (findProtocol(protocol) === undefined) {
    throw new UsageError(`unknown protocol "${protocol}" ` +
      `(known: ${protocols.map((p) => p.name).join(', ')})`);
  }
  const mutant = opts.mutant ?? null;
  const definition = opts.scenarios === undefined ? campaignFor(protocol)
    : defaultCampaign(protocol, opts.scenarios.split(',').filter((s) => s !== ''));
  const steps = campaignSteps(definition);
  if (steps.length === 0) throw new UsageError(`no ${opts.scenarios === undefined ? 'built-in ' :
    'given '}scenario runs on protocol ${protocol}, so it has no campaign (give --scenarios)`);
  // Check every name up front: a typo in the mutant is a usage error, not a late crash.
  for (const name of new Set(steps.map((s) => s.scenario))) {
    resolveProtocol(loadScenario(name), protocol, mutant);
  }
  const out = makeOutput(opts.json === true);
  out.human(renderCampaignHeader(protocol, mutant, steps.filter((s) => s.kind === 'run').length,
    steps.filter((s) => s.kind === 'explore').length, out.c));
  const progress = makeProgress('campaign', 'steps');
  const starting = (i: number): void => {
    const s = steps[i];
    if (s !== undefined) {
      onStep(`at step ${i + 1}/${steps.length} (${s.kind} ${s.scenario} seed ${s.seed}; ` +
        `reproduce: ${reproduceStep(protocol, mutant, s)}${protocolFileArgs()})`);
    }
  };
  const cpu = process.cpuUsage();
  starting(0);
  const result = runCampaign(protocol, mutant, (done, total) => {
    progress.update(done, total);
    starting(done);
  }, definition);
  progress.stop();
  const used = process.cpuUsage(cpu);
  const cpuSeconds = Math.round((used.user + used.system) / 1e4) / 100;
  report(out, result, cpuSeconds);
  return result.violation === null ? 0 : 1;
}

function report(out: Output, r: CampaignResult, cpuSeconds: number): void {
  if (out.json) out.document(campaignDocument(r, cpuSeconds, protocolFileArgs()));
  out.human(renderCampaign(r, cpuSeconds, protocolFileArgs(), out.c));
}
