/**
 * P2.5's promotion by suspicion, held to what the promoter heard: "the next-priority alive
 * backup self-promotes after T_fd" — and not while its group still hears a primary. A backup
 * that follows nobody promotes itself only if no other member of its group was sighted as
 * primary, on the word of a third party, less than T_fd ago (tick.ts `determine`: a backup's
 * HEARTBEAT relays the age of its last direct claim from the primary it follows, messages.ts
 * `backupHb`). A member cut off one way from a healthy primary (it no longer hears the
 * primary, the primary and the rest still hear it) must keep quiet while the others relay the
 * primary's claims: mutation #4025 of the seed-37 sample dropped the test, and in
 * opb-one-way-relayed-primary n1 deposed the healthy primary n5 1.95 s in; every other check
 * stayed green (the group converged on n1, which outranks n5).
 *
 * Evidence: the simulator's message record (`Hb sS ROLE p=P ... age=A`, describe.ts), node facts
 * and fault schedule. A promotion is an `opb.role` primary fact of node X for service s whose
 * reason is neither a planned takeover (`handoff`) nor a primary's re-claim (`reclaim`), judged at
 * its step t (the fact may wait for the epoch's write, or be lost with it). A heartbeat of s
 * delivered to X at r < t, from a node other than P, that is not P's own primary heartbeat and
 * names a primary P other than X with A ≥ 0, is a sighting of P at r − A; if P is a member of X's
 * group at t (the membership of the heartbeats X's claim sent) and t − (r − A) < T_fd, X must
 * not have promoted. Only sightings X could hold at t: delivered after X's last boot, after X
 * heartbeated s (it hosted the replica), and with no `opb.leave` of s by X between them and t.
 *
 * Not judged: without the record; under a cost model (a message may be handled after it
 * arrived); X corrupted or skewed by t, or the sender skewed (ages run on node clocks); X paused,
 * or a timing or targeted fault in force, within T_fd before t.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { segments, targetedWindows, unperturbed } from './fault-state.js';
import { buildWorld, skewedNode } from './opb-world.js';
import { numberParam, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const HB = /^Hb s(\d+) (\S+) p=(\S+) e=\S+ m\d+\[([^\]]*)\] .* age=(-?\d+)/;

type Hb = { sent: number; at: number; from: string; to: string; svc: number; role: string;
  primary: string; members: string[]; age: number; delivered: boolean };

export function promotionProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  if (run.metrics.costs !== undefined) return 'a cost model (a message may be handled later)';
  const fd = numberParam(run, 'fdUs', 150_000);
  const world = buildWorld(run);
  const segs = segments(run);
  const targeted = targetedWindows(run);
  const hbs: Hb[] = [];
  for (const m of run.messages) {
    const h = HB.exec(m.label);
    if (h === null) continue;
    hbs.push({ sent: m.sent, at: m.at, from: m.from, to: m.to, svc: Number(h[1]), role: h[2]!,
      primary: h[3]!, members: h[4]!.split(','), age: Number(h[5]),
      delivered: m.drop === null });
  }
  const events = run.nodeEvents;
  const claims = [...world.obs('opb.role'), ...world.lost('opb.role')].filter((o) =>
    o.data.role === 'primary' && o.data.reason !== 'handoff' && o.data.reason !== 'reclaim');
  const problems: string[] = [];
  let judged = 0;
  for (const c of claims) {
    const x = c.node;
    const svc = c.data.service;
    const t = stepTime(c);
    const from = t - fd;
    if (events.some((e) => e.node === x && e.at <= t && e.kind === 'corrupted')) continue;
    if (skewedNode(world, x, t)) continue;
    if (!unperturbed(segs, from, t) || targeted.some(([a, b]) => a <= t && b >= from)) continue;
    if (events.some((e) => e.node === x && (e.kind === 'paused' || e.kind === 'resumed')
      && e.at >= from && e.at <= t)) continue;
    // The membership X ranked by: its claim's own heartbeats.
    const own = hbs.find((h) => h.from === x && h.sent === t && h.svc === svc
      && h.role === 'primary');
    if (own === undefined) continue;
    const boot = bootOf(run, x, t);
    const leaves = world.obs('opb.leave').filter((o) => o.node === x && o.data.service === svc
      && stepTime(o) <= t).map((o) => stepTime(o));
    const since = Math.max(boot, ...leaves);
    const hosted = hbs.find((h) => h.from === x && h.svc === svc && h.sent > since
      && h.sent <= t);
    if (hosted === undefined) continue;
    judged++;
    const seen = hbs.filter((h) => h.to === x && h.delivered && h.svc === svc
      && h.at > hosted.sent && h.at < t && h.age >= 0 && h.primary !== x && h.primary !== '-'
      && !(h.role === 'primary' && h.primary === h.from)
      && own.members.includes(h.primary) && !skewedNode(world, h.from, t)
      && t - (h.at - h.age) < fd);
    const fresh = seen.reduce<Hb | undefined>((b, h) =>
      (b === undefined || h.at - h.age > b.at - b.age ? h : b), undefined);
    if (fresh !== undefined) {
      problems.push(`s${svc}: ${x} promoted itself at t=${t}us (${c.data.reason}), but ` +
        `${fresh.from}'s heartbeat delivered at t=${fresh.at}us relayed primary ` +
        `${fresh.primary} seen at t=${fresh.at - fresh.age}us, ` +
        `${t - (fresh.at - fresh.age)}us before (T_fd = ${fd}us)`);
    }
  }
  return { problems, judged };
}

/** X's last boot at or before t (-1: up from the start). */
function bootOf(run: RunRecord, x: string, t: number): number {
  return Math.max(-1, ...run.nodeEvents.filter((e) => e.node === x && e.kind === 'up'
    && e.at <= t).map((e) => e.at));
}

export const opbPromotion: Property = {
  name: 'opb-promotion',
  description: 'P2.5 promotion: a backup promotes itself by suspicion only when no member ' +
    'relayed a sighting of another primary younger than T_fd (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, promotionProblems(run), 'no promotion',
      (n) => `${n} promotions, none over a primary relayed as seen within T_fd`);
  },
};
