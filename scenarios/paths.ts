/** Locates files that ship with the package, from source (tests) and from dist/ alike. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The folder holding replisim's package.json. */
export function repoRoot(): string {
  if (cached !== null) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)
      && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'replisim') {
      cached = dir;
      return dir;
    }
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('cannot find the replisim package root');
    dir = up;
  }
}

export function builtinScenarioDir(): string {
  return join(repoRoot(), 'scenarios', 'builtin');
}
