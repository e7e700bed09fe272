/**
 * `replisim check --workers N` runs the BFS frontier on worker threads (the built CLI, in its
 * own process): the same counts and the same shortest counterexample as one thread, protocol
 * files reach the workers, and a combination it cannot do is one line (exit 2).
 */
import { describe, expect, test } from 'vitest';
import { cli } from '../helpers/cli.js';

const small = ['--clients', '1', '--ops', '2'];

describe('replisim check --workers', () => {
  test('2 workers: the pinned whole space of the example protocol', () => {
    const r = cli(['check', ...small, '--workers', '2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ unique: 1040, states: 4176, complete: true });
  });

  test('2 workers: the same shortest counterexample as one thread', () => {
    const r = cli(['check', ...small, '--mutant', 'example:volatile-log', '--workers', '2',
      '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { counterexample: { path: number[] } };
    expect(doc.counterexample.path).toEqual([1, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0]);
  });

  test('a protocol file is loaded by the workers too', () => {
    const r = cli(['check', '--protocol-file', 'examples/single-copy/single-copy.js',
      '--workers', '2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ protocol: 'single-copy', complete: true });
  });

  test('DFS is not parallel: one line, exit 2', () => {
    const r = cli(['check', '--workers', '2', '--order', 'dfs']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--workers: only the BFS frontier is parallel/);
  });
});
