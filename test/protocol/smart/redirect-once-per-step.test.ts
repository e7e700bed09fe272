/**
 * Explore trial 1630420 of smart-join-request-forgotten: n1's leaders of configurations 12 and
 * 13 had both queued the operator's requests (the older held them while campaigning, the newer
 * held their retries), and one decided range filled both ranges in one step: each flushed its
 * queue with NEW-CONFIGURATION, so the operator got two REDIRECTs for #9, one of them after the
 * MIGRATE's own answer. A machine now answers a request at most once a step (`redirectClient`).
 */
import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import { redirectClient } from '../../../protocol/smart/migration.js';
import type { Ctx } from '../../../protocol/smart/types.js';
import type { ProtocolConfig } from '../../../protocol/types.js';

function config(mutant: string | null): ProtocolConfig {
  const nodes = ['n1', 'n2', 'n3'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
  return { nodes, replicas: nodes.map((n) => n.id), params: smart.defaults, mutant };
}

const newer = { num: 18, members: ['n1', 'n2', 'n4'], first: 48 };
const older = { num: 14, members: ['n1', 'n2', 'n4'], first: 44 };

/** The replies a step sends when two leaders' flushes redirect operator #9 in turn. */
function replies(mutant: string | null, before: 'redirect' | 'done' | null): unknown[] {
  const s = smart.init('n1', config(mutant));
  const ctx: Ctx = { now: 1_205_163, out: [] };
  if (before === 'done') {
    const outcome = { type: 'done' as const, result: { ok: true } };
    ctx.out.push({ kind: 'reply', to: 'operator', seq: 9, outcome });
  }
  if (before === 'redirect') redirectClient(s, 'operator', 9, older, ctx);
  redirectClient(s, 'operator', 9, newer, ctx);
  redirectClient(s, 'operator', 10, newer, ctx);
  return ctx.out.map((e) => (e.kind === 'reply' ? [e.seq, e.outcome.type] : e.kind));
}

describe('a machine answers a request at most once a step', () => {
  it('sends one REDIRECT per request, the first', () => {
    expect(replies(null, null)).toEqual([[9, 'redirect'], [10, 'redirect']]);
    expect(replies(null, 'redirect')).toEqual([[9, 'redirect'], [10, 'redirect']]);
  });

  it('sends no REDIRECT after the request was answered in the step', () => {
    expect(replies(null, 'done')).toEqual([[9, 'done'], [10, 'redirect']]);
  });

  it('still redirects a request whose number the step answered for another client', () => {
    // Every client numbers its requests from 1: a step that answered c1's #5 and then flushes
    // c2's #5 must tell c2 (Stryker #6992 of the seed-54 sample took the one for the other).
    const flush = (mutant: string | null): unknown[] => {
      const s = smart.init('n1', config(mutant));
      const ctx: Ctx = { now: 1_205_163, out: [] };
      const outcome = { type: 'done' as const, result: { ok: true } };
      ctx.out.push({ kind: 'reply', to: 'c1', seq: 5, outcome });
      redirectClient(s, 'c2', 5, newer, ctx);
      return ctx.out.map((e) => (e.kind === 'reply' ? [e.to, e.seq, e.outcome.type] : e.kind));
    };
    expect(flush(null)).toEqual([['c1', 5, 'done'], ['c2', 5, 'redirect']]);
    expect(() => flush('smart:answered-by-seq'))
      .toThrow('smart: request #5 of c2 is told the newer configuration in this step');
  });

  it('redirects from every queue under smart:redirect-every-queue', () => {
    expect(replies('smart:redirect-every-queue', 'done'))
      .toEqual([[9, 'done'], [9, 'redirect'], [10, 'redirect']]);
    expect(replies('smart:redirect-every-queue', 'redirect'))
      .toEqual([[9, 'redirect'], [9, 'redirect'], [10, 'redirect']]);
  });
});
