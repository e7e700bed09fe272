/** `replisim list`: scenarios, protocols, mutants, properties and experiments. */
import { protocols } from '../protocol/registry.js';
import { properties } from '../properties/registry.js';
import { experiments } from '../scenarios/experiments/index.js';
import { builtinScenarios } from '../scenarios/load.js';
import { makeOutput } from './output.js';

export function listCommand(opts: { json?: boolean }): number {
  const scenarios = builtinScenarios()
    .map((s) => ({ name: s.name, protocols: s.protocols, description: s.description }));
  const mutants = protocols.flatMap((p) =>
    p.mutants.map((m) => ({ name: m.name, protocol: p.name, description: m.description })));
  const doc = {
    scenarios,
    protocols: protocols.map((p) => ({ name: p.name, description: p.description,
      params: p.defaults })),
    mutants,
    properties: properties.map((p) => ({ name: p.name, protocols: p.protocols,
      description: p.description })),
    experiments: experiments.map((e) => ({ name: e.name, description: e.description,
      defaultSeeds: e.defaultSeeds ?? 3, ablations: e.ablations ?? [] })),
  };
  const out = makeOutput(opts.json === true);
  if (out.json) {
    out.document(doc);
    return 0;
  }
  const { c } = out;
  const section = (title: string, rows: [string, string][]): void => {
    out.human(c.bold(title));
    const width = Math.max(0, ...rows.map(([k]) => k.length));
    for (const [k, v] of rows) out.human(`  ${k.padEnd(width)}  ${c.dim(v)}`);
    if (rows.length === 0) out.human(c.dim('  (none)'));
  };
  section('Scenarios',
    scenarios.map((s) => [s.name, `[${s.protocols.join(',')}] ${s.description}`]));
  section('Protocols', doc.protocols.map((p) => [p.name, p.description]));
  out.human(c.dim('  parameters (defaults; override with --param PROTOCOL.KEY=VALUE):'));
  for (const p of doc.protocols) {
    const params = Object.keys(p.params).sort().map((k) => `${k}=${JSON.stringify(p.params[k])}`);
    out.human(`  ${p.name}: ${c.dim(params.join(' ') || '(none)')}`);
  }
  section('Mutants', mutants.map((m) => [m.name, m.description]));
  section('Properties',
    doc.properties.map((p) => [p.name, `[${p.protocols.join(',')}] ${p.description}`]));
  section('Experiments', doc.experiments.map((e) => [e.name, e.description]));
  for (const e of doc.experiments.filter((x) => x.ablations.length > 0)) {
    out.human(`  ${e.name} --ablate: ${c.dim(e.ablations.map((a) => a.name).join(', '))}`);
  }
  return 0;
}
