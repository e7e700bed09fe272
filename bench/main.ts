/**
 * `npm run bench` / `replisim bench`: performance figures as one JSON document on stdout.
 * Progress lines go to stderr. Compare ratios within one run; the machines are noisy.
 */
import { benchEngine } from './engine.js';
import { extraBenches } from './registry.js';

export async function runBenchmarks(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {
    schema: 'replisim/bench@1',
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
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
