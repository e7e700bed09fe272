#!/usr/bin/env node
// Entry point of the `replisim` command; the TypeScript sources are compiled to dist/ by
// `npm install` (the prepare script) or `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('replisim: not built yet: '
    + 'run `npm install` (or `npm run build`) in the replisim folder\n');
  process.exit(2);
}
// A reader that stops early (`replisim list | head`) closes the pipe: the rest of the output
// is not wanted, which is no error. The command still finishes and exits with its own code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
process.exitCode = code;
