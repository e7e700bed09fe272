import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import { MAX_HELD_REQUESTS } from '../../../protocol/smart/limits.js';
import type { State } from '../../../protocol/smart/types.js';
import type { ProtocolConfig } from '../../../protocol/types.js';

const nodes = ['n1', 'n2', 'n3'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
const cfg: ProtocolConfig = { nodes, replicas: ['n1', 'n2', 'n3'], params: smart.defaults,
  mutant: null };

describe('SMART limits', () => {
  it('a candidate holds at most MAX_HELD_REQUESTS client requests', () => {
    let s: State = smart.step(smart.init('n1', cfg),
      { kind: 'restart', now: 0, durable: null }).state;
    s = smart.step(s, { kind: 'timer', now: 1, timer: 'el:1' }).state; // Campaigns alone.
    expect(s.replicas.get(1)?.role).toBe('candidate');
    for (let i = 0; i < MAX_HELD_REQUESTS + 5; i++) {
      const request = { client: `c${i}`, seq: 1, op: { type: 'get' as const, key: 'k' } };
      s = smart.step(s, { kind: 'clientRequest', now: 2 + i, request }).state;
    }
    expect(s.replicas.get(1)?.held.map((q) => q.client))
      .toEqual(Array.from({ length: MAX_HELD_REQUESTS }, (_, i) => `c${i}`));
  });
});

describe('SMART parameters', () => {
  it('maxLogSize must exceed α: checkpoints come at least every maxLogSize − α slots, and the ' +
    'log-size rule needs room for α proposals (Stryker #5523 of the seed-47 sample let equal ' +
    'pass)', () => {
    const withLog = (maxLogSize: number): ProtocolConfig =>
      ({ ...cfg, params: { ...smart.defaults, alpha: 10, maxLogSize } });
    expect(() => smart.init('n1', withLog(10))).toThrow('smart: maxLogSize must exceed alpha');
    expect(() => smart.init('n1', withLog(11))).not.toThrow();
  });
});
