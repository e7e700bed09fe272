/**
 * P2.10 #4, the trim after a membership merge: a group above k members (the union of a merge on
 * heal) is trimmed back to k by the primary's repair, dead members first (unheard for T_fd),
 * then those whose removal keeps the placement valid (distinct DCs, at most ⌊k/2⌋ per zone),
 * last first in the membership's order (the winner's own members come first, so the loser's
 * replacements go unless they are better placed). A trim that drops a member the primary had
 * just heard, while the placement rule named another, broke the order (Stryker #4205 of the
 * seed-51 sample: the victim was the first live member, a dead one stayed, and every other
 * check held through 42 trims of the campaign).
 *
 * Evidence: the trim (`opb.move` phase `trim`: its primary, the dropped member and the
 * membership before it), the topology, and the message record: a HEARTBEAT, UPDATE or TRANSFER
 * of the service from the dropped member handled by the primary within T_fd before the trim
 * (each refreshes the primary's sighting of its sender), or the merge that added it within
 * T_fd (a merge counts the loser's members as heard). Such a member was alive to the primary,
 * so only the placement rule could name it. Judged when the primary held its replica
 * throughout that sighting's span: no boot, pause, corruption, clock skew, leave or join of the
 * service from the sighting to the trim. Not judged with reorganization off.
 */
import type { MessageFact, RunRecord } from '../simulator/run-record.js';
import { buildWorld, type World } from './opb-world.js';
import { groupSize, placementOk } from './opb-placement.js';
import { numberParam, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

/** The member the placement rule names: the last whose removal keeps the placement valid. */
function placementVictim(world: World, members: readonly string[], primary: string,
  k: number): string | undefined {
  const others = members.filter((m) => m !== primary);
  return [...others].reverse()
    .find((m) => placementOk(world, members.filter((n) => n !== m), k)) ?? others.at(-1);
}

const SIGHTING = /^(Hb|Upd|Xfer) s(\d+) /;

export function trimOrderProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.params['reorg'] === false) return 'reorganization off';
  const messages = run.messages;
  if (messages === undefined) return 'the run kept no message record';
  const world = buildWorld(run);
  const k = groupSize(world);
  const fdUs = numberParam(run, 'fdUs', 0);
  // Per (primary, sender, service): the handled sightings, in record order.
  const sightings = new Map<string, MessageFact[]>();
  for (const m of messages) {
    const r = SIGHTING.exec(m.label);
    if (r === null || m.drop !== null || m.step === undefined) continue;
    const key = `${m.to}|${m.from}|${r[2]}`;
    const list = sightings.get(key);
    if (list === undefined) sightings.set(key, [m]);
    else list.push(m);
  }
  const merges = world.obs('opb.merge-members');
  const joins = [...world.obs('opb.join'), ...world.obs('opb.leave')];
  const problems: string[] = [];
  let judged = 0;
  for (const o of world.obs('opb.move')) {
    const { phase, drop, service: svc, members } = o.data;
    if (phase !== 'trim' || drop === null || members === undefined) continue;
    judged++;
    const named = placementVictim(world, members, o.node, k);
    if (drop === named) continue;
    const p = o.node;
    const t = stepTime(o);
    // Within T_fd of the trim and handled by an earlier step (steps are numbered in the order
    // they run, so a message queued for the primary's CPU past the trim does not count).
    const before = (at: number, step: number | undefined): boolean => at > t - fdUs
      && (step !== undefined && o.step !== undefined ? step < o.step : at < t);
    // The primary held its replica, and its clock and memory, from `from` to the trim.
    const steady = (from: number): boolean =>
      !(world.down.get(p) ?? []).some(([a, b]) => a <= t && b >= from)
      && !world.run.nodeEvents.some((e) => e.node === p && e.at <= t
        && (e.kind === 'corrupted' || e.kind === 'skewed'
          || ((e.kind === 'paused' || e.kind === 'resumed') && e.at >= from)))
      && !joins.some((j) => j.node === p && j.data.service === svc && j.at >= from
        && (j.at < t || before(j.at, j.step)));
    const heard = (sightings.get(`${p}|${drop}|${svc}`) ?? [])
      .filter((m) => before(m.at, m.step)).at(-1);
    const merged = merges.filter((g) => g.node === p && g.data.service === svc
      && g.data.added.includes(drop) && before(stepTime(g), g.step)).at(-1);
    const seen = Math.max(heard?.at ?? -Infinity,
      merged === undefined ? -Infinity : stepTime(merged));
    if (seen === -Infinity || !steady(seen)) continue;
    problems.push(`s${svc}: ${p}'s trim at t=${t}us dropped ${drop}, which it had heard at ` +
      `t=${seen}us (within T_fd: alive), from [${members.join(',')}]; the placement rule ` +
      `named ${named ?? 'nobody'}`);
  }
  return { problems, judged };
}

export const opbTrimOrder: Property = {
  name: 'opb-trim-order',
  description: 'P2.10 #4: the trim after a merge drops dead members first, then the last ' +
    'whose removal keeps the placement valid (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, trimOrderProblems(run), 'no trim',
      (n) => `${n} trims, each by the order dead first, then placement, last first`);
  },
};
