/**
 * opb-promotion (P2.5): a backup promotes itself by suspicion only while no member relays a
 * sighting of another primary younger than T_fd. opb-one-way-relayed-primary seed 0: n1, back
 * from a crash in a sticky group, stops hearing the primary n5 at 1.8 s (one-way cut) while n9
 * keeps relaying n5's claims; it must stay a backup. Under opb:promote-over-relayed (mutation
 * #4025 of the seed-37 sample) it deposes n5 at 1.95 s.
 */
import { describe, expect, it } from 'vitest';
import { promotionProblems } from '../../properties/opb-promotion.js';
import { findProtocol } from '../../protocol/registry.js';
import { loadScenario } from '../../scenarios/load.js';
import type { RunRecord } from '../../simulator/run-record.js';
import { simulate } from '../../simulator/sim.js';

const scenario = loadScenario('opb-one-way-relayed-primary');
const record = (mutant: string | null, keepTrace = true): RunRecord =>
  simulate({ scenario, protocol: findProtocol('opb')!, seed: 0, mutant, keepTrace });

describe('opb-promotion', () => {
  const mutated = record('opb:promote-over-relayed');

  it('holds unmutated: n1 at the start and n5 after n1\'s crash promote, nobody else', () => {
    expect(promotionProblems(record(null))).toEqual({ problems: [], judged: 2 });
  });

  it('fails when n1 promotes over the primary n9 still relays (#4025)', () => {
    expect(promotionProblems(mutated)).toEqual({ judged: 3, problems: [
      's0: n1 promoted itself at t=1950000us (suspect), but n9\'s heartbeat delivered at ' +
        't=1908575us relayed primary n5 seen at t=1869036us, 80964us before (T_fd = 150000us)',
    ] });
  });

  it('takes a sighting older than T_fd as no obstacle', () => {
    // Every relayed age made 100 ms older: n9's last sighting before 1.95 s is then stale.
    const older: RunRecord = { ...mutated, messages: mutated.messages!.map((m) => ({ ...m,
      label: m.label.replace(/ age=(\d+)/, (_, a: string) => ` age=${Number(a) + 100_000}`) })) };
    expect(promotionProblems(older)).toEqual({ problems: [], judged: 3 });
  });

  it('does not judge a promoter paused in the window, nor without the message record', () => {
    const pause = { at: 1_900_000, seq: 100_000, node: 'n1', kind: 'paused' as const };
    const resume = { at: 1_900_001, seq: 100_001, node: 'n1', kind: 'resumed' as const };
    expect(promotionProblems({ ...mutated, nodeEvents: [...mutated.nodeEvents, pause, resume] }))
      .toEqual({ problems: [], judged: 2 });
    expect(promotionProblems(record('opb:promote-over-relayed', false)))
      .toBe('the run kept no message record');
  });
});
