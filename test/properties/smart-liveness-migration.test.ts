import { describe, expect, it } from 'vitest';
import { smartLivenessMigration } from '../../properties/smart-liveness.js';
import { savedRun } from '../helpers/regressions.js';

describe('smart-liveness-migration', () => {
  it('owes a superseded replica its first campaign before judging it (explore trial 1471094 ' +
    'of smart-elect-behind-vote: n7 joined configuration 2 as it finished)', () => {
    const run = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-elect-behind-vote-1471094-late-joiner-not-yet-due-to-campaign.json',
    import.meta.url), 'smart');
    // n7 started its replica of configuration 2 at 661.8 ms and never learnt it defunct; the
    // last other member (n6) did at 681.7 ms: due 681.74 + 200 + 4 x 60 + 30 ms = 1151.74 ms.
    const start = run.observations.find((o) => o.node === 'n7' && o.label === 'replica');
    expect(start).toMatchObject({ at: 661_752, data: { config: 2 } });
    expect(run.observations.some((o) => o.node === 'n7' && o.label === 'defunct')).toBe(false);
    expect(run.endUs).toBe(1_099_985);
    expect(smartLivenessMigration.check(run))
      .toMatchObject({ status: 'pass', measures: { migrations: 2, notDue: 1 } });
    // The old rule judged it at the end whatever its timers: it fails once the campaign is due.
    const due = 681_740 + 200_000 + 4 * 60_000 + 30_000;
    const v = smartLivenessMigration.check({ ...run, endUs: due });
    expect(v.status).toBe('fail');
    expect(v.message).toBe('n7 still runs the replica of superseded configuration 2 at the end');
    // Counted from the last other member's defunct fact, not from n7's start alone (a leader
    // of configuration 2 may re-arm its timer until then).
    expect(smartLivenessMigration.check({ ...run, endUs: 661_752 + 470_000 }).status)
      .toBe('pass');
    expect(smartLivenessMigration.check({ ...run, endUs: due - 1 }).status).toBe('pass');
  });

  it('a reboot restarts that wait (explore trial 1471679 of smart-elect-behind-vote: n6 back '
    + 'at 650 ms with configuration 1\'s replica, outside configurations 2 and 3)', () => {
    const run = savedRun(new URL('../protocol/smart/regressions/' +
      'explore-elect-behind-vote-1471679-restored-superseded-replica-not-yet-due.json',
    import.meta.url), 'smart');
    expect(run.nodeEvents.filter((e) => e.node === 'n6' && e.kind === 'up').map((e) => e.at))
      .toEqual([0, 650_000]);
    // Rank 5 of 6: due 650 + 200 + 5 x 60 + 30 ms = 1.18 s; the run ends at 1.1 s.
    expect(smartLivenessMigration.check(run)).toMatchObject({ status: 'pass' });
    const failing = 'n6 still runs the replica of superseded configuration 1 at the end';
    expect(smartLivenessMigration.check({ ...run, endUs: 1_180_000 }).message).toBe(failing);
    expect(smartLivenessMigration.check({ ...run, endUs: 1_179_999 }).status).toBe('pass');
    // Without its boot (the old rule) it is judged from its replica's start.
    const noBoot = { ...run, nodeEvents: run.nodeEvents.filter((e) => e.node !== 'n6') };
    expect(smartLivenessMigration.check(noBoot).message).toBe(failing);
  });
});
