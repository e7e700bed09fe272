/**
 * The forms of `replisim campaign`: the outcome (every property held, or the first violation
 * with its step and reproduce command) as terminal lines and as the `--json` document. The CPU
 * time is a measure printed beside the verdict; it decides nothing.
 */
import type { ChalkInstance } from 'chalk';
import type { CampaignResult } from '../scenarios/campaign.js';

/** The first line: what the campaign runs (its plain runs and its explore trials). */
export function renderCampaignHeader(protocol: string, mutant: string | null, runs: number,
  trials: number, c: ChalkInstance): string {
  return c.bold(`campaign protocol=${protocol} mutant=${mutant ?? '-'}: ` +
    `${runs} runs, ${trials} explore trials`);
}

/** `replayArgs` is appended to the reproduce command (the `--protocol-file` flags given). */
export function campaignDocument(r: CampaignResult, cpuSeconds: number,
  replayArgs: string): unknown {
  const v = r.violation;
  return {
    protocol: r.protocol, mutant: r.mutant, steps: r.steps, ran: r.ran, found: v !== null,
    violation: v === null ? null : { step: v.index, kind: v.step.kind,
      scenario: v.step.scenario, seed: v.step.seed, property: v.property, message: v.message,
      reproduce: `${v.reproduce}${replayArgs}` },
    cpuSeconds,
  };
}

export function renderCampaign(r: CampaignResult, cpuSeconds: number, replayArgs: string,
  c: ChalkInstance): string {
  const v = r.violation;
  if (v === null) {
    return c.green(`campaign: ${r.steps} steps, every property held`) + ` (${cpuSeconds} CPU-s)`;
  }
  return [c.red(`✗ step ${v.index + 1}/${r.steps} (${v.step.kind} ${v.step.scenario} ` +
    `seed ${v.step.seed}): ${v.property}: ${v.message}`),
  `  reproduce: ${v.reproduce}${replayArgs}`,
  c.red(`campaign: violation found after ${r.ran} of ${r.steps} steps`) +
    ` (${cpuSeconds} CPU-s)`].join('\n');
}
