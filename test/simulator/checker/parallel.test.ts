/**
 * The parallel frontier (parallel.ts) gives the sequential BFS's answer for any number of
 * workers: the same counts, the same cut-off point, the same counterexample. The workers here
 * are in-process expanders behind asynchronous links, so the test needs no threads; the CLI
 * test runs real worker threads.
 */
import { describe, expect, test } from 'vitest';
import { primaryCopy } from '../../../protocol/example/primary-copy.js';
import { smart } from '../../../protocol/smart/index.js';
import type { AnyProtocol } from '../../../protocol/types.js';
import { linearizabilityHistoryCheck } from '../../../properties/linearizable.js';
import { checkNativeHistory } from '../../../properties/linearizability/index.js';
import {
  checker, checkerModel, LevelExpander, parallelCheck, soundNetwork, type CheckerOptions,
  type CheckResult, type ExpanderLink, type HistoryCheck,
} from '../../../simulator/checker/index.js';
import type { ExpandReply } from '../../../simulator/checker/parallel.js';

const history: HistoryCheck = (h) => ({ verdict: checkNativeHistory(h).verdict });

/** States rebuilt on another worker from their paths, over all searches. */
let moved = 0;
/** States expanded by each worker of the last 2-worker search. */
let expandedBy: number[] = [];
/** Successors reported to the merge by the workers of the last 2-worker search. */
let reported = 0;

function links(
  options: CheckerOptions, n: number, symmetry = false, protocol: AnyProtocol = primaryCopy,
): ExpanderLink[] {
  const expanded = Array.from({ length: n }, () => 0);
  if (n === 2) {
    expandedBy = expanded;
    reported = 0;
  }
  return expanded.map((_, w) => {
    const expander = new LevelExpander(checkerModel(protocol, options), symmetry);
    return { call: (request) => {
      const last = request.op === 'batch' ? request.requests.at(-1)! : request;
      for (const r of request.op === 'batch' ? request.requests : [request]) {
        if (r.op === 'arrange') moved += r.paths.length;
      }
      const reply = expander.handle(request);
      const n = last.op === 'expand' ? (reply as ExpandReply).counts.length : 0;
      expanded[w] = expanded[w]! + n;
      if (last.op === 'expand' && expanded.length === 2) {
        reported += (reply as ExpandReply).entries.length / 4;
      }
      return Promise.resolve(reply);
    } };
  });
}

const pick = (r: CheckResult) => ({ states: r.states, unique: r.unique, depth: r.depth,
  complete: r.complete, cutOff: r.cutOff, verdict: r.verdict,
  path: r.counterexample?.path ?? null });

async function both(options: CheckerOptions, depth: number, maxStates?: number) {
  let b = checker(primaryCopy, options).maxDepth(depth);
  if (maxStates !== undefined) b = b.maxStates(maxStates);
  const sequential = pick(b.bfs());
  const parallel = [];
  for (const n of [1, 2, 3]) {
    parallel.push(pick(await parallelCheck(primaryCopy, options, b.searchOptions(),
      links(options, n))));
  }
  return { sequential, parallel };
}

describe('parallel BFS', () => {
  const options: CheckerOptions = { replicas: 2, clients: 1, ops: 2, crashes: 1, history };

  test('the whole space: the pinned counts, for 1, 2 and 3 workers', async () => {
    const { sequential, parallel } = await both(options, 50);
    expect(sequential).toMatchObject({ states: 4176, unique: 1040, complete: true });
    for (const p of parallel) expect(p).toEqual(sequential);
    // The work was spread (not left on worker 0), mostly without rebuilding states from paths.
    const [a, b] = expandedBy as [number, number];
    expect(Math.min(a, b) / (a + b)).toBeGreaterThan(0.3);
    expect(a + b).toBeLessThan(1040 * 1.1); // Small levels are expanded by both: a little.
    expect(moved).toBeLessThan(0.1 * 1040 * 3);
    // Workers read the visited set: a successor met at an earlier level is not reported (only
    // the level's new states, some met in both blocks), though most transitions lead to one.
    expect(reported).toBeLessThan(1040 * 1.2);
  });

  test('cut off by a depth bound and by a state bound at the same point', async () => {
    for (const [depth, max] of [[6, undefined], [50, 500]] as const) {
      const { sequential, parallel } = await both(options, depth, max);
      expect(sequential.complete).toBe(false);
      expect(sequential.cutOff).toBe(max === undefined ? 'depth' : 'states');
      for (const p of parallel) expect(p).toEqual(sequential);
    }
  });

  test('the same shortest counterexample for the volatile-log mutant', async () => {
    const { sequential, parallel } = await both({ ...options,
      mutant: 'example:volatile-log' }, 30);
    expect(sequential.path).toEqual([1, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0]);
    for (const p of parallel) expect(p).toEqual(sequential);
  });

  test('SMART\'s pinned reference (smart-reference.test.ts): the same for 1 and 2 workers, '
    + 'with states moved between them', async () => {
    const smartOptions: CheckerOptions = { network: soundNetwork(smart), replicas: 2, clients: 1,
      ops: 1, crashes: 1, timers: 2, history: linearizabilityHistoryCheck };
    const b = checker(smart, smartOptions).maxDepth(12);
    const sequential = pick(b.bfs());
    expect(sequential).toMatchObject({ states: 5200, unique: 2189, verdict: 'ok' });
    const movedBefore = moved;
    for (const n of [1, 2]) {
      expect(pick(await parallelCheck(smart, smartOptions, b.searchOptions(),
        links(smartOptions, n, false, smart)))).toEqual(sequential);
    }
    // Rebuilt from their paths on the other worker (from its own root: parallel.ts).
    expect(moved).toBeGreaterThan(movedBefore);
  });
});
