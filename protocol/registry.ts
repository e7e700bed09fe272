/** The built-in protocols, by name. Add your own protocol here (see README, "Add a protocol"). */
import { primaryCopy } from './example/primary-copy.js';
import { opb } from './optimistic/index.js';
import { smart } from './smart/index.js';
import type { AnyProtocol } from './types.js';

export const protocols: readonly AnyProtocol[] = [primaryCopy, smart, opb];

export function findProtocol(name: string): AnyProtocol | undefined {
  return protocols.find((p) => p.name === name);
}
