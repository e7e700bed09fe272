/**
 * P1.9 Fig. 11's four phases at the old leader, measured from what the run observed (proposals,
 * decisions, executions), not from a duration the leader reports about itself:
 *  1. MIGRATE proposed → decided (logged by a quorum);
 *  2. decided → the last slot of the old range proposed (executing MIGRATE: JOINs, null fill),
 *     i.e. the last PROPOSE for it has left the leader (from the run's message record; with a
 *     per-message send cost that is after the step that proposed it);
 *  3. → the old range's last slot executed (the nulls logged, decided and executed);
 *  4. → the end of the final-state checkpoint, during which execution waits: the leader's
 *     execution timer firing in the run's trace (none: the checkpoint took no time).
 * Besides, per migration: whether a client request took an old-range slot after MIGRATE (it
 * reached the leader while MIGRATE was logged, phase 1): the first of two delayed requests.
 * And, to set phase 1 against, how long a client request's proposal waits for its decision at
 * the same leader (`requestLogRoundsUs`).
 */
import type { RunRecord } from '../../simulator/run-record.js';

export interface MigrationPhases {
  /** The four phases, in microseconds. */
  readonly phasesUs: readonly [number, number, number, number];
  /** Client requests proposed in the old range after the MIGRATE's slot. */
  readonly oldRangeRequests: number;
}

interface Obs { readonly at: number; readonly data: { readonly [k: string]: unknown } }

/** The observations of one node, by label, in time order. */
function byLabel(run: RunRecord, node: string): Map<string, Obs[]> {
  const out = new Map<string, Obs[]>();
  for (const o of run.observations) {
    if (o.node !== node) continue;
    const list = out.get(o.label) ?? [];
    list.push({ at: o.at, data: o.data as Obs['data'] });
    out.set(o.label, list);
  }
  return out;
}

/** When `node`'s execution timer fired, from the run's trace (run with `keepTrace`). */
function executionTimers(run: RunRecord, node: string): number[] {
  const mark = ` ${node} timer exec:`;
  const out: number[] = [];
  for (const line of run.trace ?? []) {
    if (line.includes(mark)) out.push(Number(line.slice(2, line.indexOf(' '))));
  }
  return out;
}

/**
 * When `node`'s last PROPOSE of each (configuration, slot) left it, keyed "config slot", from
 * the run's message record (kept with the trace); empty without one.
 */
function proposalsSent(run: RunRecord, node: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of run.messages ?? []) {
    if (m.from !== node || !m.label.startsWith('Propose ')) continue;
    const fields = m.label.split(' ');
    const key = `${fields[1]!.slice(2)} ${fields[3]!.slice(2)}`;
    out.set(key, Math.max(out.get(key) ?? 0, m.sent));
  }
  return out;
}

/**
 * The phases of migration `r{i}` (i = 0 … count−1) at the leader that proposed it; null for a
 * migration whose phases were not all observed (it never completed).
 */
export function migrationPhases(run: RunRecord, count: number): (MigrationPhases | null)[] {
  const proposer = run.observations.find((o) => o.label === 'propose'
    && String((o.data as { command?: unknown }).command).startsWith('migrate:'))?.node;
  if (proposer === undefined) return Array.from({ length: count }, () => null);
  const obs = byLabel(run, proposer);
  const list = (label: string): Obs[] => obs.get(label) ?? [];
  const timers = executionTimers(run, proposer);
  const proposalsLeft = proposalsSent(run, proposer);
  const out: (MigrationPhases | null)[] = [];
  for (let i = 0; i < count; i++) {
    const key = `migrate:r${i}`;
    const proposed = list('propose').find((o) => o.data['command'] === key);
    const decided = list('decide').find((o) => o.data['command'] === key);
    const created = list('cfg').find((o) => o.data['slot'] === decided?.data['slot']
      && (decided?.at ?? -1) <= o.at);
    if (proposed === undefined || decided === undefined || created === undefined) {
      out.push(null);
      continue;
    }
    const old = created.data['createdBy'] as number;
    const slot = created.data['slot'] as number;
    const last = (created.data['first'] as number) - 1;
    const oldRange = list('propose').filter((o) => o.data['config'] === old
      && (o.data['slot'] as number) > slot && (o.data['slot'] as number) <= last);
    const filled = oldRange.reduce((a, o) => Math.max(a, o.at,
      proposalsLeft.get(`${old} ${String(o.data['slot'])}`) ?? 0), decided.at);
    const ended = list('exec').find((o) => o.data['slot'] === last);
    const resumed = list('exec').find((o) => (o.data['slot'] as number) > last);
    if (ended === undefined || resumed === undefined) {
      out.push(null);
      continue;
    }
    const requests = oldRange.filter((o) => o.data['command'] !== 'null'
      && o.at <= filled && !String(o.data['command']).startsWith('migrate:')).length;
    // The pause ends with the timer; execution may wait longer for the next decision.
    const paused = timers.find((t) => t >= ended.at && t <= resumed.at) ?? ended.at;
    out.push({ phasesUs: [decided.at - proposed.at, filled - decided.at, ended.at - filled,
      paused - ended.at], oldRangeRequests: requests });
  }
  return out;
}

/**
 * Proposal → decision of every client request the leader that proposed the first MIGRATE
 * proposed (its log round: PROPOSE, a quorum's log writes, LOGGED), in microseconds, in slot
 * order; what phase 1 is for MIGRATE. Empty if no MIGRATE was proposed.
 */
export function requestLogRoundsUs(run: RunRecord): number[] {
  const proposer = run.observations.find((o) => o.label === 'propose'
    && String((o.data as { command?: unknown }).command).startsWith('migrate:'))?.node;
  if (proposer === undefined) return [];
  const obs = byLabel(run, proposer);
  const key = (o: Obs): string => `${String(o.data['config'])} ${String(o.data['slot'])}`;
  const proposed = new Map<string, number>();
  for (const o of obs.get('propose') ?? []) {
    const command = String(o.data['command']);
    if (command !== 'null' && !command.startsWith('migrate:')) proposed.set(key(o), o.at);
  }
  const out: number[] = [];
  for (const o of obs.get('decide') ?? []) {
    const at = proposed.get(key(o));
    if (at === undefined) continue;
    out.push(o.at - at);
    proposed.delete(key(o)); // A slot decided again (a new leader's poll) counts once.
  }
  return out;
}
