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
// A protocol that fails its validation when the modules load (a built-in edited into an invalid
// declaration) is one line, like every other error, not a stack trace.
let main;
try {
  ({ main } = await import(entry.href));
} catch (error) {
  if (error?.name !== 'InvalidProtocolError') throw error;
  process.stderr.write(`replisim: ${error.message}\n`);
  process.exit(2);
}
const code = await main(process.argv.slice(2));
process.exitCode = code;
