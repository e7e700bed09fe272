/**
 * C8's power policy (P2.6 #3, the node agent's WAKE / SLEEP): a node that went to sleep stays
 * asleep until something asks it up: a WAKE, a JOIN, a primary's heartbeat naming it a member
 * (a JOIN whose message was lost: the group counts on it) or an operator's order. Stryker #1617
 * of the seed-41 sample woke every sleeping node at its next heartbeat tick, replica or not, so
 * power saving saved nothing (opb-diurnal: each sleep ended in the step after it began).
 *
 * Evidence: the message record. A wake is the node's `opb.power` on fact after its own off fact
 * in one life of the node (a crash, boot or corruption in between ends the judgement: a restart
 * may come back awake, and the heartbeat tick wakes a node a corruption put to sleep while it
 * hosts replicas). The step that observed the wake must have handled one of those messages.
 * Not judged: runs under the cost model (arrival is not handling there).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { handledMessages } from './handled-messages.js';
import { buildWorld } from './opb-world.js';
import { pushTo, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const ASKS = /^(Wake$|Join s\d+ |Operator )/;
const HB = /^Hb s\d+ primary .* m\d+\[([^\]]*)\]/;

/** Whether a message labelled `label` may wake `node`. */
function asksUp(label: string, node: string): boolean {
  if (ASKS.test(label)) return true;
  const hb = HB.exec(label);
  return hb !== null && hb[1]!.split(',').includes(node);
}

export function wakeProblems(run: RunRecord): { problems: string[]; judged: number } | string {
  const messages = handledMessages(run);
  if (typeof messages === 'string') return messages;
  const handled = new Map<string, string[]>();
  for (const m of messages) {
    if (m.drop === null && m.step !== undefined) pushTo(handled, `${m.to}#${m.step}`, m.label);
  }
  const facts = [...buildWorld(run).obs('opb.power'),
    ...run.nodeEvents.filter((e) => e.kind !== 'skewed')].sort((a, b) => a.seq - b.seq);
  const asleep = new Set<string>();
  const problems: string[] = [];
  let judged = 0;
  for (const f of facts) {
    if (!('data' in f)) {
      asleep.delete(f.node);
      continue;
    }
    if (!f.data.on) {
      asleep.add(f.node);
      continue;
    }
    if (!asleep.delete(f.node)) continue;
    judged++;
    const labels = handled.get(`${f.node}#${f.step ?? -1}`) ?? [];
    if (!labels.some((l) => asksUp(l, f.node))) {
      problems.push(`${f.node} woke at t=${stepTime(f)}us from a sleep of its own with ` +
        `no WAKE, JOIN, heartbeat naming it or operator order in that step` +
        `${labels.length === 0 ? ' (no message)' : ` (handled: ${labels.join('; ')})`}`);
    }
  }
  return { problems, judged };
}

export const opbWake: Property = {
  name: 'opb-wake-asked',
  description: 'C8, P2.6 #3: a node asleep by its own decision wakes only on a WAKE, a JOIN, a ' +
    'primary\'s heartbeat naming it or an operator\'s order (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, wakeProblems(run), 'no node woke from its own sleep',
      (n) => `${n} wakes, each asked for`);
  },
};
