/**
 * The bounded model checker on the example protocol: pinned unique-state counts (STYLE §12: any
 * change in action order, fingerprinting or protocol logic shows up here on purpose), the
 * volatile-log mutant found with a replayable counterexample, determinism, and bounds.
 */
import { describe, expect, test } from 'vitest';
import { primaryCopy } from '../../../protocol/example/primary-copy.js';
import {
  checkNativeHistory, formatExplanation,
} from '../../../properties/linearizability/index.js';
import {
  checker, PathError, replay, type CheckerOptions, type HistoryCheck,
} from '../../../simulator/checker/index.js';
import { renderCheck } from '../../../reports/check.js';
import { toy } from './toy.js';

const history: HistoryCheck = (h) => {
  const r = checkNativeHistory(h, { timeoutMs: 10_000 });
  return r.explanation === undefined ? { verdict: r.verdict } : { verdict: r.verdict,
    explanation: formatExplanation(r.explanation) };
};

/** The counts that matter, without the wall-clock time. */
function counts(options: CheckerOptions, depth: number) {
  const r = checker(primaryCopy, options).maxDepth(depth).bfs();
  return { states: r.states, unique: r.unique, depth: r.depth, complete: r.complete,
    verdict: r.verdict };
}

describe('example protocol, correct', () => {
  test('2 replicas, 1 client × 2 ops, 1 crash: the whole space, pinned', () => {
    expect(counts({ replicas: 2, clients: 1, ops: 2, crashes: 1, history }, 50))
      .toEqual({ states: 4176, unique: 1040, depth: 21, complete: true, verdict: 'ok' });
  });

  test('2 replicas, 2 clients × 1 op, 1 crash (the CLI default): the whole space, pinned', () => {
    expect(counts({ replicas: 2, clients: 2, ops: 1, crashes: 1, history }, 50))
      .toEqual({ states: 49512, unique: 11536, depth: 21, complete: true, verdict: 'ok' });
  });

  test('a depth bound cuts the search off and says so', () => {
    expect(counts({ replicas: 2, clients: 1, ops: 2, crashes: 1, history }, 6))
      .toEqual({ states: 228, unique: 96, depth: 6, complete: false, verdict: 'ok' });
  });

  test('multiset network (copies kept apart), depth-bounded, pinned', () => {
    expect(counts({ replicas: 2, clients: 1, ops: 1, crashes: 0,
      network: 'multiset', history }, 10))
      .toEqual({ states: 546, unique: 227, depth: 10, complete: false, verdict: 'ok' });
  });

  test('timer firings bounded to 1: pinned', () => {
    expect(counts({ replicas: 2, clients: 1, ops: 2, crashes: 1, timers: 1, history }, 50))
      .toEqual({ states: 901, unique: 411, depth: 16, complete: true, verdict: 'ok' });
  });

  test('determinism: two searches give the same counts', () => {
    const options: CheckerOptions = { replicas: 2, clients: 1, ops: 2, crashes: 1,
      drops: 1, history };
    expect(counts(options, 14)).toEqual(counts(options, 14));
  });
});

describe('example protocol, mutant example:volatile-log', () => {
  const options: CheckerOptions = { replicas: 2, clients: 1, ops: 2, crashes: 1,
    mutant: 'example:volatile-log', history };

  test('is found with one crash, and the path replays to the same violation', () => {
    const r = checker(primaryCopy, options).maxDepth(30).bfs();
    expect(r.verdict).toBe('violation');
    const cx = r.counterexample!;
    expect(cx.violation.kind).toBe('linearizability');
    expect(cx.actions).toContain('crash n1');
    expect(cx.actions).toHaveLength(cx.path.length);
    expect(cx.path).toEqual([1, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0]); // Shortest, by BFS; pinned.
    const again = replay(primaryCopy, options, cx.path);
    expect(again.counterexample).toEqual(cx);
    expect(checker(primaryCopy, options).maxDepth(30).bfs().counterexample).toEqual(cx);
  });

  test('on a machine far slower (every clock read jumps 1000 s) the answer is the same', () => {
    // Only an explicit timeout reads the clock for a decision; without one, BFS and DFS give the
    // same counts and counterexample however slow the machine is.
    let now = 0;
    const slow = (): number => (now += 1_000_000);
    for (const order of ['bfs', 'dfs'] as const) {
      const fast = checker(primaryCopy, options).maxDepth(30);
      const slowed = checker(primaryCopy, options).maxDepth(30).clock(slow);
      const a = order === 'bfs' ? fast.bfs() : fast.dfs();
      const b = order === 'bfs' ? slowed.bfs() : slowed.dfs();
      expect([b.states, b.unique, b.complete, b.counterexample])
        .toEqual([a.states, a.unique, a.complete, a.counterexample]);
    }
    // The same slow clock with a timeout does stop the search, and says it is incomplete.
    const cut = checker(primaryCopy, { ...options, mutant: null }).maxDepth(30).clock(slow)
      .timeout(1).bfs();
    expect([cut.complete, cut.verdict, cut.cutOff]).toEqual([false, 'ok', 'time']);
    expect(renderCheck(cut, '')).toMatch(/^stopped by --timeout \(the wall clock\).*not an ans/m);
    // Counted bounds say which one cut the search off, and the report names it.
    const states = checker(primaryCopy, { ...options, mutant: null }).maxDepth(30).maxStates(50)
      .bfs();
    const depth = checker(primaryCopy, { ...options, mutant: null }).maxDepth(4).dfs();
    expect([states.cutOff, depth.cutOff]).toEqual(['states', 'depth']);
    expect(renderCheck(states, '')).toContain('cut off by the states bound');
    expect(renderCheck(depth, '')).toContain('cut off by the depth bound');
    const whole = checker(primaryCopy, { ...options, mutant: null }).maxDepth(30).bfs();
    expect([whole.complete, whole.cutOff]).toEqual([true, null]);
  });

  test('is not found without crashes: the bug needs a restart', () => {
    expect(counts({ ...options, crashes: 0 }, 50).verdict).toBe('ok');
  });

  test('the same path on the correct protocol replays without a violation', () => {
    const cx = checker(primaryCopy, options).maxDepth(30).bfs().counterexample!;
    const r = replay(primaryCopy, { ...options, mutant: null }, cx.path);
    expect(r.counterexample).toBeNull();
    expect(r.actions.at(-1)).toBe('deliver n1->c0 Reply #2 ok v="c0.1"');
  });

  test('an index past the enabled actions is a PathError', () => {
    expect(() => replay(primaryCopy, options, [0, 99])).toThrow(PathError);
  });
});

describe('invariants and assertions', () => {
  test('a broken invariant is a violation at the node that stepped', () => {
    const r = checker(toy, { replicas: 2, clients: 0, crashes: 0 }).maxDepth(10).bfs();
    expect(r.counterexample?.violation)
      .toEqual({ kind: 'invariant', node: 'n2', message: 'n2 got 2 pings' });
    expect(r.counterexample?.actions)
      .toEqual(['n1 timer ping', 'deliver n1->n2 Ping', 'n1 timer ping', 'deliver n1->n2 Ping']);
  });

  test('a timer-firing bound prunes: two pings need two firings', () => {
    const r = checker(toy, { replicas: 2, clients: 0, crashes: 0, timers: 1 }).maxDepth(10).bfs();
    expect({ verdict: r.verdict, unique: r.unique, complete: r.complete })
      .toEqual({ verdict: 'ok', unique: 3, complete: true });
  });

  test('a thrown assertion is a violation too', () => {
    const r = checker(toy, { replicas: 2, clients: 0, crashes: 0, mutant: 'toy:assert' })
      .maxDepth(10).bfs();
    expect(r.counterexample?.violation)
      .toEqual({ kind: 'assertion', node: 'n2', message: 'toy: a second ping' });
  });

  test('crash keeps only the durable part, and restart re-reads it', () => {
    // n2's ping count is durable, so a crash and restart of n2 between the two pings still breaks.
    const r = replay(toy, { replicas: 2, clients: 0, crashes: 1 }, [0, 0, 2, 1, 0, 0]);
    expect(r.actions).toEqual(['n1 timer ping', 'deliver n1->n2 Ping', 'crash n2', 'restart n2',
      'n1 timer ping', 'deliver n1->n2 Ping']);
    expect(r.counterexample?.violation.message).toBe('n2 got 2 pings');
  });
});
