/**
 * C6 and a holder whose copy went at its rejoin after a crash (P2.7: "a crash of the primary and
 * all w acknowledging backups"; P2.5: a recovered replica rejoins as a backup and takes the
 * current primary's state). The run: explore trial 1672319 of opb-handback-lost-ack, shrunk
 * (k = 2, w = 1, discard). n5 answered c0's put k0=c0.1 with n1's ACK and crashed at 0.237 s
 * keeping its disk; n1 crashed at 0.5 s and came back without its disk at 0.8 s, claimed 801.n1
 * alone at 1.3 s (n5 back at 1.293 s, its first heartbeat reaching n1 at 1.3078 s); n5 followed it
 * and installed its empty state at 1.33 s, dropping the write. C6 failed before (n5's copy was on
 * its disk); now it passes, and with any part of that evidence missing it must fail.
 */
import { describe, expect, it } from 'vitest';
import { opbNoLossWithoutFork } from '../../properties/opb-c6-no-loss.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { withoutObservations } from '../helpers/record.js';
import { findProtocol } from '../../protocol/registry.js';
import { simulate } from '../../simulator/sim.js';
import { readSaved } from '../helpers/regressions.js';

/**
 * The saved regression `name` re-run with its message record, once, on its course before the
 * claim-floor rule of explore trial 1891280 (which moved it): that rule's declared mutant.
 */
function saved(name: string): () => RunRecord {
  let cached: RunRecord | null = null;
  const file = new URL(`../protocol/optimistic/regressions/${name}.json`, import.meta.url);
  return () => (cached ??= simulate({ ...readSaved(file), protocol: findProtocol('opb')!,
    mutant: 'opb:handoff-at-floor', keepTrace: true }));
}

/** A check that C6 fails `r`, naming the write `missing`. */
const failsOn = (missing: string) => (r: RunRecord): void => {
  const v = opbNoLossWithoutFork.check(r);
  expect(v.status).toBe('fail');
  expect(v.message).toContain(missing);
};

/** A check that C6 passes `r`, `n` lost writes excused by rejoins after a crash. */
const excuses = (r: RunRecord, n: number): void => {
  const v = opbNoLossWithoutFork.check(r);
  expect(v.status).toBe('pass');
  expect(v.message).toContain(`${n} dropped on a rejoin after a crash`);
};

const run = saved('explore-handback-lost-ack-1672319-primary-copy-dropped-on-rejoin');
const fails = failsOn('acked put k0=c0.1 by c0 is missing (held by n5, n1)');

type Obs = RunRecord['observations'][number];
const ofService = (svc: number) => (o: Obs): boolean =>
  (o.data as { service?: number }).service === svc;
const ofS0 = ofService(0);

/** Run `r` without n5's crash at `down` and its return at `up`. */
function uncrashed(r: RunRecord, down: number, up: number): RunRecord {
  const nodeEvents = r.nodeEvents.filter((e) =>
    !(e.node === 'n5' && (e.at === down || e.at === up)));
  expect(nodeEvents.length).toBe(r.nodeEvents.length - 2);
  return { ...r, nodeEvents };
}

describe('C6 and a copy dropped on a rejoin after a crash (opb-c6-no-loss-without-fork)', () => {
  it('excuses the loss: n5 crashed, and back, took the state of n1, which had not heard it', () => {
    excuses(run(), 1);
  });

  it('fails without n5\'s install (the rule before: its copy on disk counted)', () => {
    fails(withoutObservations(run(), (o) =>
      o.label === 'opb.install' && o.node === 'n5' && ofS0(o)));
  });

  it('fails when n5 never crashed', () => fails(uncrashed(run(), 237_000, 1_293_000)));

  it('fails when n1 had heard n5 since its restart before claiming', () => {
    const r = run();
    let edited = 0;
    const messages = r.messages!.map((m) => {
      if (m.from !== 'n5' || m.to !== 'n1' || !m.label.startsWith('Hb s0 ')
        || m.at !== 1_307_811) {
        return m;
      }
      edited++;
      const { step: _step, ...rest } = m;
      return { ...rest, at: 1_299_000 };
    });
    expect(edited).toBe(1);
    fails({ ...r, messages });
  });

  it('leaves it unjudged without the message record (nothing shows what n1 had heard)', () => {
    const { messages: _messages, ...r } = run();
    const v = opbNoLossWithoutFork.check(r);
    expect(v.status).toBe('unknown');
    expect(v.message).toMatch(/1 of 1 lost acked writes went with a rejoin after a crash, unjud/);
  });

  it('fails without the message record when n1 kept its disk (no rejoin can excuse it)', () => {
    const { messages: _messages, ...r } = withoutObservations(run(), (o) =>
      o.label === 'opb.node' && o.node === 'n1' && o.at === 800_000);
    fails(r);
  });

  it('fails when n1 kept its disk (its acknowledged copy counts)', () => {
    fails(withoutObservations(run(), (o) =>
      o.label === 'opb.node' && o.node === 'n1' && o.at === 800_000));
  });

  it('fails under merge (the install re-submits the write rather than dropping it)', () => {
    const r = run();
    fails({ ...r, params: { ...r.params, policy: 'merge' } });
  });

  it('fails when n5 held the write again after its install (its digest covers index 1)', () => {
    const r = run();
    let edited = 0;
    const observations = r.observations.map((o) => {
      if (o.label !== 'opb.digest' || o.node !== 'n5' || !ofS0(o) || o.at !== 1_443_000) return o;
      edited++;
      return { ...o, data: { ...(o.data as object), lineage: '1.n5:1' } };
    });
    expect(edited).toBe(1);
    fails({ ...r, observations });
  });
});

/**
 * The second shrink of the trial: n5 crashed at 1.077 s, n1 (back without its disk) claimed at
 * 1.25 s and its repair replaced n5 by n6; n5, back at 2.043 s, left for that membership and
 * handed its log over, reported only under discard.
 */
const leaveRun = saved('explore-handback-lost-ack-1672319-primary-copy-dropped-on-leave');

describe('C6 and a copy dropped on a leave after a crash (opb-c6-no-loss-without-fork)', () => {
  it('excuses the loss: n5 crashed, and back, left for n1\'s membership, handing its log over',
    () => {
      excuses(leaveRun(), 1);
    });

  it('fails without n5\'s hand-over (its leave then dropped nothing it reported)', () => {
    fails(withoutObservations(leaveRun(), (o) =>
      o.label === 'opb.handover' && o.node === 'n5' && ofS0(o)));
  });

  it('fails when n5 never crashed', () => fails(uncrashed(leaveRun(), 1_077_000, 2_043_000)));

  it('fails when n1 claimed before n5 crashed (two primaries at once: a fork, not this)', () => {
    const r = leaveRun();
    let edited = 0;
    const observations = r.observations.map((o) => {
      if (o.label !== 'opb.role' || o.node !== 'n1' || !ofS0(o) || o.at !== 1_250_000) return o;
      edited++;
      const { stepAt: _stepAt, ...rest } = o;
      return { ...rest, at: 1_000_000 };
    });
    expect(edited).toBe(1);
    fails({ ...r, observations });
  });
});

/**
 * Explore trial 1821117 of opb-restart-stale-members (k = 3, w = 1, discard), shrunk: n4 executed
 * c4's append k1=+c4.1, acked by n8, and n10 got it by a transfer; zone za (n4) crashed at 1 s
 * and zb (n8, n10) at 1.5 s; n14, back at 1.54 s with an empty disk, claimed s1 alone at 2.04 s.
 * Back at 4 s, n4, then n8, then n10 installed n14's empty state. n4's drop came first, with n8
 * and n10 still holding the write: each later holder's copy went by its own rejoin, which counts.
 */
const chainRun = saved('explore-restart-stale-members-1821117-later-holders-dropped-on-rejoin');
const chainFails = failsOn('acked append s1/k1=+c4.1 by c4 is missing (held by n4, n8)');
const ofS1 = ofService(1);

describe('C6 and copies that went, one holder after another, on rejoins after a crash', () => {
  it('excuses the loss: every later holder\'s copy went by its own rejoin', () => {
    excuses(chainRun(), 6);
  });

  it('fails when n10, the later holder that acked nothing, kept its copy (no install)', () => {
    chainFails(withoutObservations(chainRun(), (o) =>
      o.label === 'opb.install' && o.node === 'n10' && ofS1(o)));
  });

  it('fails when n10 never crashed (its install then dropped the write untold)', () => {
    const r = chainRun();
    const nodeEvents = r.nodeEvents.filter((e) => e.node !== 'n10');
    expect(nodeEvents.length).toBeLessThan(r.nodeEvents.length);
    chainFails({ ...r, nodeEvents });
  });

  it('leaves it unjudged without the message record', () => {
    const { messages: _messages, ...r } = chainRun();
    const v = opbNoLossWithoutFork.check(r);
    expect(v.status).toBe('unknown');
  });
});
