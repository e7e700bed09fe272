/**
 * Where the Porcupine corpus lives, relative to the repository root: the one constant that names
 * it (the bench and the tests both resolve it here): the copy vendored in
 * test/properties/linearizability/porcupine (MIT, see its README). REPLISIM_PORCUPINE_DIR
 * overrides it.
 */
import path from 'node:path';

export const PORCUPINE_CORPUS = path.join('test', 'properties', 'linearizability', 'porcupine');

export function porcupineDirFrom(repoRoot: string): string {
  const given = process.env['REPLISIM_PORCUPINE_DIR'];
  return given !== undefined && given !== '' ? path.resolve(given)
    : path.resolve(repoRoot, PORCUPINE_CORPUS);
}
