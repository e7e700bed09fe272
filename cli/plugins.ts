/**
 * Protocols from outside the tree: REPLISIM_PROTOCOLS names JavaScript modules (comma-separated
 * paths); every exported value that looks like a protocol is registered. The main thread and each
 * worker thread load them before running anything, so `sweep` and `explore` workers see them too.
 * The test suite uses it for deliberately hostile protocols (test/helpers/hostile-protocol.mjs).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerProtocol } from '../protocol/registry.js';
import type { AnyProtocol } from '../protocol/types.js';
import { UsageError } from './errors.js';

let loaded: Promise<void> | null = null;

const looksLikeProtocol = (v: unknown): v is AnyProtocol => typeof v === 'object' && v !== null
  && typeof (v as { name?: unknown }).name === 'string'
  && typeof (v as { step?: unknown }).step === 'function'
  && typeof (v as { init?: unknown }).init === 'function';

async function load(spec: string): Promise<void> {
  for (const path of spec.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    let mod: Record<string, unknown>;
    try {
      mod = await import(pathToFileURL(resolve(path)).href) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`REPLISIM_PROTOCOLS: cannot load ${path}: ` +
        `${(error as Error).message.split('\n')[0]}`);
    }
    for (const value of Object.values(mod)) if (looksLikeProtocol(value)) registerProtocol(value);
  }
}

/** Loads the REPLISIM_PROTOCOLS modules once per thread. */
export function loadPlugins(): Promise<void> {
  const spec = process.env['REPLISIM_PROTOCOLS'];
  if (spec === undefined || spec === '') return Promise.resolve();
  loaded ??= load(spec);
  return loaded;
}
