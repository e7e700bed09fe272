/**
 * Protocols from outside the tree, three ways:
 * - `--protocol-file FILE` (any command that takes a protocol): the module's default export, or
 *   its export named `protocol`;
 * - `replisim.config.json` / `replisim.config.js` in the working directory:
 *   `{ "protocolFiles": ["./my-proto.js"] }`, loaded the same way;
 * - REPLISIM_PROTOCOLS (comma-separated module paths): every exported value that looks like a
 *   protocol (the test suite uses it for test/helpers/hostile-protocol.mjs).
 * All three go through the same validation (protocol/validate.ts via registerProtocol), and a
 * problem is one line (a UsageError). The files loaded in the main thread are handed to every
 * worker thread (worker-pool.ts passes `workerData`), so `sweep` and `explore` workers run the
 * same protocol.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyProtocol } from '../protocol/types.js';
import { oneLine } from '../properties/formats/json-bounds.js';
import { ScenarioError } from '../scenarios/errors.js';
import { UsageError } from './errors.js';

let loaded: Promise<void> | null = null;
/** Absolute paths of the protocol files loaded in this thread, for the workers. */
const files: string[] = [];
/** `--protocol-file` as the user typed it, for the commands we print (reproduce, replay). */
const flagged: { readonly path: string; readonly protocol: string }[] = [];

const looksLikeProtocol = (v: unknown): v is AnyProtocol => typeof v === 'object' && v !== null
  && typeof (v as { name?: unknown }).name === 'string'
  && typeof (v as { step?: unknown }).step === 'function'
  && typeof (v as { init?: unknown }).init === 'function';

const firstLine = (error: unknown): string =>
  oneLine(((error as Error).message ?? String(error)).split('\n')[0] ?? '', 200);

async function importModule(path: string, origin: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new UsageError(`${origin}: no such file`);
  try {
    return await import(pathToFileURL(resolve(path)).href) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${origin}: cannot load the module: ${firstLine(error)}`);
  }
}

// The registry (both built-in protocols) and the scenario reader load only when a protocol
// file or a config is given: a plain `replisim` command starts without them.
async function register(protocol: unknown, origin: string): Promise<AnyProtocol> {
  const { DuplicateProtocolError, registerProtocol } = await import('../protocol/registry.js');
  const { InvalidProtocolError } = await import('../protocol/validate.js');
  try {
    registerProtocol(protocol as AnyProtocol, origin);
  } catch (error) {
    if (error instanceof InvalidProtocolError || error instanceof DuplicateProtocolError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  return protocol as AnyProtocol;
}

/**
 * Loads one protocol file (its default export, or `protocol`) and registers it; `origin` starts
 * every error message. The library's vitest helper loads files through here too.
 */
export async function loadProtocolModule(path: string, origin: string): Promise<AnyProtocol> {
  const mod = await importModule(path, origin);
  const value = mod['default'] ?? mod['protocol'];
  if (value === undefined) {
    throw new UsageError(`${origin}: the module has no default export and no export named ` +
      '"protocol"');
  }
  const protocol = await register(value, origin);
  const absolute = resolve(path);
  if (!files.includes(absolute)) files.push(absolute);
  return protocol;
}

/** `--protocol-file PATH`: loads and registers the file's protocol; returns it. */
export async function loadProtocolFile(path: string): Promise<AnyProtocol> {
  const protocol = await loadProtocolModule(path, `--protocol-file ${path}`);
  if (!flagged.some((f) => f.path === path)) flagged.push({ path, protocol: protocol.name });
  return protocol;
}

/** The flags that load the same protocol files again, for the commands we print. */
export function protocolFileArgs(): string {
  return flagged.map((f) => ` --protocol-file ${f.path}`).join('');
}

/** What worker threads need to load the same protocols (worker-pool.ts passes it). */
export function pluginWorkerData(): { readonly protocolFiles: readonly string[] } {
  return { protocolFiles: [...files] };
}

/** In a worker thread: REPLISIM_PROTOCOLS and the protocol files the main thread loaded. */
export async function loadWorkerPlugins(data: unknown): Promise<void> {
  await loadPlugins();
  const given = (data as { protocolFiles?: unknown } | null)?.protocolFiles;
  if (!Array.isArray(given)) return;
  for (const path of given) await loadProtocolModule(String(path), `protocol file ${String(path)}`);
}

async function loadEnv(spec: string): Promise<void> {
  for (const path of spec.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const mod = await importModule(path, `REPLISIM_PROTOCOLS: ${path}`);
    for (const value of Object.values(mod)) {
      if (looksLikeProtocol(value)) await register(value, `REPLISIM_PROTOCOLS: ${path}`);
    }
  }
}

/** `replisim.config.json` or `.js` in the working directory: its `protocolFiles`. */
async function loadConfig(): Promise<void> {
  const json = resolve('replisim.config.json');
  const js = resolve('replisim.config.js');
  let config: unknown;
  let origin: string;
  if (existsSync(json)) {
    origin = 'replisim.config.json';
    try {
      config = (await import('../scenarios/load.js')).readJsonFile(json);
    } catch (error) {
      if (error instanceof ScenarioError) throw new UsageError(error.message);
      throw error;
    }
  } else if (existsSync(js)) {
    origin = 'replisim.config.js';
    config = (await importModule(js, origin))['default'];
  } else return;
  const list = (config as { protocolFiles?: unknown } | null)?.protocolFiles;
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
    throw new UsageError(`${origin}: expected { "protocolFiles": ["./my-proto.js", …] }`);
  }
  for (const path of list as string[]) {
    await loadProtocolModule(resolve(dirname(json), path), `${origin}: ${path}`);
  }
}

async function loadAll(): Promise<void> {
  const spec = process.env['REPLISIM_PROTOCOLS'];
  if (spec !== undefined && spec !== '') await loadEnv(spec);
}

/** REPLISIM_PROTOCOLS, once per thread. */
export function loadPlugins(): Promise<void> {
  loaded ??= loadAll();
  return loaded;
}

/** In the main thread: REPLISIM_PROTOCOLS, then the working directory's replisim.config. */
export async function loadMainPlugins(): Promise<void> {
  await loadPlugins();
  await loadConfig();
}

/** The protocol of the single --protocol-file given, if exactly one was. */
export function flaggedProtocol(): string | undefined {
  return flagged.length === 1 ? flagged[0]!.protocol : undefined;
}
