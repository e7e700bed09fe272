import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { porcupineDirFrom } from '../../bench/corpus.js';
import type { AnyModel, Operation } from '../../properties/models/types.js';

/** The repository root: the nearest ancestor whose package.json is named "replisim". */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    const name = existsSync(manifest)
      ? (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name
      : undefined;
    if (name === 'replisim') {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no replisim package.json above the tests');
    dir = parent;
  }
}

/** The Porcupine corpus (bench/corpus.ts names it). */
export function porcupineDir(): string {
  return porcupineDirFrom(repoRoot());
}

/**
 * Reference checker: tries every order of the operations consistent with real time (op j must
 * precede op i when j returned strictly before i was called). Indefinite operations
 * (return = Infinity) may be placed anywhere after their call or left out entirely.
 */
export function bruteForceLinearizable(ops: readonly Operation[], model: AnyModel): boolean {
  const n = ops.length;
  const placed = new Array<boolean>(n).fill(false);
  const definite = ops.filter((op) => Number.isFinite(op.return)).length;
  const search = (state: unknown, placedDefinite: number): boolean => {
    if (placedDefinite === definite) return true;
    for (let i = 0; i < n; i++) {
      if (placed[i]) continue;
      const op = ops[i] as Operation;
      const blocked = ops.some((other, j) => !placed[j] && j !== i && other.return < op.call);
      if (blocked) continue;
      const result = model.step(state, op.input, op.output);
      if (!result.ok) continue;
      placed[i] = true;
      const found = search(result.state, placedDefinite + (Number.isFinite(op.return) ? 1 : 0));
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(model.init(), 0);
}
