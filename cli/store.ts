/**
 * Run folders, like Jepsen's `store/`: each `run`, `sweep`, `explore`, `compare` and
 * `experiment` writes its files into `out/<command>/<time>/` (docs/run-folders.md), and
 * `out/<command>/latest` points at the newest. The folder's name is the only place the wall
 * clock appears: nothing inside, no verdict and no hash depends on it. `--out DIR` writes into
 * DIR instead; `--no-store` writes no folder; REPLISIM_STORE moves the root (default `out`).
 */
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact } from '../reports/run-artifacts.js';
import { mkdirOrFail, writeText } from './files.js';

export interface StoreOptions {
  readonly out?: string | undefined;
  readonly store?: boolean | undefined;
}

/** The root all run folders go under. */
export function storeRoot(): string {
  return process.env['REPLISIM_STORE'] || 'out';
}

/** `2026-12-02T230918.123Z`: sortable, and legal in a file name everywhere. */
export function stamp(date: Date): string {
  return date.toISOString().replace(/:/g, '');
}

/**
 * Creates the folder this command writes into: `--out DIR` as given, else a new time-named
 * folder in the store; null with `--no-store` (and no `--out`).
 */
export function openRunFolder(command: string, opts: StoreOptions): string | null {
  if (opts.out !== undefined) {
    mkdirOrFail(opts.out);
    return opts.out;
  }
  if (opts.store === false) return null;
  const parent = join(storeRoot(), command);
  const base = stamp(new Date());
  let name = base;
  for (let n = 2; existsSync(join(parent, name)); n++) name = `${base}-${n}`;
  const dir = join(parent, name);
  mkdirOrFail(dir);
  pointLatest(parent, name);
  return dir;
}

/** `latest` → the newest folder; best effort (a file system without symlinks has none). */
function pointLatest(parent: string, name: string): void {
  const link = join(parent, 'latest');
  try {
    rmSync(link, { force: true });
    symlinkSync(name, link, 'dir');
  } catch {
    // No symlink: the folders are still there, sorted by name.
  }
}

export function writeArtifacts(dir: string, files: readonly Artifact[]): void {
  for (const f of files) writeText(join(dir, f.name), f.text);
}

/** The folder `--resume` continues without `--out`: the command's newest run folder. */
export function latestFolder(command: string): string | null {
  const link = join(storeRoot(), command, 'latest');
  return existsSync(link) ? link : null;
}
