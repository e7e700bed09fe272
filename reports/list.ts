/**
 * The forms of `replisim list`: what this checkout holds (scenarios, protocols with their
 * parameters, mutants, properties, experiments with their ablations) as one JSON document or
 * as terminal sections.
 */
import type { ChalkInstance } from 'chalk';
import type { Json } from '../protocol/types.js';
import { protocols } from '../protocol/registry.js';
import { properties } from '../properties/registry.js';
import { experiments } from '../scenarios/experiments/index.js';
import { builtinScenarios } from '../scenarios/load.js';

interface Named { readonly name: string; readonly description: string }

export interface Listing {
  readonly scenarios: readonly (Named & { readonly protocols: readonly string[] })[];
  readonly protocols: readonly (Named & { readonly params: { readonly [k: string]: Json } })[];
  readonly mutants: readonly (Named & { readonly protocol: string })[];
  readonly properties: readonly (Named & { readonly protocols: readonly string[];
    readonly exceptProtocols?: readonly string[] })[];
  readonly experiments: readonly (Named & { readonly defaultSeeds: number;
    readonly ablations: readonly { readonly name: string }[] })[];
}

/** The registries as `list --json` prints them. */
export function listing(): Listing {
  return {
    scenarios: builtinScenarios()
      .map((s) => ({ name: s.name, protocols: s.protocols, description: s.description })),
    protocols: protocols.map((p) => ({ name: p.name, description: p.description,
      params: p.defaults })),
    mutants: protocols.flatMap((p) =>
      p.mutants.map((m) => ({ name: m.name, protocol: p.name, description: m.description }))),
    properties: properties.map((p) => ({ name: p.name, protocols: p.protocols,
      ...(p.exceptProtocols === undefined ? {} : { exceptProtocols: p.exceptProtocols }),
      description: p.description })),
    experiments: experiments.map((e) => ({ name: e.name, description: e.description,
      defaultSeeds: e.defaultSeeds ?? 3, ablations: e.ablations ?? [] })),
  };
}

export function renderListing(doc: Listing, c: ChalkInstance): string {
  const lines: string[] = [];
  const section = (title: string, rows: [string, string][]): void => {
    lines.push(c.bold(title));
    const width = Math.max(0, ...rows.map(([k]) => k.length));
    for (const [k, v] of rows) lines.push(`  ${k.padEnd(width)}  ${c.dim(v)}`);
    if (rows.length === 0) lines.push(c.dim('  (none)'));
  };
  section('Scenarios',
    doc.scenarios.map((s) => [s.name, `[${s.protocols.join(',')}] ${s.description}`]));
  section('Protocols', doc.protocols.map((p) => [p.name, p.description]));
  lines.push(c.dim('  parameters (defaults; override with --param PROTOCOL.KEY=VALUE):'));
  for (const p of doc.protocols) {
    const params = Object.keys(p.params).sort().map((k) => `${k}=${JSON.stringify(p.params[k])}`);
    lines.push(`  ${p.name}: ${c.dim(params.join(' ') || '(none)')}`);
  }
  section('Mutants', doc.mutants.map((m) => [m.name, m.description]));
  section('Properties',
    doc.properties.map((p) => [p.name, `[${[...p.protocols,
      ...(p.exceptProtocols ?? []).map((x) => `not ${x}`)].join(',')}] ${p.description}`]));
  section('Experiments', doc.experiments.map((e) => [e.name, e.description]));
  for (const e of doc.experiments.filter((x) => x.ablations.length > 0)) {
    lines.push(`  ${e.name} --ablate: ${c.dim(e.ablations.map((a) => a.name).join(', '))}`);
  }
  return lines.join('\n');
}
