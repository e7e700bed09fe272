/**
 * smart-redirect-once (P1.3 step 1): a retried request is held, and redirected, once.
 * smart-slow-disk seed 0 redirects held requests; under smart:hold-retries (mutation #4734 of
 * the seed-35 sample) every retry is held again and redirected again at the release.
 */
import { describe, expect, it } from 'vitest';
import { doubleRedirects, smartHeldOnce } from '../../properties/smart-held-once.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const record = (mutant: string | null): RunRecord => simulate({
  scenario: loadScenario('smart-slow-disk'), protocol: findProtocol('smart')!, seed: 0, mutant });

describe('smart-redirect-once', () => {
  it('holds on the run, judging its redirects', () => {
    const run = record(null);
    const r = doubleRedirects(run);
    expect(r.problems).toEqual([]);
    expect(r.judged).toBeGreaterThan(0);
    expect(smartHeldOnce.check(run).status).toBe('pass');
  });

  it('fails when a step sends one request two REDIRECTs (smart:hold-retries)', () => {
    const run = record('smart:hold-retries');
    expect(doubleRedirects(run).problems[0]).toMatch(new RegExp('^n\\d redirected request ' +
      '#\\d+ of c\\d twice in its step at t=\\d+us: a request is held, and released, once ' +
      'however often it was resent$'));
    expect(smartHeldOnce.check(run).status).toBe('fail');
  });

  it('does not judge an instant the node came up or resumed at, nor a duplicating network',
    () => {
      const run = record('smart:hold-retries');
      const twice = run.replies.filter((r) => r.outcome === 'redirect');
      const woke = [...new Set(twice.map((r) => `${r.node}|${r.stepAt}`))].map((k) => {
        const [node, at] = k.split('|');
        return { at: Number(at), seq: 0, node: node!, kind: 'up' as const };
      });
      expect(doubleRedirects({ ...run, nodeEvents: [...run.nodeEvents, ...woke] }).problems)
        .toEqual([]);
      const duplicating = { ...run, metrics: { ...run.metrics, duplicates: 1 } };
      expect(smartHeldOnce.check(duplicating).status).toBe('skip');
    });
});
