/**
 * Power saving (P2.6 #3: a node agent puts an empty node to sleep) is a policy the scenario
 * switches on with `power`; with it off every node stays powered on. Stryker #64 of the seed-47
 * sample let empty nodes sleep with `power` off (`opb:sleep-without-power`): nothing else failed,
 * for a repair wakes a sleeping candidate, but the other nodes then took an idle spare for a
 * sleeping one and the scenario's power setting meant nothing.
 *
 * Evidence: the message record, what each node told its peers, which is what they act on (a
 * node's `Gossip` says whether it is on; a sleeping node only repeats that it sleeps). Judged:
 * every gossip a node sent with `power` off must say it is on. Not judged: a node from its first
 * corruption on (a corrupt fault may scramble its agent into sleep, which its next tick undoes:
 * opb-wake), runs without a message record, runs with `power` on.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { judgedVerdict, type Property } from './types.js';

const GOSSIP = /^Gossip load=\d+ on=(true|false) /;

export function awakeProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  if (run.params['power'] !== false) return 'power saving on';
  if (run.messages === undefined) return 'the run kept no message record';
  const corrupted = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (e.kind === 'corrupted' && !corrupted.has(e.node)) corrupted.set(e.node, e.at);
  }
  const problems: string[] = [];
  let judged = 0;
  const told = new Set<string>();
  for (const m of run.messages) {
    const hit = GOSSIP.exec(m.label);
    const sent = m.stepAt ?? m.sent;
    if (hit === null || sent >= (corrupted.get(m.from) ?? Infinity)) continue;
    judged++;
    // One problem per node: a sleeping node repeats the same news to every peer.
    if (hit[1] === 'false' && !told.has(m.from)) {
      told.add(m.from);
      problems.push(`${m.from} told ${m.to} at t=${sent}us that it sleeps, but power saving ` +
        'is off (power=false): every node stays on');
    }
  }
  return { problems, judged };
}

export const opbAwake: Property = {
  name: 'opb-awake',
  description: 'P2.6 #3: with power saving off (power=false) no node sleeps: every gossip it ' +
    'sends says it is on (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, awakeProblems(run), 'no gossip sent',
      (judged) => `${judged} gossips, each from a node that is on`);
  },
};
