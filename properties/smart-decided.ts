/**
 * SMART's leader forgets a slot's acknowledgements when it decides the slot (leader.ts `decide`):
 * a (ballot, slot) is proposed once and re-sent only while undecided. A leader that keeps the
 * records re-sends PROPOSE for decided slots until truncation, and every other check holds
 * (mutation #6261 of the seed-31 sample: `SlotMap.delete` a no-op above slot 15; 15,616
 * messages against 15,302). A helper session found the rule and its one exception.
 *
 * Evidence: the message record (the simulator's sends). A machine that sent DECIDED(c, slot) at
 * ballot B sends no PROPOSE(c, slot) at B later. Except: the original proposal, held behind an
 * earlier disk write of its step, leaves with the proposer's LOGGED to itself (the same send
 * time), and may leave after a heartbeat re-send overtook it and got the slot decided (explore
 * trial 85 of smart-migrate-replace-one, with a slow disk on the leader).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { skip } from './smart-observations.js';
import { verdictOf, type Property } from './types.js';

const SLOT = /^(Propose|Decided|Logged) c=(\d+) b=(\d+\.\d+) s=(\d+)(?: |$)/;

export function reproposalProblems(run: RunRecord): { problems: string[]; judged: number }
  | string {
  if (run.messages === undefined) return 'the run kept no message record';
  const facts = run.messages.map((m) => ({ m, r: SLOT.exec(m.label) }))
    .filter((x): x is { m: typeof x.m; r: RegExpExecArray } => x.r !== null)
    .sort((a, b) => a.m.sent - b.m.sent); // the record is in arrival order
  const ownLogged = new Set(facts.filter(({ m, r }) => r[1] === 'Logged' && m.from === m.to)
    .map(({ m, r }) => `${m.from}|${r[2]}|${r[3]}|${r[4]}|${m.sent}`));
  const decidedAt = new Map<string, number>();
  const problems: string[] = [];
  for (const { m, r } of facts) {
    if (r[1] === 'Logged') continue;
    const key = `${m.from}|${r[2]}|${r[3]}|${r[4]}`;
    if (r[1] === 'Decided') {
      if (!decidedAt.has(key)) decidedAt.set(key, m.sent);
      continue;
    }
    const d = decidedAt.get(key);
    if (d === undefined || m.sent <= d || ownLogged.has(`${key}|${m.sent}`)) continue;
    problems.push(`${m.from} sent DECIDED c=${r[2]} b=${r[3]} s=${r[4]} at t=${d}us and then ` +
      `${m.label} to ${m.to} at t=${m.sent}us`);
  }
  return { problems, judged: decidedAt.size };
}

export const smartDecided: Property = {
  name: 'smart-no-propose-after-decided',
  description: 'a leader that announced DECIDED for a slot proposes that (ballot, slot) no more ' +
    '(the message record)',
  protocols: ['smart'],
  check(run: RunRecord) {
    const r = reproposalProblems(run);
    if (typeof r === 'string') return skip(this.name, r);
    return verdictOf(this.name, r.problems, { judged: r.judged },
      `${r.judged} decisions, none proposed again at its ballot`);
  },
};
