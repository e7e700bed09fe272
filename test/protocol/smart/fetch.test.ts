/**
 * A machine's request for its starting state (protocol/smart/fetch.ts): with `fetchRetryUs` 0
 * every reason to ask sends a request; with it set, one is outstanding at a time and a preferred
 * source (a member of the new configuration other than its leader) goes first.
 */
import { describe, expect, it } from 'vitest';
import { fetchState, preferredSource } from '../../../protocol/smart/fetch.js';
import { smart } from '../../../protocol/smart/index.js';
import { newReplica } from '../../../protocol/smart/roles.js';
import type { Ctx, Msg, State } from '../../../protocol/smart/types.js';
import type { ProtocolConfig } from '../../../protocol/types.js';
import { migrateFault } from '../../../scenarios/experiments/smart-migration.js';
import { smartExperimentScenario } from '../../../scenarios/experiments/smart-common.js';
import { smartProtocol } from '../../../scenarios/experiments/smart-catalog.js';
import { simulate } from '../../../simulator/sim.js';

const nodes = ['n1', 'n2', 'n3', 'n4'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));

function newcomer(fetchRetryUs: number): State {
  const cfg: ProtocolConfig = { nodes, replicas: ['n1', 'n2', 'n3'],
    params: { ...smart.defaults, fetchRetryUs }, mutant: null };
  return smart.init('n4', cfg);
}

/** fetchState at `now`: the state after it and whom it asked. */
function ask(s: State, from: string, preferred: boolean, now: number): [State, string[]] {
  const ctx: Ctx = { now, out: [] };
  const next = fetchState(s, from, 1, preferred, ctx);
  return [next, ctx.out.flatMap((e) => (e.kind === 'send' ? [e.to] : []))];
}

describe('SMART state fetch', () => {
  it('fetchRetryUs 0: every reason to ask sends a request, as before', () => {
    let s = newcomer(0);
    let to: string[];
    [s, to] = ask(s, 'n1', false, 0);
    expect(to).toEqual(['n1']);
    [s, to] = ask(s, 'n2', true, 1);
    expect(to).toEqual(['n2']);
    expect(s.em.fetch).toBeNull();
  });

  it('one request outstanding; the leader only after fetchRetryUs without a preferred source',
    () => {
      let s = newcomer(1000);
      let to: string[];
      [s, to] = ask(s, 'n1', false, 0); // The leader's heartbeat: wait for another source.
      expect(to).toEqual([]);
      expect(s.em.fetch).toEqual({ from: null, at: 0 });
      [s, to] = ask(s, 'n2', true, 500); // A preferred source's FINISHED.
      expect(to).toEqual(['n2']);
      [s, to] = ask(s, 'n3', true, 1000); // Outstanding.
      expect(to).toEqual([]);
      [s, to] = ask(s, 'n1', false, 1500); // Renewed after fetchRetryUs, from anyone.
      expect(to).toEqual(['n1']);
      let alone = newcomer(1000);
      [alone, to] = ask(alone, 'n1', false, 0);
      [alone, to] = ask(alone, 'n1', false, 999);
      expect(to).toEqual([]);
      [alone, to] = ask(alone, 'n1', false, 1000); // No other source: the leader after all.
      expect(to).toEqual(['n1']);
    });

  it('a preferred source is a member of the new configuration, not its (first) leader', () => {
    const s = newcomer(1000);
    const r = newReplica(2, ['n1', 'n2', 'n4'], 147);
    expect(['n1', 'n2', 'n3', 'n4'].filter((n) => preferredSource(s, r, n))).toEqual(['n2']);
  });

  it('in a migration {A,B,C}→{A,B,R}, R asks B alone; without fetchRetryUs, several', () => {
    const requests = (fetchRetryUs: number): string[] => {
      const scenario = smartExperimentScenario({ name: 'fetch', replicas: 3, spares: 1,
        clients: 1, durationUs: 700_000, params: { fetchRetryUs },
        faults: [migrateFault(400_000, 'm1', ['n1', 'n2', 'n4'])] });
      const run = simulate({ scenario, protocol: smartProtocol(), seed: 0, keepTrace: true });
      expect(run.observations.some((o) => o.node === 'n4' && o.label === 'ckpt')).toBe(true);
      return run.trace!.flatMap((l) => /n4->(n\d) StateRequest/.exec(l)?.[1] ?? []);
    };
    expect(requests(60_000_000)).toEqual(['n2']);
    const before = requests(0);
    expect(before.length).toBeGreaterThan(1);
    expect(before).toContain('n1');
  });

  it('a member\'s catch-up at a heartbeat goes through the fetch too (explore trial 46 of '
    + 'smart-leader-fetch-once: it bypassed it, two full copies 7 ms apart)', () => {
    // n4 restarted with an empty disk as a member of configuration 1 (n1..n4, first slot 1) and
    // of configuration 2, whose starting state it asked n5 for; n1's configuration-1 heartbeat
    // then made it ask n1 as well, have=0 both times.
    const member = (fetchRetryUs: number): State => {
      const cfg: ProtocolConfig = { nodes, replicas: ['n1', 'n2', 'n3', 'n4'],
        params: { ...smart.defaults, fetchRetryUs }, mutant: null };
      return smart.step(smart.init('n4', cfg), { kind: 'restart', now: 0, durable: null }).state;
    };
    const beat: Msg = { t: 'heartbeat', cfg: 1, ballot: 1, commit: 101, stable: 101 };
    const asked = (s: State, now: number): [State, string[]] => {
      const r = smart.step(s, { kind: 'message', now, from: 'n1', msg: beat });
      return [r.state, r.effects.flatMap((e) => (e.kind === 'send'
        && e.msg.t === 'stateRequest' ? [`${e.to} have=${e.msg.have}`] : []))];
    };
    // A request outstanding (to n5, at 1000): the heartbeat asks nobody until fetchRetryUs.
    let s = member(30_000);
    s = { ...s, em: { ...s.em, fetch: { from: 'n5', at: 1000 } } };
    let to: string[];
    [s, to] = asked(s, 8000);
    expect(to).toEqual([]);
    [s, to] = asked(s, 31_000);
    expect(to).toEqual(['n1 have=0']);
    expect(s.em.fetch).toEqual({ from: 'n1', at: 31_000 });
    // None outstanding: it asks at once, and that request is the one outstanding.
    [s, to] = asked(member(30_000), 8000);
    expect(to).toEqual(['n1 have=0']);
    expect(s.em.fetch).toEqual({ from: 'n1', at: 8000 });
    // fetchRetryUs 0: every heartbeat asks, as before.
    [s, to] = asked(member(0), 8000);
    [s, to] = asked(s, 8100);
    expect(to).toEqual(['n1 have=0']);
  });
});
