/**
 * Nothing follows from an epoch before it is on disk (protocol/optimistic/replica.ts `withEpoch`,
 * index.ts `behindEpochWrite`): explore seed 7033, a primary whose claim was still in a slow
 * disk queue heartbeated it and executed a write under it; a crash lost both and the restarted
 * node claimed the same epoch again with another write at the same index.
 */
import { describe, expect, it } from 'vitest';
import { opb } from '../../../protocol/optimistic/index.js';
import type { Epoch, Msg, State } from '../../../protocol/optimistic/types.js';
import type { Effect, NodePlacement } from '../../../protocol/types.js';

const nodes: NodePlacement[] = [['n1', 'a1', 'za'], ['n3', 'b1', 'zb'], ['n5', 'c1', 'zc']]
  .map(([id, dc, zone]) => ({ id: id!, dc: dc!, zone: zone! }));

function boot(id: string): State {
  const config = { nodes, replicas: ['n1', 'n3', 'n5'], params: opb.defaults, mutant: null };
  return opb.step(opb.init(id, config), { kind: 'restart', now: 0, durable: null }).state;
}

const EPOCH: Epoch = { c: 5, n: 'n3' };

/** n3 takes over by a planned handoff: a claim of EPOCH whose write has not landed yet. */
function claimed(): State {
  const claim = { node: 'n3', epoch: EPOCH, mver: 1, members: ['n3', 'n1', 'n5'] };
  return opb.step(boot('n3'),
    { kind: 'message', now: 900, from: 'n1',
      msg: { t: 'handoff', svc: 0, claim, tip: null, notices: new Map() } }).state;
}

const write = (s: State, now: number, seq: number): ReturnType<typeof opb.step> =>
  opb.step(s, { kind: 'clientRequest', now,
    request: { client: 'c0', seq, op: { type: 'put', key: 'k0', value: `v${seq}` } } });

const note = (s: State, from: string, epoch: Epoch): State =>
  opb.step(s, { kind: 'message', now: 950, from, msg: { t: 'synced', svc: 0, epoch } }).state;

/** The effects' kinds up to the first observation of `label`. */
function before(effects: readonly Effect<Msg>[], label: string): string[] {
  const at = effects.findIndex((e) => e.kind === 'observe' && e.label === label);
  expect(at).toBeGreaterThanOrEqual(0);
  return effects.slice(0, at).map((e) => e.kind);
}

describe('OPB: an epoch change holds the node back until its write landed', () => {
  it('a write executed under a claim not yet on disk waits behind the disk, and then not', () => {
    const s = claimed();
    expect(s.reps.get(0)!.epochSynced).toBe(false);
    // The execution, its update and its reply all come after a write of this step: a crash that
    // loses the claim loses them too (the disk completes writes in order).
    const early = write(s, 910, 1);
    expect(before(early.effects, 'opb.exec')).toEqual(['persist']);
    const landed = note(s, 'n3', EPOCH);
    expect(landed.reps.get(0)!.epochSynced).toBe(true);
    expect(before(write(landed, 960, 1).effects, 'opb.exec')).toEqual([]);
  });
  it('only its own note for the epoch it holds counts', () => {
    const s = claimed();
    expect(note(s, 'n1', EPOCH)).toBe(s);
    expect(note(s, 'n3', { c: 4, n: 'n3' })).toBe(s);
    expect(note(note(s, 'n3', EPOCH), 'n3', EPOCH).reps.get(0)!.epochSynced).toBe(true);
  });
  it('a step that does nothing writes nothing, though its epoch is still unsynced', () => {
    // Nothing leaves, so nothing has to wait behind the epoch's write (seed-48 survivor #1982
    // wrote the state again for every such step).
    const s = claimed();
    const stale = opb.step(s, { kind: 'message', now: 950, from: 'n1',
      msg: { t: 'synced', svc: 0, epoch: EPOCH } });
    expect(stale.state).toBe(s);
    expect(stale.effects).toEqual([]);
  });
  it('the tick asks again while the note is missing, behind a write, and stops after it', () => {
    const s = claimed();
    const tick = opb.step(s, { kind: 'timer', now: 950, timer: 'hb' });
    expect(tick.effects[0]).toEqual({ kind: 'persist', what: 'epoch-unsynced' });
    const notes = (effects: readonly Effect<Msg>[]): number => effects.filter((e) =>
      e.kind === 'send' && e.to === 'n3' && e.msg.t === 'synced').length;
    expect(notes(tick.effects)).toBe(1);
    const after = opb.step(note(s, 'n3', EPOCH), { kind: 'timer', now: 950, timer: 'hb' });
    expect(after.effects.some((e) => e.kind === 'persist')).toBe(false);
    expect(notes(after.effects)).toBe(0);
  });
});
