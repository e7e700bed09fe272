/**
 * OPB's join facts, held to what the digests show: a node that starts hosting a service after
 * boot got there by a JOIN or by adopting a primary's heartbeat, and both record `opb.join`
 * (protocol/optimistic/observations.ts). `opb-join-completes` and `opb-join-refusal` judge
 * joins by that fact, so a join left unreported is a join nobody judges (mutation #168 of the
 * seed-33 sample dropped the fact on the JOIN path; every check stayed green).
 *
 * Evidence: the node's own facts, read against each other (a contract check, like the closed
 * readers): its `opb.digest`s say when it hosts the service, its `opb.join` and `opb.leave`
 * facts and the node facts say why. A hosting stretch (digests with no leave, crash or boot in
 * between) must follow an `opb.join` of that service since the node's last boot or leave,
 * unless it is the node's first stretch at membership version 0 (the initial groups) or the
 * first stretch after a restart of a node that hosted the service before: its disk may hold
 * an image from before a later leave (explore seed 194 of opb-night-disasters: left at 1.0 s,
 * crashed at 1.5 s with the leave not yet on disk, back at 4.0 s hosting it). Not judged: a
 * node a `corrupt` fault scrambled.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { buildWorld } from './opb-world.js';
import { pushTo } from './run-values.js';
import { verdictOf, type Property } from './types.js';

type Fact = { readonly at: number; readonly seq: number;
  readonly kind: 'up' | 'down' | 'leave' | 'join' | 'digest'; readonly mver: number };

export function joinReportProblems(run: RunRecord): { problems: string[]; judged: number } {
  const world = buildWorld(run);
  const scrambled = new Set(run.nodeEvents.filter((e) => e.kind === 'corrupted')
    .map((e) => e.node));
  const facts = new Map<string, Fact[]>();
  const add = (node: string, svc: number, f: Fact): void => {
    if (!scrambled.has(node)) pushTo(facts, `${node}|${svc}`, f);
  };
  for (const d of world.obs('opb.digest')) {
    add(d.node, d.data.service, { at: d.at, seq: d.seq, kind: 'digest',
      mver: d.data.membershipVersion });
  }
  for (const j of world.obs('opb.join')) {
    add(j.node, j.data.service, { at: j.at, seq: j.seq, kind: 'join', mver: -1 });
  }
  for (const l of world.obs('opb.leave')) {
    add(l.node, l.data.service, { at: l.at, seq: l.seq, kind: 'leave', mver: -1 });
  }
  const problems: string[] = [];
  let judged = 0;
  for (const [key, own] of facts) {
    const [node, svc] = key.split('|') as [string, string];
    const life = run.nodeEvents
      .filter((e) => e.node === node && (e.kind === 'up' || e.kind === 'down'))
      .map((e): Fact => ({ at: e.at, seq: e.seq, kind: e.kind as 'up' | 'down', mver: -1 }));
    const list = [...own, ...life].sort((a, b) => a.at - b.at || a.seq - b.seq);
    let hosting = false;
    let joined = false;
    let hostedBefore = false; // since the start: a restart may bring back an older disk image
    let boots = 0;
    let stretches = 0;
    let fresh = false; // no stretch or leave yet since the last boot
    for (const f of list) {
      if (f.kind === 'up') { boots++; joined = false; hosting = false; fresh = true; continue; }
      if (f.kind === 'down') { hosting = false; continue; }
      if (f.kind === 'leave') { hosting = false; joined = false; fresh = false; continue; }
      // Joined, it hosts the service from there on, digest or not (crashed before its first).
      if (f.kind === 'join') { joined = true; hostedBefore = true; continue; }
      if (hosting) continue;
      hosting = true;
      stretches++;
      const resumed = fresh && boots > 1 && hostedBefore;
      hostedBefore = true;
      fresh = false;
      if ((boots <= 1 && stretches === 1 && f.mver === 0) || resumed) {
        continue;
      }
      judged++;
      if (!joined) {
        problems.push(`${node} hosts s${svc} from t=${f.at}us (membership version ${f.mver}) ` +
          `with no opb.join of it since its last boot or leave`);
      }
    }
  }
  return { problems, judged };
}

export const opbJoinReported: Property = {
  name: 'opb-join-reported',
  description: 'OPB\'s join facts: a node that starts hosting a service after boot reports ' +
    'the join (opb.join), against its own digests',
  protocols: ['opb'],
  check(run: RunRecord) {
    const { problems, judged } = joinReportProblems(run);
    return verdictOf(this.name, problems, { judged },
      `${judged} hosting stretches after boot, each after its reported join`);
  },
};
