/** The built-in protocols, by name. Add your own protocol here (see README, "Add a protocol"). */
import { primaryCopy } from './example/primary-copy.js';
import { opb } from './optimistic/index.js';
import { smart } from './smart/index.js';
import type { AnyProtocol } from './types.js';

const known: AnyProtocol[] = [primaryCopy, smart, opb];

/** Every registered protocol (the built-ins, then any registered by `registerProtocol`). */
export const protocols: readonly AnyProtocol[] = known;

export function findProtocol(name: string): AnyProtocol | undefined {
  return protocols.find((p) => p.name === name);
}

/**
 * Adds a protocol defined outside this folder (cli/plugins.ts loads the modules named by
 * REPLISIM_PROTOCOLS, in the main thread and in every worker). A name already taken is an error.
 */
export function registerProtocol(protocol: AnyProtocol): void {
  if (findProtocol(protocol.name) !== undefined) {
    throw new Error(`protocol "${protocol.name}" is already registered`);
  }
  known.push(protocol);
}
