import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import type { Cmd, Disk, Msg, State } from '../../../protocol/smart/types.js';
import { ballotOf, lastSlotOf, latestEntry } from '../../../protocol/smart/util.js';
import type { Effect, ProtocolConfig, ProtocolEvent } from '../../../protocol/types.js';

type Ev = ProtocolEvent<Msg, Disk>;

function config(replicas: string[], params: Record<string, number> = {},
  mutant: string | null = null): ProtocolConfig {
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
  return { nodes, replicas, params: { ...smart.defaults, ...params }, mutant };
}

class Node {
  state: State;
  effects: Effect<Msg>[] = [];
  now = 0;
  constructor(readonly id: string, readonly cfg: ProtocolConfig) {
    this.state = smart.init(id, cfg);
    this.step({ kind: 'restart', now: 0, durable: null });
  }
  step(ev: Ev): Effect<Msg>[] {
    const r = smart.step(this.state, ev);
    this.state = r.state;
    // A declared mutant may break an invariant by design (its test says which).
    if (this.cfg.mutant === null) expect(smart.invariants!(this.state)).toBeNull();
    this.effects.push(...r.effects);
    return [...r.effects];
  }
  msg(from: string, msg: Msg): Effect<Msg>[] {
    return this.step({ kind: 'message', now: ++this.now, from, msg });
  }
  timer(timer: string): Effect<Msg>[] {
    return this.step({ kind: 'timer', now: ++this.now, timer });
  }
  observed(label: string): Record<string, unknown>[] {
    return this.effects.flatMap((e) => (e.kind === 'observe' && e.label === label
      ? [e.data as Record<string, unknown>] : []));
  }
}

const op = (client: string, seq: number, value: string): Cmd =>
  ({ t: 'op', client, seq, op: { type: 'append', key: 'k', value } });
const vote = (entries: [number, number, Cmd][]) => ({
  entries: entries.map(([slot, ballot, cmd]) => [slot, { ballot, cmd, decided: false }] as const),
  trunc: 0, exec: 0, ckpt: 0,
});

/** n1 campaigns and wins with the given votes (ballot round 1). */
function elect(node: Node, votes: [string, ReturnType<typeof vote>][]): void {
  node.timer('el:1');
  const ballot = node.state.replicas.get(1)!.promised;
  for (const [from, v] of votes) node.msg(from, { t: 'pollReply', cfg: 1, ballot, vote: v });
}

describe('smart election and poll', () => {
  it('the first member of a new configuration campaigns at once', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3']));
    expect(n1.effects).toContainEqual({ kind: 'setTimer', timer: 'el:1', at: 0 });
  });

  it('re-proposes the highest-ballot value of each slot and null-fills the gaps', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3', 'n4', 'n5']));
    elect(n1, [['n2', vote([[1, 1, op('c0', 1, 'A')]])],
      ['n3', vote([[1, 3, op('c1', 1, 'B')], [3, 1, op('c2', 1, 'C')]])]]);
    expect(n1.state.replicas.get(1)!.role).toBe('leader');
    const proposed = n1.observed('propose').map((p) => [p['slot'], p['command']]);
    expect(proposed).toEqual([[1, 'c1#1'], [2, 'null'], [3, 'c2#1']]);
  });

  it('keeps the highest-ballot value whichever voter reports it first (Stryker #5059 of the ' +
    'seed-47 sample kept the last voter\'s)', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3', 'n4', 'n5']));
    elect(n1, [['n2', vote([[1, 3, op('c1', 1, 'B')]])], ['n3', vote([[1, 1, op('c0', 1, 'A')]])]]);
    const proposed = n1.observed('propose').map((p) => [p['slot'], p['command']]);
    expect(proposed).toEqual([[1, 'c1#1']]);
  });

  it('a follower suspects its leader later the further it stands after the leader in the ' +
    'members (Stryker #6349 of the seed-47 sample ranked by me + leader)', () => {
    const members = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const { leaderTimeoutUs: timeout, staggerUs: stagger } = smart.defaults as
      Record<string, number>;
    const ballot = ballotOf(1, 1); // n2's ballot (node index 1).
    const rank = members.map((id) => {
      const n = new Node(id, config(members));
      const fx = n.msg('n2', { t: 'heartbeat', cfg: 1, ballot, commit: 0, stable: 0 });
      const el = fx.find((e) => e.kind === 'setTimer' && e.timer === 'el:1');
      return el?.kind === 'setTimer' ? (el.at - n.now - timeout!) / stagger! : null;
    });
    // n3 follows n2 directly, then n4, n5 and (wrapping round) n1.
    expect(rank).toEqual([3, 4, 0, 1, 2]);
  });

  it('a candidate that hears of a leader redirects the requests it held to that leader, naming ' +
    'it, the members and the configuration (Stryker #6364 of the seed-48 sample sent an empty ' +
    'redirect)', () => {
    const n3 = new Node('n3', config(['n1', 'n2', 'n3']));
    n3.timer('el:1');
    expect(n3.state.replicas.get(1)!.role).toBe('candidate');
    n3.step({ kind: 'clientRequest', now: ++n3.now,
      request: { client: 'c0', seq: 1, op: { type: 'get', key: 'k' } } });
    expect(n3.effects.filter((e) => e.kind === 'reply')).toEqual([]);
    const fx = n3.msg('n2', { t: 'heartbeat', cfg: 1, ballot: ballotOf(5, 1), commit: 0,
      stable: 0 });
    expect(fx.filter((e) => e.kind === 'reply')).toEqual([{ kind: 'reply', to: 'c0', seq: 1,
      outcome: { type: 'redirect', leader: 'n2', members: ['n1', 'n2', 'n3'], config: 1 } }]);
  });

  it('a leaderless follower answers a lower ELECT with PREEMPT; a led one stays silent', () => {
    const n3 = new Node('n3', config(['n1', 'n2', 'n3', 'n4', 'n5']));
    const high = ballotOf(7, 4);
    n3.msg('n5', { t: 'elect', cfg: 1, ballot: high });
    const lowElect: Msg = { t: 'elect', cfg: 1, ballot: ballotOf(2, 1) };
    expect(n3.msg('n2', lowElect)).toContainEqual(
      { kind: 'send', to: 'n2', msg: { t: 'preempt', cfg: 1, ballot: high } });
    n3.msg('n5', { t: 'heartbeat', cfg: 1, ballot: high, commit: 0, stable: 0 });
    expect(n3.msg('n2', lowElect).filter((e) => e.kind === 'send')).toEqual([]);
  });

  it('a preempted candidate campaigns again above the ballot it was told', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3', 'n4', 'n5']));
    n1.timer('el:1');
    const first = n1.state.replicas.get(1)!.promised;
    n1.msg('n2', { t: 'preempt', cfg: 1, ballot: first - 1 });
    expect(n1.state.replicas.get(1)!.promised).toBe(first);
    n1.msg('n2', { t: 'preempt', cfg: 1, ballot: ballotOf(7, 4) });
    const r = n1.state.replicas.get(1)!;
    expect([r.role, r.promised > ballotOf(7, 4)]).toEqual(['candidate', true]);
    expect(n1.observed('elect').length).toBe(2);
  });

  it('the poll-ignores-accepted mutant drops undecided values (the bug it models)', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3'], {}, 'smart:poll-ignores-accepted'));
    elect(n1, [['n2', vote([[1, 1, op('c0', 1, 'A')]])]]);
    expect(n1.observed('propose')).toEqual([]);
  });
});

describe('smart admission rules', () => {
  it('the α rule: no proposal beyond lastExec + α', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3'], { alpha: 2 }));
    elect(n1, [['n2', vote([])]]);
    for (let seq = 1; seq <= 5; seq++) {
      n1.step({ kind: 'clientRequest', now: ++n1.now,
        request: { client: `c${seq}`, seq: 1, op: { type: 'get', key: 'k' } } });
    }
    expect(n1.observed('propose').map((p) => p['slot'])).toEqual([1, 2]);
    // LOGGED from n2 and n1's own (after its write) decide slot 1; executing it opens slot 3.
    const ballot = n1.state.replicas.get(1)!.promised;
    n1.msg('n2', { t: 'logged', cfg: 1, ballot, slot: 1, ckpt: 0 });
    n1.msg('n1', { t: 'logged', cfg: 1, ballot, slot: 1, ckpt: 0 });
    expect(n1.observed('propose').map((p) => p['slot'])).toEqual([1, 2, 3]);
  });

  it('the no-alpha-check mutant proposes every queued request at once', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3'], { alpha: 2 }, 'smart:no-alpha-check'));
    elect(n1, [['n2', vote([])]]);
    for (let seq = 1; seq <= 5; seq++) {
      n1.step({ kind: 'clientRequest', now: ++n1.now,
        request: { client: `c${seq}`, seq: 1, op: { type: 'get', key: 'k' } } });
    }
    expect(n1.observed('propose').length).toBe(5);
  });
});

describe('smart crash recovery', () => {
  function leaderWithProposal(mutant: string | null): Node {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3'], {}, mutant));
    elect(n1, [['n2', vote([])]]);
    n1.step({ kind: 'clientRequest', now: ++n1.now,
      request: { client: 'c0', seq: 1, op: { type: 'get', key: 'k' } } });
    expect(n1.observed('propose').length).toBe(1);
    return n1;
  }

  it('the leader counts its own LOGGED only as a message that follows its log write', () => {
    const n1 = leaderWithProposal(null);
    const ballot = n1.state.replicas.get(1)!.promised;
    const kinds = n1.effects.map((e) => (e.kind === 'send' && e.msg.t === 'logged'
      ? `logged->${e.to}` : e.kind));
    const own = kinds.lastIndexOf('logged->n1');
    expect(own).toBeGreaterThan(kinds.lastIndexOf('persist'));
    // A follower's LOGGED alone is one of the two a 3-member quorum needs: nothing decided.
    n1.msg('n2', { t: 'logged', cfg: 1, ballot, slot: 1, ckpt: 0 });
    expect(n1.observed('decide')).toEqual([]);
    n1.msg('n1', { t: 'logged', cfg: 1, ballot, slot: 1, ckpt: 0 });
    expect(n1.observed('decide').map((d) => d['slot'])).toEqual([1]);
  });

  it('a recovered leader restarts as a follower and never reuses (ballot, slot)', () => {
    const n1 = leaderWithProposal(null);
    const disk = smart.durable(n1.state);
    const again = new Node('n1', n1.cfg);
    again.step({ kind: 'restart', now: 100, durable: disk });
    const r = again.state.replicas.get(1)!;
    expect(r.role).toBe('follower');
    expect(r.log.get(1)?.cmd)
      .toEqual({ t: 'op', client: 'c0', seq: 1, op: { type: 'get', key: 'k' } });
  });

  it('the leader-amnesia mutant resumes leading in its old ballot', () => {
    const n1 = leaderWithProposal('smart:leader-amnesia');
    const again = new Node('n1', n1.cfg);
    again.step({ kind: 'restart', now: 100, durable: smart.durable(n1.state) });
    const r = again.state.replicas.get(1)!;
    expect(r.role === 'leader' ? r.lead.nextSlot : `a ${r.role}`).toBe(1);
  });
});

describe('smart execution module', () => {
  const decided = (slot: number, cmd: Cmd): Msg => ({ t: 'decided', cfg: slot <= 10 ? 1 : 2,
    ballot: 1, slot, cmd });
  const migrate = (id: string, members: string[]): Cmd =>
    ({ t: 'migrate', id, members, client: 'operator', seq: 1 });

  it('MIGRATE in slot n: the new configuration owns slots from n+α; ' +
    'consecutive ones keep every entry', () => {
    const n2 = new Node('n2', config(['n1', 'n2', 'n3'], { alpha: 10 }));
    n2.msg('n1', decided(1, migrate('m1', ['n1', 'n2', 'n4'])));
    n2.msg('n1', decided(2, migrate('m2', ['n1', 'n2', 'n3'])));
    const table = n2.state.em.table.map((e) => [e.num, e.first, e.last]);
    expect(table).toEqual([[1, 1, 10], [2, 11, 11], [3, 12, null]]);
    expect(n2.state.replicas.has(2)).toBe(true);
    expect(n2.state.replicas.has(3)).toBe(true);
  });

  it('the latest-config-only mutant forgets the middle configuration and misreads LastSlot', () => {
    const n2 = new Node('n2',
      config(['n1', 'n2', 'n3'], { alpha: 10 }, 'smart:latest-config-only'));
    n2.msg('n1', decided(1, migrate('m1', ['n1', 'n2', 'n4'])));
    n2.msg('n1', decided(2, migrate('m2', ['n1', 'n2', 'n3'])));
    expect(n2.state.em.table.map((e) => e.num)).toEqual([3]);
    expect(lastSlotOf(n2.state.em.table, 1)).toBe(11); // Correct would be 10.
    expect(smart.invariants!(n2.state))
      .toBe('configuration 2 was collected from the table but d=0');
  });

  it('a repository answer makes an older configuration defunct only once ours is established',
    () => {
      // Explore seeds 20117, 20393: a leader of a configuration no quorum of which held the
      // starting state yet sent DEFUNCT to its predecessor (S6).
      const n1 = new Node('n1', config(['n1', 'n2', 'n3'], { alpha: 10 }));
      n1.msg('n2', decided(1, migrate('m1', ['n1', 'n4', 'n5'])));
      n1.timer('el:2');
      const ballot = n1.state.replicas.get(2)!.promised;
      const poll = (ckpt: number): Msg => ({ t: 'pollReply', cfg: 2, ballot,
        vote: { entries: [], trunc: 10, exec: ckpt, ckpt } });
      n1.msg('n4', poll(0));
      expect(n1.state.replicas.get(2)!.role).toBe('leader');
      const info: Msg = { t: 'repoInfo', info: { num: 1, members: ['n1', 'n2', 'n3'], first: 1 } };
      const defunct = (effects: Effect<Msg>[]): string[] => effects.flatMap((e) =>
        (e.kind === 'persist' ? ['persist']
          : e.kind === 'send' && e.msg.t === 'defunct' ? [`defunct->${e.to}`] : []));
      expect(defunct(n1.msg('n9', info))).toEqual([]);
      // Established: n1 holds cfg 1's final checkpoint (slot 10) and so does n4.
      for (let slot = 2; slot <= 10; slot++) n1.msg('n2', decided(slot, op('c0', slot, 'x')));
      n1.msg('n4', { t: 'ckptNote', cfg: 2, index: 10 });
      const r = n1.state.replicas.get(2)!;
      expect(r.role === 'leader' ? r.lead.stable : r.role).toBe(10);
      expect(defunct(n1.msg('n9', info)))
        .toEqual(['persist', 'defunct->n2', 'defunct->n3']);
    });

  it('a duplicate request executes once; the reply cache answers it', () => {
    const n2 = new Node('n2', config(['n1', 'n2', 'n3']));
    n2.msg('n1', decided(1, op('c0', 1, 'x')));
    n2.msg('n1', decided(2, op('c0', 1, 'x')));
    expect(n2.state.em.store.get('k')).toBe('x');
    expect(n2.observed('apply').length).toBe(1);
    expect(n2.state.em.lastExec).toBe(2);
  });

  it('a decision for a slot already executed is dropped, not queued for ever (Stryker #4460 of ' +
    'the seed-47 sample kept it in Em.decided)', () => {
    // n4 holds no replica of configuration 1: the EM alone learns the DECIDEDs.
    const n4 = new Node('n4', config(['n1', 'n2', 'n3']));
    n4.msg('n1', decided(1, op('c0', 1, 'a')));
    const once = n4.state;
    expect([once.em.lastExec, once.em.decided.size]).toEqual([1, 0]);
    n4.msg('n1', decided(1, op('c0', 1, 'a')));
    expect(n4.state).toBe(once);
  });

  it('a member that learns a decided slot again changes nothing and observes no second ' +
    'decision (Stryker #6433 of the seed-48 sample re-learned it: a second decide fact)', () => {
    const n2 = new Node('n2', config(['n1', 'n2', 'n3']));
    n2.msg('n1', decided(1, op('c0', 1, 'a')));
    const once = n2.state;
    expect([once.em.lastExec, once.replicas.get(1)!.log.get(1)?.decided]).toEqual([1, true]);
    expect(n2.observed('decide').length).toBe(1);
    n2.msg('n1', decided(1, op('c0', 1, 'a')));
    expect(n2.state).toBe(once);
    expect(n2.observed('decide').length).toBe(1);
  });

  it('an empty configuration table is refused by name (unreachable in a run: every table holds ' +
    'its newest entry; Stryker #7144 of the seed-48 sample emptied the message)', () => {
    expect(() => latestEntry([])).toThrow(/^smart: empty configuration table$/);
  });

  it('executes strictly in slot order, waiting for gaps', () => {
    const n2 = new Node('n2', config(['n1', 'n2', 'n3']));
    n2.msg('n1', decided(2, op('c0', 2, 'b')));
    expect(n2.state.em.lastExec).toBe(0);
    n2.msg('n1', decided(1, op('c0', 1, 'a')));
    expect(n2.state.em.store.get('k')).toBe('ab');
  });

  it('a heartbeat\'s checkpoint note leaves after a write when it can raise stable, else at once',
    () => {
      // Explore seeds 20519, 20740, 20828: a note naming a checkpoint still in flight let the
      // leader count it toward the stable index (S9).
      const n2 = new Node('n2', config(['n1', 'n2', 'n3'], { checkpointEvery: 2 }));
      n2.msg('n1', { t: 'decided', cfg: 1, ballot: 1, slot: 1, cmd: op('c0', 1, 'a') });
      n2.msg('n1', { t: 'decided', cfg: 1, ballot: 1, slot: 2, cmd: op('c0', 2, 'b') });
      expect(n2.state.em.ckpt.index).toBe(2);
      const beat = (stable: number): string[] => n2.msg('n1',
        { t: 'heartbeat', cfg: 1, ballot: 1, commit: 2, stable })
        .flatMap((e) => (e.kind === 'persist' ? ['persist']
          : e.kind === 'send' && e.msg.t === 'ckptNote' ? [`note ${e.msg.index}`] : []));
      expect(beat(0)).toEqual(['persist', 'note 2']);
      expect(beat(2)).toEqual(['note 2']);
    });

  it('configuration GC: a collected configuration ends where the next remaining one starts', () => {
    const table = [{ num: 3, members: ['n1'], first: 20, last: 29 },
      { num: 4, members: ['n1'], first: 30, last: null }];
    expect(lastSlotOf(table, 2)).toBe(19);
    expect(lastSlotOf(table, 3)).toBe(29);
    expect(lastSlotOf(table, 4)).toBeNull();
  });

  it('a JOIN-REQUEST for a configuration with neither a replica nor a table entry here is ' +
    'ignored (retired and collected; Stryker #5547 of the seed-37 sample threw)', () => {
    const n1 = new Node('n1', config(['n1', 'n2', 'n3']));
    const before = n1.state;
    expect(n1.msg('n3', { t: 'joinRequest', cfg: 7 })).toEqual([]);
    expect(n1.state).toBe(before);
    // One it runs is answered with its JOIN data.
    const join = { t: 'join', cfg: 1, members: ['n1', 'n2', 'n3'], first: 1 };
    expect(n1.msg('n4', { t: 'joinRequest', cfg: 1 }))
      .toContainEqual(expect.objectContaining({ kind: 'send', to: 'n4', msg: join }));
  });
});

describe('smart trace format', () => {
  it('describes messages in one fixed line with every field', () => {
    expect(smart.describeMessage({ t: 'propose', cfg: 2, ballot: 3 * 1024 + 1, slot: 7,
      cmd: op('c0', 3, 'v') }))
      .toBe('Propose c=2 b=3.1 s=7 c0#3 append k+=v');
    expect(smart.describeMessage({ t: 'join', cfg: 3, members: ['n1', 'n4'], first: 40 }))
      .toBe('Join c=3 members=n1,n4 first=40');
  });
});
