/**
 * Checkpoints (protocol/smart/execution.ts, P1.4 step 7): one every `checkpointEvery` requests
 * (client operations and MIGRATEs; the nulls a migration fills its range with are no requests),
 * one at each configuration's final state, and execution pauses while one is saved
 * (`checkpointUs` plus `checkpointNsPerByte` per byte): a request decided meanwhile waits.
 */
import { describe, expect, it } from 'vitest';
import { addDecision, runExecution } from '../../../protocol/smart/execution.js';
import { smart } from '../../../protocol/smart/index.js';
import type { Ctx } from '../../../protocol/smart/types.js';
import { migrateFault } from '../../../scenarios/experiments/smart-migration.js';
import { LAN, smartExperimentScenario } from '../../../scenarios/experiments/smart-common.js';
import { smartProtocol } from '../../../scenarios/experiments/smart-catalog.js';
import type { RunRecord } from '../../../simulator/run-record.js';
import { simulate } from '../../../simulator/sim.js';

interface Seen { readonly at: number; readonly label: string;
  readonly data: { readonly [k: string]: unknown } }

function run(params: { [k: string]: number }): Seen[] {
  const scenario = smartExperimentScenario({ name: 'ckpt', replicas: 3, spares: 1, clients: 1,
    durationUs: 600_000, params: { checkpointEvery: 5, checkpointUs: 0, ...params },
    faults: [migrateFault(300_000, 'm1', ['n1', 'n2', 'n4'])] });
  const record: RunRecord = simulate({ scenario, protocol: smartProtocol(), seed: 0 });
  return record.observations.filter((o) => o.node === 'n1')
    .map((o) => ({ at: o.at, label: o.label, data: o.data as Seen['data'] }));
}

const saved = (seen: Seen[]): Seen[] =>
  seen.filter((o) => o.label === 'ckpt' && o.data['transfer'] !== true);

/** Requests executed between consecutive saved checkpoints, by checkpoint index. */
function requestsBetween(seen: Seen[]): [number, number][] {
  const out: [number, number][] = [];
  let count = 0;
  for (const o of seen) {
    if (o.label === 'exec' && o.data['command'] !== 'null') count++;
    if (o.label === 'ckpt' && o.data['transfer'] !== true) {
      out.push([o.data['index'] as number, count]);
      count = 0;
    }
  }
  return out;
}

/** For each saved checkpoint, how long until n1 executed its next slot. */
function nextExecution(seen: Seen[]): { gap: number; decidedDuring: boolean }[] {
  return saved(seen).flatMap((c) => {
    const next = seen.find((o) => o.label === 'exec' && o.at >= c.at
      && (o.data['slot'] as number) > (c.data['index'] as number));
    if (next === undefined) return [];
    const decided = seen.find((o) => o.label === 'decide' && o.data['slot'] === next.data['slot']);
    return [{ gap: next.at - c.at, decidedDuring: decided !== undefined && decided.at < next.at
      && decided.at >= c.at }];
  });
}

describe('SMART checkpoints', () => {
  it('count requests, not slots: the migration’s nulls do not count', () => {
    const seen = run({});
    const between = requestsBetween(seen);
    const finals = new Set(seen.filter((o) => o.label === 'cfg')
      .map((o) => (o.data['first'] as number) - 1));
    const periodic = between.filter(([index]) => !finals.has(index));
    expect(periodic.length).toBeGreaterThan(10);
    expect(periodic.every(([, n]) => n === 5)).toBe(true);
    // The nulls make slot numbers and request counts part: some checkpoint is off a multiple.
    expect(periodic.some(([index]) => index % 5 !== 0)).toBe(true);
    expect(finals.size).toBe(1);
  });

  it('pause execution while saved: a request decided meanwhile waits for the end', () => {
    const pauseUs = 5_000;
    const gaps = nextExecution(run({ checkpointUs: pauseUs }));
    expect(gaps.length).toBeGreaterThan(10);
    // The checkpoint is observed once its disk write landed, that much into the pause.
    expect(gaps.every((g) => g.gap >= pauseUs - LAN.nvramUs)).toBe(true);
    expect(gaps.filter((g) => g.decidedDuring).length).toBeGreaterThan(5);
    // Without the pause, a request decided right after a checkpoint runs at once.
    expect(nextExecution(run({ checkpointUs: 0 })).some((g) => g.gap < pauseUs / 2)).toBe(true);
  });

  it('take checkpointNsPerByte per byte of the state they hold', () => {
    // The paper's state (10,000 keys × 100 B) at 8 ns/B: 8 ms, its final-state checkpoint.
    const gaps = nextExecution(run({ stateBytes: 1_000_000, checkpointNsPerByte: 8 }));
    expect(gaps.length).toBeGreaterThan(10);
    expect(gaps.every((g) => g.gap >= 8_000 - LAN.nvramUs)).toBe(true);
    expect(gaps.some((g) => g.gap < 8_000 + 1_000)).toBe(true);
  });

  it('come every maxLogSize − α slots when only nulls run, so the log-size rule never stalls',
    () => {
      const nodes = ['n1', 'n2', 'n3'].map((id) => ({ id, dc: 'dc1', zone: 'z1' }));
      let s = smart.init('n1', { nodes, replicas: ['n1', 'n2', 'n3'], mutant: null,
        params: { ...smart.defaults, checkpointEvery: 50, alpha: 2, maxLogSize: 10 } });
      const nullDecision = { cfg: 1, ballot: 1, cmd: { t: 'null' } } as const;
      for (let slot = 1; slot <= 20; slot++) s = addDecision(s, slot, nullDecision);
      const ctx: Ctx = { now: 0, out: [] };
      s = runExecution(s, ctx, (st) => st); // Nulls only: no MIGRATE, no leader to pump.
      expect(s.em.lastExec).toBe(20);
      const indices = ctx.out.flatMap((e) => (e.kind === 'observe' && e.label === 'ckpt'
        ? [(e.data as { index: number }).index] : []));
      // No request ran, yet the leader may propose slot n only once n − 10 is stable.
      expect(indices).toEqual([8, 16]);
    });
});
