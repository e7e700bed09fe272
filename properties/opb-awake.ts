/**
 * Power saving (P2.6 #3: a node agent puts an empty node to sleep) is a policy the scenario
 * switches on with `power`; with it off every node stays powered on. Stryker #64 of the seed-47
 * sample let empty nodes sleep with `power` off (`opb:sleep-without-power`): nothing else failed,
 * for a repair wakes a sleeping candidate, but the other nodes then took an idle spare for a
 * sleeping one and the scenario's power setting meant nothing.
 *
 * Evidence: the message record, what each node told its peers, which is what they act on (a
 * node's `Gossip` says whether it is on). Judged: every gossip a node sent with `power` off must
 * say it is on. Not judged: a node from its first corruption on (a corrupt fault may scramble its
 * agent into sleep, which its next tick undoes: opb-wake), runs without a message record.
 *
 * With `power` on, a sleeping node is near silent (docs/opb.md, power saving): besides its last
 * words it only repeats that it sleeps, every fourth gossip round. Judged: two gossip rounds of
 * one node in one life that both say it sleeps, neither its last words (sent in the step of its
 * `opb.power` off fact), are at least 2 T_gossip apart (4 T_gossip on time; half that leaves
 * room for a late step). Stryker #84 of the seed-50 sample let a sleeping node gossip every
 * round: every check held. Not judged from a node's first corruption, pause or clock skew on.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { numberParam, stepOf, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const GOSSIP = /^Gossip load=\d+ on=(true|false) /;

/** Each node's first event of the given kinds, from which on it is not judged. */
function firstOf(run: RunRecord, kinds: readonly string[]): Map<string, number> {
  const first = new Map<string, number>();
  for (const e of run.nodeEvents) {
    if (kinds.includes(e.kind) && !first.has(e.node)) first.set(e.node, e.at);
  }
  return first;
}

export function awakeProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  if (run.params['power'] !== false) return 'power saving on';
  if (run.messages === undefined) return 'the run kept no message record';
  const corrupted = firstOf(run, ['corrupted']);
  const problems: string[] = [];
  let judged = 0;
  const told = new Set<string>();
  for (const m of run.messages) {
    const hit = GOSSIP.exec(m.label);
    const sent = stepOf(m);
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

/** With power saving on: a sleeping node's gossip rounds, but its last words, 2 T_gossip apart. */
export function asleepProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  if (run.params['power'] === false) return 'power saving off';
  if (run.messages === undefined) return 'the run kept no message record';
  const gossipUs = numberParam(run, 'gossipUs', 250_000);
  const stop = firstOf(run, ['corrupted', 'paused', 'skewed']);
  const lastWords = new Set(run.observations.filter((o) => o.label === 'opb.power'
    && (o.data as { on?: unknown } | null)?.on === false)
    .map((o) => `${o.node}|${stepTime(o)}`));
  // Each node's gossip rounds by the instant they left: the record lists messages as they
  // arrive, and a message held in the network arrives after later rounds.
  const rounds = new Map<string, Map<number, boolean>>();
  for (const m of run.messages) {
    const hit = GOSSIP.exec(m.label);
    const sent = stepOf(m);
    if (hit === null || sent >= (stop.get(m.from) ?? Infinity)) continue;
    let mine = rounds.get(m.from);
    if (mine === undefined) rounds.set(m.from, mine = new Map());
    mine.set(sent, hit[1] === 'true');
  }
  const problems: string[] = [];
  let judged = 0;
  for (const [node, mine] of [...rounds].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A reboot restarts the node's rounds (its timers start again from the boot).
    const boots = run.nodeEvents.filter((e) => e.node === node && e.kind === 'up')
      .map((e) => e.at);
    let before: number | null = null;
    for (const [sent, on] of [...mine].sort(([a], [b]) => a - b)) {
      if (on || (before !== null && boots.some((t) => t > before! && t <= sent))) before = null;
      if (on || lastWords.has(`${node}|${sent}`)) continue;
      if (before !== null) {
        judged++;
        if (sent - before < 2 * gossipUs) {
          problems.push(`${node}, asleep, gossiped at t=${before}us and again at t=${sent}us ` +
            `(${sent - before}us apart): a sleeping node repeats that it sleeps only every ` +
            `fourth round (T_gossip ${gossipUs}us)`);
          break;
        }
      }
      before = sent;
    }
  }
  return { problems, judged };
}

export const opbAwake: Property = {
  name: 'opb-awake',
  description: 'P2.6 #3: with power saving off (power=false) no node sleeps: every gossip it ' +
    'sends says it is on; with it on, a sleeping node gossips only every fourth round (message ' +
    'record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    if (run.params['power'] !== false) {
      return judgedVerdict(this.name, asleepProblems(run), 'no sleeping node gossiped twice',
        (judged) => `${judged} gossip rounds of sleeping nodes, each 2 T_gossip or more after ` +
          'its last');
    }
    return judgedVerdict(this.name, awakeProblems(run), 'no gossip sent',
      (judged) => `${judged} gossips, each from a node that is on`);
  },
};
