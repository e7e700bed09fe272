/**
 * `npm run bench` / `replisim bench`: performance figures as one JSON document on stdout.
 * Progress lines go to stderr. Times are CPU time of this process (user + system) with wall
 * time beside it: on a shared, loaded machine only the CPU figures mean anything. Each figure
 * is min / median / max of at least 5 repeats after warm-ups.
 */
import os from 'node:os';
import { benchEngine } from './engine.js';
import { extraBenches } from './registry.js';

export async function runBenchmarks(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {
    schema: 'replisim/bench@2',
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    method: 'CPU ms of this process (user + system) and wall ms; min / median / max of ' +
      '>= 5 repeats after warm-ups',
  };
  log('bench: engine (5-node broadcast-heavy example protocol)…');
  figures['engine'] = benchEngine();
  for (const [name, bench] of extraBenches) {
    log(`bench: ${name}…`);
    try {
      figures[name] = await bench();
    } catch (error) {
      figures[name] = { error: (error as Error).message };
    }
  }
  return figures;
}

if (process.argv[1] !== undefined
  && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.stdout.write(`${JSON.stringify(await runBenchmarks(), null, 2)}\n`);
}
