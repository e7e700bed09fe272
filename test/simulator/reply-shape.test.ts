/** A reply no client understands is the protocol's assertion, not a silently ignored answer. */
import { describe, expect, it } from 'vitest';
import { primaryCopy } from '../../protocol/example/primary-copy.js';
import type { ReplyOutcome } from '../../protocol/types.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../simulator/sim.js';
import { outcomeProblem } from '../../simulator/reply-shape.js';

/** The example protocol with every reply's outcome replaced by `outcome`. */
function replying(outcome: unknown): typeof primaryCopy {
  return {
    ...primaryCopy,
    step(s, ev) {
      const r = primaryCopy.step(s, ev);
      return { state: r.state, effects: r.effects.map((e) => e.kind === 'reply'
        ? { ...e, outcome: outcome as ReplyOutcome } : e) };
    },
  };
}

describe('reply outcome shape', () => {
  const scenario = loadScenario('example-steady');

  it('a well-formed run has no failure; an empty outcome is one, on the replying node', () => {
    expect(simulate({ scenario, protocol: primaryCopy, seed: 3 }).failures).toEqual([]);
    const run = simulate({ scenario, protocol: replying({}), seed: 3 });
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatchObject({ kind: 'assertion', node: 'n1' });
    expect(run.failures[0]!.message).toMatch(/^reply #\d+ to c\d+: unknown outcome type undefined/);
  });

  it('names what is wrong with each outcome', () => {
    const cases: [unknown, string | null][] = [
      [{ type: 'done', result: { ok: true } }, null],
      [{ type: 'done', result: { ok: false, value: 'x' }, discarded: [1, 2] }, null],
      [{ type: 'redirect', leader: 'n2', members: ['n1', 'n2'], config: 3 }, null],
      [{ type: 'redirect' }, null],
      [{ type: 'reject', reason: 'no primary' }, null],
      [null, 'not an object'],
      [{ type: 'done' }, 'needs a result'],
      [{ type: 'done', result: { ok: 1 } }, 'needs a result'],
      [{ type: 'done', result: { ok: true, value: 7 } }, 'value, when given'],
      [{ type: 'done', result: { ok: true }, discarded: ['a'] }, 'discarded'],
      [{ type: 'redirect', leader: 2 }, 'leader'],
      [{ type: 'redirect', members: 'n1' }, 'members'],
      [{ type: 'redirect', config: 1.5 }, 'config'],
      [{ type: 'reject' }, 'reason'],
      [{ type: 'ok' }, 'unknown outcome type "ok"'],
    ];
    for (const [outcome, problem] of cases) {
      const got = outcomeProblem(outcome as ReplyOutcome);
      if (problem === null) expect(got).toBeNull();
      else expect(got).toContain(problem);
    }
  });
});
