/**
 * Where the Porcupine corpus lives, relative to the repository root: the one constant that names
 * it (the bench and the tests both resolve it here). REPLISIM_PORCUPINE_DIR overrides it, e.g.
 * for a git worktree whose `../shared` is elsewhere.
 */
import path from 'node:path';

export const PORCUPINE_CORPUS = path.join('..', 'shared', 'histories', 'porcupine');

export function porcupineDirFrom(repoRoot: string): string {
  const given = process.env['REPLISIM_PORCUPINE_DIR'];
  return given !== undefined && given !== '' ? path.resolve(given)
    : path.resolve(repoRoot, PORCUPINE_CORPUS);
}
