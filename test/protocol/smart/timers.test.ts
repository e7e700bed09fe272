import { describe, expect, it } from 'vitest';
import { smart } from '../../../protocol/smart/index.js';
import { decodeTimer, encodeTimer, type SmartTimer } from '../../../protocol/smart/timers.js';
import type { ProtocolConfig } from '../../../protocol/types.js';

const timers: SmartTimer[] = [
  { kind: 'election', cfg: 1 }, { kind: 'heartbeat', cfg: 12 }, { kind: 'finished', cfg: 3 },
  { kind: 'repository', cfg: 40 }, { kind: 'execution' },
];

describe('SMART timer names', () => {
  it('keep the spelling the pinned traces record', () => {
    expect(timers.map(encodeTimer)).toEqual(['el:1', 'hb:12', 'fin:3', 'repo:40', 'exec:0']);
  });

  it('decode back to the timer they name', () => {
    for (const t of timers) expect(decodeTimer(encodeTimer(t))).toEqual(t);
  });

  it('reject names encodeTimer never produces', () => {
    const bad = ['el', 'el:', 'el:x', 'el:01', 'el:-1', 'xx:1', 'exec:1', 'el:1:2', ' el:1', ''];
    for (const name of bad) expect([name, decodeTimer(name)]).toEqual([name, null]);
  });

  it('a malformed timer event is a clear protocol error', () => {
    const nodes = ['n1', 'n2', 'n3'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
    const cfg: ProtocolConfig = { nodes, replicas: ['n1', 'n2', 'n3'], params: smart.defaults,
      mutant: null };
    const s = smart.init('n1', cfg);
    expect(() => smart.step(s, { kind: 'timer', now: 1, timer: 'el:one' }))
      .toThrow('smart: malformed timer el:one');
  });
});
