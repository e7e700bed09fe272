/**
 * smart-follower-redirects (properties/smart-follower-redirects.ts): a machine whose newest
 * replica follows a leader it knows answers a request with REDIRECT in the step that handles
 * it. One real run of smart-lossy (clients that lost their replies broadcast their requests to
 * the followers), then the same record with one REDIRECT taken away (what mutant #6302 does: it
 * holds the request until the next PROPOSE), and with each excuse the spec allows added.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  heldByFollower, heldNotReleased, smartFollowerRedirects,
} from '../../properties/smart-follower-redirects.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type {
  MessageFact, NodeEvent, Observation, RunRecord,
} from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';
import { recordedRun } from '../helpers/record.js';

let run: RunRecord;
let messages: readonly MessageFact[];

beforeAll(() => {
  run = recordedRun('smart-lossy', 'smart', 0);
  messages = run.messages!;
});

const failure = new RegExp('^(n\\d) handled (c\\d)\'s request #(\\d+) at t=(\\d+)us without ' +
  'answering REDIRECT, although its newest replica \\(configuration 1\\) followed (n\\d): it ' +
  '(?:logged|received) \\5\'s (?:PROPOSE|HEARTBEAT) at ballot [\\d.]+ \\(t=(\\d+)us\\)');

/** The first judged request, found by taking every REDIRECT away. */
function firstJudged(): { node: string; client: string; seq: number; t: number; lead: number } {
  const replies = run.replies.filter((r) => r.outcome !== 'redirect');
  const v = smartFollowerRedirects.check({ ...run, replies });
  expect(v.status).toBe('fail');
  const hit = failure.exec(v.message)!;
  expect(hit, v.message).not.toBeNull();
  return { node: hit[1]!, client: hit[2]!, seq: Number(hit[3]), t: Number(hit[4]),
    lead: Number(hit[6]) };
}

/** The run without the REDIRECT that answered the first judged request. */
function withoutItsRedirect(): RunRecord {
  const q = firstJudged();
  const replies = run.replies.filter((r) => !(r.outcome === 'redirect' && r.node === q.node
    && r.to === q.client && r.seq === q.seq && r.stepAt === q.t));
  expect(replies.length).toBe(run.replies.length - 1);
  return { ...run, replies };
}

const nodeEvent = (node: string, at: number, kind: NodeEvent['kind']): NodeEvent =>
  ({ at, seq: 0, node, kind });
const fact = (node: string, at: number, label: string, data: Observation['data']): Observation =>
  ({ at, seq: 0, node, label, data });

describe('smart-follower-redirects', () => {
  it('passes the real run, judging requests that reached followers of a known leader', () => {
    const v = smartFollowerRedirects.check(run);
    expect(v.status, v.message).toBe('pass');
    const { judged } = heldByFollower(run, messages);
    expect(judged).toBeGreaterThan(10);
    expect(v.message).toContain(`${judged} request(s)`);
  });

  it('fails a follower of a known leader that answers a request later (the #6302 mutant)', () => {
    const q = firstJudged();
    expect(q.lead).toBeLessThan(q.t);
    const v = smartFollowerRedirects.check(withoutItsRedirect());
    expect(v.status).toBe('fail');
    expect(v.message).toContain(`${q.node} handled ${q.client}'s request #${q.seq} at t=${q.t}us`);
    expect(v.message).toContain('neither campaigned nor voted since');
  });

  it('excuses a machine that campaigned since its leader\'s message', () => {
    const q = firstJudged();
    const record = withoutItsRedirect();
    const elect = fact(q.node, q.t, 'elect', { config: 1, ballot: 99 * 1024 + 2 });
    const campaigned = { ...record, observations: [...record.observations,
      { ...elect, stepAt: q.t - 1 }] };
    expect(heldByFollower(campaigned, messages).problem).toBeNull();
    // At the request's own instant too: the order inside an instant is not recorded.
    const same = { ...record, observations: [...record.observations, { ...elect, stepAt: q.t }] };
    expect(heldByFollower(same, messages).problem).toBeNull();
    // A candidacy below the leader's ballot (before it followed) excuses nothing.
    const older = { ...record, observations: [...record.observations,
      { ...elect, data: { config: 1, ballot: 2 }, stepAt: q.t - 1 }] };
    expect(heldByFollower(older, messages).problem).not.toBeNull();
  });

  it('excuses a machine that voted for a higher ballot since (it knows no leader)', () => {
    const q = firstJudged();
    const record = withoutItsRedirect();
    const elect: MessageFact = { sent: q.t - 2, at: q.t - 1, from: 'n2', to: q.node,
      label: 'Elect c=1 b=7.1', drop: null };
    expect(heldByFollower(record, [...messages, elect]).problem).toBeNull();
    const lost = { ...elect, drop: 'loss' };
    expect(heldByFollower(record, [...messages, lost]).problem).not.toBeNull();
  });

  it('excuses a newer replica, a defunct configuration, a boot, a pause and corruption', () => {
    const q = firstJudged();
    expect(q.lead).toBeLessThan(q.t - 2);
    const record = withoutItsRedirect();
    const judge = (r: RunRecord): string | null => heldByFollower(r, messages).problem;
    const newer = fact(q.node, q.t, 'replica', { config: 2, first: 500 });
    expect(judge({ ...record,
      observations: [...record.observations, { ...newer, stepAt: q.t - 1 }] })).toBeNull();
    const defunct = fact(q.node, q.t - 1, 'defunct', { config: 1 });
    expect(judge({ ...record, observations: [...record.observations, defunct] })).toBeNull();
    for (const kinds of [['down', 'up'], ['paused', 'resumed']] as const) {
      const events = [...record.nodeEvents, nodeEvent(q.node, q.t - 2, kinds[0]),
        nodeEvent(q.node, q.t - 1, kinds[1])].sort((a, b) => a.at - b.at);
      expect(judge({ ...record, nodeEvents: events }), kinds[0]).toBeNull();
    }
    const corrupted = [...record.nodeEvents, nodeEvent(q.node, q.t, 'corrupted')];
    expect(judge({ ...record, nodeEvents: corrupted })).toBeNull();
  });

  it('skips runs without a message record, with the cost model or with amnesia', () => {
    const record = withoutItsRedirect();
    const bare: { messages?: unknown } = { ...record };
    delete bare.messages;
    expect(smartFollowerRedirects.check(bare as RunRecord).status).toBe('skip');
    const costs = { ...record, metrics: { ...record.metrics, costs: { nodes: [] } } };
    expect(smartFollowerRedirects.check(costs).status).toBe('skip');
    const amnesia = { ...record, faults: [...record.faults,
      { at: 1, kind: 'restart' as const, node: 'n1', amnesia: true }] };
    expect(smartFollowerRedirects.check(amnesia as RunRecord).status).toBe('skip');
  });
});

describe('smart-follower-redirects: held requests go to the first leader followed', () => {
  // n3 voted for the crashed n2 at 591 ms and knew no leader until n1's HEARTBEAT at 961.7 ms:
  // the clients' requests it held meanwhile are redirected to n1 in that step.
  let race: RunRecord;
  let forgot: RunRecord;
  beforeAll(() => {
    race = recordedRun('smart-preempt-race', 'smart', 0);
    forgot = simulate({ scenario: loadScenario('smart-preempt-race'),
      protocol: findProtocol('smart')!, seed: 0, mutant: 'smart:forget-held', keepTrace: true });
  });

  it('passes the real run, judging the requests held by leaderless followers', () => {
    const held = heldNotReleased(race, race.messages!);
    expect(held.problem).toBeNull();
    expect(held.judged).toBeGreaterThan(5);
    expect(smartFollowerRedirects.check(race).message).toContain(`${held.judged} held request`);
  });

  it('fails when the release forgets them (smart:forget-held, #6138 of the seed-41 sample)', () => {
    const v = smartFollowerRedirects.check(forgot);
    expect(v.status).toBe('fail');
    expect(v.message).toBe('n3 held c2\'s request #102 (it arrived at t=645956us, when its ' +
      'newest replica, of configuration 1, knew no leader) and did not redirect it when it ' +
      'first followed n1 (its HEARTBEAT at t=961744us): a held request goes to the first leader ' +
      'the replica hears of');
  });

  it('fails when the release names no leader, or another (Stryker #6364 of the seed-48 sample ' +
    'sent a bare REDIRECT)', () => {
    const bare = race.replies.map(({ leader: _l, ...r }) => r);
    const v = smartFollowerRedirects.check({ ...race, replies: bare });
    expect(v.status).toBe('fail');
    expect(v.message).toMatch(new RegExp('^n3 held c\\d\'s request #\\d+ \\(it arrived at ' +
      't=\\d+us, when its newest replica, of configuration 1, knew no leader\\) and redirected ' +
      'it when it first followed n1 \\(its HEARTBEAT at t=961744us\\) naming no leader: '));
    const other = race.replies.map((r) => (r.leader === 'n1' ? { ...r, leader: 'n2' } : r));
    expect(heldNotReleased({ ...race, replies: other }, race.messages!).problem)
      .toContain('naming n2: a held request goes to the first leader the replica hears of');
  });

  it('does not judge a machine that campaigned, or was down, before the release', () => {
    const elect: MessageFact = { sent: 900_000, at: 900_300, from: 'n3', to: 'n1',
      label: 'Elect c=1 b=9.2', drop: null };
    const campaigned = heldNotReleased(forgot, [...forgot.messages!, elect]);
    expect(campaigned.problem ?? '').not.toContain('n3 held');
    const nodeEvents = [...forgot.nodeEvents, nodeEvent('n3', 700_000, 'down'),
      nodeEvent('n3', 800_000, 'up')];
    const crashed = heldNotReleased({ ...forgot, nodeEvents }, forgot.messages!);
    expect(crashed.problem ?? '').not.toContain('request #102 (it arrived at t=645956us');
  });
});
