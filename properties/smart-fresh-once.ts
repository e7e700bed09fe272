/**
 * SMART P1.4 step 2: "the leader answers duplicates from the reply cache, otherwise queues the
 * request". A leader holds each request it queued or proposed until its machine has executed
 * it (the SMART invariant on `inflight`), and from then on its reply cache answers a retry, so
 * one leadership (configuration, ballot) proposes a client's request in at most one of its own
 * slots. Its own slots are those above the poll (`pollMax` of its `leader` fact): below, it
 * re-proposes what a vote reported, which may repeat a request a client retried meanwhile.
 * A leader that skips its reply cache proposes an executed request again (found by mutation,
 * #4444: at-most-once still held, the EM skipping the second execution, so no other check saw
 * it). Judged from the `propose` facts, in trace order, and the `logged` facts of the
 * members that answered (a proposal nobody logged never left: ignored).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { bySeq } from './smart-evidence.js';
import { fail, leaderships, loggings, pass, proposals, skip } from './smart-observations.js';
import { SlotTable } from './slot-table.js';
import type { Property } from './types.js';

interface Logged {
  readonly config: number;
  readonly ballot: number;
  /** A slot for `seen`, unused in `logged` (keyed by slot there). */
  readonly slot: number;
  readonly command: string;
}

/**
 * What a table keeps per key: the first entry itself (a fact's own data: nothing allocated for
 * the one entry nearly every key has), or a list once a second one comes.
 */
type Entries = Logged | Logged[];

/** The entry of `e` for (config, ballot) and, when `command` is given, that command. */
function find(e: Entries | undefined, config: number, ballot: number,
  command?: string): Logged | undefined {
  if (e === undefined) return undefined;
  if (!Array.isArray(e)) {
    const l = e as Logged;
    return l.config === config && l.ballot === ballot
      && (command === undefined || l.command === command) ? l : undefined;
  }
  for (let i = 0; i < e.length; i++) {
    const l = e[i]!;
    if (l.config === config && l.ballot === ballot
      && (command === undefined || l.command === command)) return l;
  }
  return undefined;
}

/** `e` with `l` added last. */
function add(e: Entries | undefined, l: Logged): Entries {
  if (e === undefined) return l;
  if (Array.isArray(e)) {
    e.push(l);
    return e;
  }
  return [e as Logged, l];
}

/**
 * The first leadership that proposed one request in two of its own slots, or null. Keyed by
 * slot (SlotTable) and by the facts' own command strings: a text key built per fact (tens of
 * thousands of `logged` facts) cost most of this check. The facts' data objects are kept as the
 * entries (they hold config, ballot, slot and command): no object per slot or per command.
 */
export function freshRepeat(run: RunRecord): string | null {
  const pollMax = new Map<number, Map<number, number>>();
  for (const o of leaderships(run)) {
    let byBallot = pollMax.get(o.data.config);
    if (byBallot === undefined) pollMax.set(o.data.config, byBallot = new Map());
    byBallot.set(o.data.ballot, o.data.pollMax);
  }
  // A proposal counts once a member logged it at its ballot: it reached the members.
  const logged = new SlotTable<Entries>();
  for (let ix = 0, xs = loggings(run); ix < xs.length; ix++) {
    const d = xs[ix]!.data;
    const e = logged.get(d.slot);
    if (find(e, d.config, d.ballot, d.command) === undefined) logged.set(d.slot, add(e, d));
  }
  // Per command, the first slot each leadership proposed it in (above its poll).
  const seen = new Map<string, Entries>();
  for (let ix = 0, xs = bySeq(proposals(run)); ix < xs.length; ix++) {
    const o = xs[ix]!;
    const d = o.data;
    const { config, ballot, slot, command } = d;
    if (command === 'null') continue;
    const top = pollMax.get(config)?.get(ballot);
    if (top === undefined || slot <= top) continue;
    if (find(logged.get(slot), config, ballot, command) === undefined) continue;
    const firsts = seen.get(command);
    const first = find(firsts, config, ballot)?.slot;
    if (first === undefined) seen.set(command, add(firsts, d));
    else if (first !== slot) {
      return `${o.node}, leading configuration ${config} at ballot ${ballot}, proposed ` +
        `${command} in slot ${first} and again in slot ${slot} (t=${o.at}us), both above its ` +
        `poll (slot ${top}): a duplicate not answered from the reply cache`;
    }
  }
  return null;
}

export const smartFreshOnce: Property = {
  name: 'smart-fresh-once',
  description: 'a leader proposes each request in at most one of its own slots (above ' +
    'its poll): a duplicate is answered from the reply cache (P1.4 step 2)',
  protocols: ['smart'],
  check(run) {
    if (proposals(run).length === 0) return skip(this.name, 'no proposal');
    const found = freshRepeat(run);
    if (found !== null) return fail(this.name, found);
    return pass(this.name, 'no leader proposed a client request twice in its own slots');
  },
};
