/** The built-in protocols, by name. Add your own protocol here (see README, "Add a protocol"). */
import { primaryCopy } from './example/primary-copy.js';
import { opb } from './optimistic/index.js';
import { smart } from './smart/index.js';
import type { AnyProtocol } from './types.js';
import { asProtocol } from './validate.js';

// The built-ins pass the same validation as a protocol loaded from outside the tree: a
// declaration the harness reads (a fault kind it draws, a message type it targets) is data too.
const known: AnyProtocol[] = [primaryCopy, smart, opb].map((p) => asProtocol(p, 'built-in'));

/** Every registered protocol (the built-ins, then any registered by `registerProtocol`). */
export const protocols: readonly AnyProtocol[] = known;

export function findProtocol(name: string): AnyProtocol | undefined {
  return protocols.find((p) => p.name === name);
}

/**
 * Adds a protocol defined outside this folder (cli/plugins.ts loads the modules named by
 * REPLISIM_PROTOCOLS or --protocol-file, in the main thread and in every worker; the library's
 * `simulate` and friends register the protocol they are given). It is validated first
 * (protocol/validate.ts); registering the same value again does nothing; another value under a
 * name already taken is an error. `origin` names where it came from, for the error message.
 */
export function registerProtocol(protocol: AnyProtocol, origin = 'protocol'): void {
  const valid = asProtocol(protocol, origin);
  const existing = findProtocol(valid.name);
  if (existing === valid) return;
  if (existing !== undefined) {
    throw new DuplicateProtocolError(`${origin}: a protocol named "${valid.name}" is already ` +
      'registered (pick another name)');
  }
  known.push(valid);
}

export class DuplicateProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DuplicateProtocolError';
  }
}
