/**
 * P2.6 #1, the repair target's order: "node crash inside a healthy DC → replace on another node in
 * the *same* DC (cheap, keeps geo spread)"; otherwise recruit in other DCs "preferring low-load,
 * powered-on nodes". A repair that picks a node when another candidate was plainly better by that
 * order broke the rule (mutation #3312 of the seed-19 sample: the candidate order ignored DC, power
 * and load, the first fitting node in topology order got the replica, and every other property
 * held).
 *
 * Evidence: the repair's start (`opb.move`: the decision judged, with the membership before it and
 * the node it drops), the node facts and fault schedule (the dropped node down, paused or cut off
 * from the primary: dead to it), the topology, and each node's own load reports (`opb.load`: load
 * and power, every load window) and power switches (`opb.power`). A candidate is compared only when
 * the primary could know it as well as the chosen node: both up, linked both ways and no timing or
 * targeted message fault for three gossip periods before the decision (a peer heard within them is
 * fresh to it; an asleep one only if its "off" reached the primary then, as it gossips no more),
 * not refused by this group's JOIN (or dropped from it by an abort after 20 T_fd) within a
 * cool-down since the primary's boot, the kept members plus it a valid placement
 * (distinct DCs, at most ⌊k/2⌋ per zone), its reports over that span one power state, and its
 * highest load there not above the chosen node's lowest (so it had room wherever the chosen node
 * did), and no JOIN accepted since the last load report before the span: a node adds a service's
 * standing cost to the load it gossips the moment it accepts a JOIN, so its reports lag what the
 * primary heard (explore seed 3336 of opb-diurnal: n2 accepted a JOIN 0.5 s before its next report;
 * the primary rightly saw it as no lighter than n1). It is better when it is in the dead member's
 * DC and the chosen node is not; or, both or neither there, powered on against an asleep chosen
 * node; or, same power, its highest load below the chosen node's lowest.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { connected, segments, targetedWindows } from './fault-state.js';
import { buildWorld, isDown, latestAt } from './opb-world.js';
import { groupSize, placementOk } from './opb-placement.js';
import { numberParam } from './run-values.js';
import { verdictOf, type Property } from './types.js';

type LoadReport = { at: number; node: string; data: { load: number; on: boolean } };
type Reported = { on: boolean | null; min: number; max: number };
type PowerFact = { at: number; node: string; data: { on: boolean } };

/**
 * A node's load as the primary may have known it over [from, to): its load reports there and
 * the last before, and a load of 0, powered on, at each boot there (a node gossips a load of 0
 * until its first window closes: explore seed 1000052, a node back from a crash was chosen at
 * a load of 0 it never reported). Its power state if one throughout, and its load range.
 */
function reported(loads: readonly LoadReport[], powers: readonly PowerFact[],
  boots: readonly number[], node: string, from: number, to: number): Reported | null {
  const mine = loads.filter((l) => l.node === node);
  const before = latestAt(mine, from);
  const booted = boots.filter((b) => b >= from && b < to)
    .map((at) => ({ at, node, data: { load: 0, on: true } }));
  const span = [...(before === undefined ? [] : [before]),
    ...mine.filter((l) => l.at > from && l.at < to), ...booted];
  if (span.length === 0) return null;
  // A node may sleep or wake between its load reports (explore seed 900006: n18 reported on at
  // its window, slept at once and gossiped "off" to the primary, which rightly chose a
  // powered-on node): its power facts in the span count too.
  const switched = powers.filter((p) => p.node === node && p.at > from && p.at < to);
  const ons = new Set([...span.map((l) => l.data.on), ...switched.map((p) => p.data.on)]);
  const on = ons.size === 1 ? span[0]!.data.on : null;
  const load = span.map((l) => l.data.load);
  return { on, min: Math.min(...load), max: Math.max(...load) };
}

export function repairOrderProblems(run: RunRecord): { problems: string[]; compared: number } {
  const world = buildWorld(run);
  const gossipUs = numberParam(run, 'gossipUs', 250_000);
  const coolUs = numberParam(run, 'coolUs', 1_500_000);
  const windowUs = numberParam(run, 'windowUs', 250_000);
  const fdUs = numberParam(run, 'fdUs', 150_000);
  const joins = world.obs('opb.join');
  // A load rise its reports do not show yet: a JOIN accepted in [from − one window, to].
  const joined = (node: string, from: number, to: number): boolean =>
    joins.some((j) => j.node === node && j.at >= from - windowUs && j.at <= to);
  const k = groupSize(world);
  const segs = segments(run);
  // The primary heard the candidate's gossip throughout: both up, linked both ways, no timing
  // fault (a peer heard within three gossip periods is fresh to it).
  // A targeted message fault (of gossip, say) may drop exactly what told the primary.
  const targeted = targetedWindows(run);
  const heard = (from: number, to: number, p: string, n: string): boolean =>
    !targeted.some(([a, b]) => a <= to && b > from)
    && segs.every((g) => g.to <= from || g.from > to || (!g.perturbed && g.live.has(p)
      && g.live.has(n) && connected(g, p, n)));
  /**
   * The start of the latest span of three gossip periods ending by `to` over which `p` heard
   * `n` (its knowledge of `n` is no older), or null if none since 0: each span tried ends just
   * before the earliest fault-touched segment or targeted window that spoiled the last.
   */
  const lastHeard = (p: string, n: string, to: number): number | null => {
    for (let end = to; end - 3 * gossipUs >= 0;) {
      const from = end - 3 * gossipUs;
      if (heard(from, end, p, n)) return from;
      const spoilt = [
        ...segs.filter((g) => g.to > from && g.from <= end && (g.perturbed || !g.live.has(p)
          || !g.live.has(n) || !connected(g, p, n))).map((g) => g.from),
        ...targeted.filter(([a, b]) => a <= end && b > from).map(([a]) => a),
      ];
      end = Math.min(end, ...spoilt) - 1;
    }
    return null;
  };
  const moves = world.obs('opb.move');
  const loads = world.obs('opb.load');
  const powers = world.obs('opb.power');
  const bootsOf = (node: string): number[] => run.nodeEvents
    .filter((e) => e.node === node && e.kind === 'up').map((e) => e.at);
  const problems: string[] = [];
  let compared = 0;
  for (const o of moves) {
    const { drop, add, service: svc } = o.data;
    if (o.data.kind !== 'repair' || o.data.phase !== 'start' || add === null
      || o.data.members === undefined) continue;
    const before = o.data.members;
    const keep = before.filter((m) => m !== add && m !== drop);
    const from = o.at - 3 * gossipUs;
    if (from < 0) continue;
    // The primary avoids for a cool-down a node that refused the group's JOIN, and one whose
    // move it aborted when the node had not caught up after 20 T_fd (the abort a reorganization
    // round takes, with the membership it had: explore trial 921347 of opb-diurnal, n10's and
    // n9's moves adding n2 aborted at 7.5 s and their repairs took n4 in the same round). An
    // abort because a newer membership came (no `members`) marks nothing. Both are volatile:
    // none taken before the primary's latest boot counts.
    const booted = latestAt(bootsOf(o.node).map((at) => ({ at })), o.at)?.at ?? 0;
    const refused = (n: string): boolean => moves.some((r) => r.node === o.node
      && r.data.service === svc && r.data.add === n
      && (r.data.phase === 'refused' || (r.data.phase === 'abort' && r.data.members !== undefined))
      && r.at >= booted && r.at <= o.at && o.at - r.at <= coolUs);
    // A dead member's DC comes first (P2.6 #1: "node crash inside a healthy DC → replace on
    // another node in the same DC"): crashed, paused or cut off from the primary, it is dead to
    // the primary either way (explore seed 166: a member cut off by a partition was replaced in
    // its DC). A member a placement fix replaces is alive and its DC no reason.
    // Over the last failure-detection period, not only at the decision: the primary replaces
    // a member it has not heard for fdUs (and repairUs), so one reachable throughout that
    // period is alive to it, and one cut until just before is not (explore trial 3502 of
    // opb-diurnal: n13's cut from the primary healed 1 µs before it was replaced in its DC).
    const recent = segs.filter((g) => g.to > o.at - fdUs && g.from <= o.at);
    const dead = drop !== null && (isDown(world, drop, o.at) || recent.length === 0
      || recent.some((g) => !g.live.has(drop) || !connected(g, o.node, drop)));
    const deadDc = dead ? world.dcOf.get(drop) : undefined;
    // The chosen node as the primary may have known it: from the last span of three gossip
    // periods over which the primary heard it, else from anything since the primary's boot, its
    // start at 0 included (explore trial 1480716 of opb-gather-busy: a partition cut n12 from
    // n9 before n12's first load window closed, so n9 knew it only by the load of 0 it gossiped
    // before, and rightly took it over n10 at 50 ‰ 37 ms after the heal, with n12's next gossip
    // still to come).
    const known = lastHeard(o.node, add, o.at);
    const chosen = reported(loads, powers, [0, ...bootsOf(add)], add,
      known === null ? booted : Math.max(known, booted), o.at);
    for (const n of world.nodes) {
      if (n === add || n === drop || before.includes(n) || refused(n)
        || joined(n, from, o.at)
        || !heard(from, o.at, o.node, n) || !placementOk(world, [...keep, n], k)) continue;
      const them = reported(loads, powers, bootsOf(n), n, from, o.at);
      // Room: no more load than the chosen node ever had, so it fit wherever that one did (a
      // powered-on node may be full: explore seed 980089, an idle asleep node rightly chosen).
      if (them === null || them.on === null || chosen === null || chosen.on === null
        || them.max > chosen.min) continue;
      // An asleep node gossips no more: the primary knows it only from the "off" it gossiped
      // when it went to sleep, if that reached it since the primary last booted (explore trial
      // 3502 of opb-diurnal: n6's went to sleep while a targeted fault dropped gossip).
      if (!them.on) {
        const slept = latestAt(powers.filter((p) => p.node === n && !p.data.on), o.at);
        if (slept === undefined || slept.at < booted
          || !heard(slept.at, slept.at + gossipUs, o.node, n)) continue;
      }
      const sameDc = (x: string): boolean =>
        deadDc !== undefined && world.dcOf.get(x) === deadDc;
      let why: string | null = null;
      if (sameDc(n) && !sameDc(add)) why = `${n} in the dead ${drop}'s DC was up`;
      else if (sameDc(n) === sameDc(add)) {
        if (them.on && !chosen.on) why = `${n} was powered on and ${add} asleep`;
        else if (them.on === chosen.on && them.max < chosen.min) {
          why = `${n} was less loaded (${them.max} ‰ against ${chosen.min} ‰ or more)`;
        }
      }
      compared++;
      if (why === null) continue;
      const dropping = drop === null ? '' : `, dropping ${drop}`;
      problems.push(`s${svc}: ${o.node} repaired its group with ${add} (DC ` +
        `${world.dcOf.get(add) ?? '?'}) at t=${o.at}us${dropping}, though ${why}`);
      break;
    }
  }
  return { problems, compared };
}

export const opbRepairOrder: Property = {
  name: 'opb-repair-order',
  description: 'P2.6 #1: a repair target is no worse than another candidate by DC (a dead ' +
    'member\'s first), power and load (node facts, topology, the nodes\' load reports)',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = repairOrderProblems(run);
    return verdictOf(this.name, r.problems, { compared: r.compared },
      `${r.compared} candidates compared with the repair targets chosen, none plainly better`);
  },
};
