/**
 * P2.5's failover time, held tight where nothing else is going on: "the next-priority alive
 * backup self-promotes after T_fd … Failover time ≈ T_fd + T_hb". C4 (`opb-availability`,
 * `opb-c4-components`) allows a generous ε and a rebooting node's longer guard, so a failover
 * that waits twice T_fd passes there (mutation #3711 of the seed-37 sample relayed every
 * sighting of a primary with age 0: the survivors kept the crashed primary alive on each
 * other's word for one T_fd more, 350 ms instead of 200 ms, and every check stayed green).
 *
 * Evidence: the simulator's node facts, fault schedule and message record, and the survivors'
 * role facts. A node P crashes at a while its last HEARTBEAT of service s (sent within 2 T_hb of
 * a) says it is primary, naming members M. Judged when P stays down, and the rest of M stay up,
 * un-rebooted (a restarted replica's own guard, docs/opb.md) and all connected both ways with no
 * timing fault, from T_fd + 2 T_gossip + 2 T_hb before a to the deadline (or a, if later). A
 * survivor whose one event in that window is its boot may be among them when some un-rebooted
 * survivor heartbeated
 * a strictly newer position (last epoch, then index) than any the booted one did from T_fd
 * before the window to the first claim: the candidate is then the un-rebooted one, whose
 * failover the boot guard does not delay (mutation #4182 of the seed-43 sample took a stale
 * member ranked below the freshest for the candidate: opb-stale-recovered-last's n9, back from
 * its disk, claimed 520 ms after n5's crash, once its guard ended, while n1 waited). A survivor
 * that was down at a names its group by its first heartbeat after a; a primacy that a crash
 * ended before a is none. The survivors last hear P when the last message of P to any of them
 * arrives in that survivor's present life (h): each suspects P by h + T_fd and, with nothing
 * relayed fresher, the freshest one promotes on its next tick. Judged only when
 * every survivor's last heartbeat before a names M as P's does (same version and order: the
 * same ranks). By h + T_fd + 2 T_hb + 1 ms (a tick to notice, one more for slack: a relayed
 * sighting counts its transit as fresh, explore seed 900107 claimed 7 ms past one) some member
 * of M other than P must have claimed the role (the step of
 * its `opb.role` primary fact; the fact itself may wait for the epoch's write), or been primary
 * at a already (a concurrent primary needs no failover). Not judged in a run whose messages the
 * scheduler held back (PCT, a targeted delay).
 */
import type { RunRecord } from '../simulator/run-record.js';
import { connected, segments, unperturbed } from './fault-state.js';
import { buildWorld, cmpEpochText } from './opb-world.js';
import { NEVER_SENT } from './opb-role-facts.js';
import { numberParam, stepTime } from './run-values.js';
import { judgedVerdict, type Property } from './types.js';

const HB = /^Hb s(\d+) (\S+) p=\S+ e=\S+ (m\d+\[([^\]]*)\])/;
const SLACK_US = 1_000;

export function failoverProblems(run: RunRecord):
  { problems: string[]; judged: number } | string {
  if (run.messages === undefined) return 'the run kept no message record';
  // PCT priorities hold a low-priority sender's messages by up to holdUs per rank (68 ms among
  // 18 nodes), and a relayed sighting counts its transit as fresh: explore trial 40112 of
  // opb-night-disasters (PCT depth 2) failed over 11 ms past the bound. A held-back network is
  // not the calm one this bound is stated for.
  if (run.metrics.messagesHeld > 0) return 'the scheduler held messages back (PCT)';
  const fd = numberParam(run, 'fdUs', 150_000);
  const hb = numberParam(run, 'hbUs', 50_000);
  const gossip = numberParam(run, 'gossipUs', 250_000);
  const world = buildWorld(run);
  const segs = segments(run);
  const problems: string[] = [];
  let judged = 0;
  const events = run.nodeEvents;
  if (events.some((e) => e.kind === 'corrupted')) return 'a corrupt fault scrambled roles';
  for (const crash of events) {
    if (crash.kind !== 'down') continue;
    const p = crash.node;
    const a = crash.at;
    // The last heartbeat per node and service sent in the 2 T_hb before P's crash.
    type Last = { sent: number; role: string; group: string; members: string[] };
    const last = new Map<string, Last>();
    for (const m of run.messages) {
      if (m.sent > a || m.sent < a - 2 * hb || m.drop === NEVER_SENT) continue;
      const h = HB.exec(m.label);
      if (h === null) continue;
      const key = `${m.from}|${h[1]}`;
      const prev = last.get(key);
      if (prev === undefined || m.sent >= prev.sent) {
        last.set(key, { sent: m.sent, role: h[2]!, group: h[3]!, members: h[4]!.split(',') });
      }
    }
    for (const [key, l] of last) {
      const svc = Number(key.slice(key.indexOf('|') + 1));
      if (!key.startsWith(`${p}|`) || l.role !== 'primary') continue;
      const rest = l.members.filter((n) => n !== p);
      // Every survivor heartbeats the same membership (version and order) as P: who ranks where
      // is then agreed (explore seed 900048 of opb-failover-truncate: n1's repair of n9 was lost
      // on its way to n5 and n3, which still ranked n9, cut off, above n3).
      // One down at a (booted since, judged below) counts by its first heartbeat after a.
      const groupOf = (n: string): string | undefined => last.get(`${n}|${svc}`)?.group
        ?? run.messages!.find((m) => m.from === n && m.sent > a && m.drop !== NEVER_SENT
          && HB.exec(m.label)?.[1] === String(svc))?.label.match(HB)?.[3];
      if (rest.length === 0 || rest.some((n) => groupOf(n) !== l.group)) continue;
      // Each survivor's last boot at or before a (-Infinity: up from the start). Hearings
      // count in its present life only: a reboot forgets them (explore trial 1260840: n2
      // heard n1 last before its own crash, 1.5 s before n1's, and the bound, then ending
      // before n1 crashed, skipped the window that holds n2's boot and its guard).
      const boots = new Map(rest.map((n) => [n, Math.max(-Infinity, ...events
        .filter((e) => e.node === n && e.kind === 'up' && e.at <= a).map((e) => e.at))]));
      const delivered = run.messages.filter((m) => m.from === p && rest.includes(m.to)
        && m.drop === null && m.sent <= a && m.at >= boots.get(m.to)!);
      const h = Math.max(...delivered.map((m) => m.at));
      if (!Number.isFinite(h)) continue;
      const deadline = h + fd + 2 * hb + SLACK_US;
      const from = a - fd - 2 * gossip - 2 * hb;
      // The window runs past the crash even when the bound ends before it: calm is asked of
      // the whole stretch from `from` to whichever comes later.
      const until = Math.max(deadline, a);
      const bounces = events.filter((e) => (e.kind === 'up' || e.kind === 'down'
        || e.kind === 'paused' || e.kind === 'writes-lost')
        && e !== crash && e.at >= from && e.at <= until
        && (rest.includes(e.node) || e.node === p));
      // A survivor whose one event in the window is its boot owes its own guard, but only
      // itself: one that holds an older history than a steady survivor is no candidate.
      const booted = rest.filter((n) => {
        const mine = bounces.filter((e) => e.node === n);
        return mine.length === 1 && mine[0]!.kind === 'up';
      });
      const steady = rest.filter((n) => !booted.includes(n));
      const bounced = bounces.some((e) => !booted.includes(e.node))
        || (booted.length > 0 && !bootedBehind(run, svc, steady, booted, from - fd, h,
          Math.min(deadline, firstClaim(world, svc, rest, a))));
      if (bounced || !unperturbed(segs, from, until)) continue;
      const calm = segs.filter((g) => g.to > from && g.from <= until).every((g) =>
        steady.every((x) => g.live.has(x)
          && rest.every((y) => x === y || (booted.includes(y) && !g.live.has(y))
            || connected(g, x, y))));
      if (!calm) continue;
      judged++;
      const roles = world.obs('opb.role').filter((o) => o.data.service === svc
        && rest.includes(o.node));
      // A primacy a crash ended is none: a node reboots as a backup (reporting no fact of it).
      const primaryAtA = rest.some((n) => {
        const boot = boots.get(n)!;
        const mine = roles.filter((o) => o.node === n && stepTime(o) <= a
          && stepTime(o) >= boot);
        return mine[mine.length - 1]?.data.role === 'primary';
      });
      if (primaryAtA) continue;
      const claim = roles.find((o) => o.data.role === 'primary' && stepTime(o) > a);
      const at = claim === undefined ? Infinity : stepTime(claim);
      if (at > deadline) {
        problems.push(`s${svc}: primary ${p} crashed at t=${a}us, last heard by ` +
          `[${rest.join(',')}] ` +
          `at t=${h}us; ${claim === undefined ? 'nobody claimed' : `${claim.node} claimed at ` +
          `t=${at}us`}, after h + T_fd + 2 T_hb = ${deadline - SLACK_US}us`);
      }
    }
  }
  return { problems, judged };
}

const HB_POS = /^Hb s(\d+) \S+ p=\S+ e=\S+ m\d+\[[^\]]*\] i=(\d+)@(\S+)/;

type Pos = { i: number; e: string };

/** OPB's position order: an empty history first, then by last epoch, then by index. */
function cmpPos(a: Pos, b: Pos): number {
  if (a.e === '-' || b.e === '-') return a.e === b.e ? a.i - b.i : a.e === '-' ? -1 : 1;
  return cmpEpochText(a.e, b.e) || a.i - b.i;
}

/** The positions `node`'s heartbeats of `svc` sent in (after, until] carried. */
function positions(run: RunRecord, node: string, svc: number, after: number, until: number):
  Pos[] {
  const out: Pos[] = [];
  for (const m of run.messages ?? []) {
    if (m.from !== node || m.sent <= after || m.sent > until || m.drop === NEVER_SENT) continue;
    const h = HB_POS.exec(m.label);
    if (h !== null && Number(h[1]) === svc) out.push({ i: Number(h[2]), e: h[3]! });
  }
  return out;
}

/** The step of the first primary fact of one of `nodes` for `svc` after `a`. */
function firstClaim(world: ReturnType<typeof buildWorld>, svc: number, nodes: readonly string[],
  a: number): number {
  const at = world.obs('opb.role').filter((o) => o.data.service === svc
    && nodes.includes(o.node) && o.data.role === 'primary' && stepTime(o) > a)
    .map((o) => stepTime(o));
  return Math.min(Infinity, ...at);
}

/**
 * Whether some steady survivor's history (its heartbeats after P was last heard) is newer than
 * every position a booted survivor heartbeated from `since` on (its last one before its crash
 * included, which others may still hold), both until someone claims (`until`): then the
 * candidate is a steady one (tick.ts `determine` picks among the freshest live members), and the
 * booted ones' guards delay nobody.
 */
function bootedBehind(run: RunRecord, svc: number, steady: readonly string[],
  booted: readonly string[], since: number, h: number, until: number): boolean {
  const theirs = booted.flatMap((n) => positions(run, n, svc, since, until - 1));
  return steady.some((n) => {
    const mine = positions(run, n, svc, h, until - 1);
    const last = mine[mine.length - 1];
    return last !== undefined && mine.every((q) => cmpPos(q, last) === 0)
      && theirs.every((q) => cmpPos(last, q) > 0);
  });
}

export const opbFailover: Property = {
  name: 'opb-failover',
  description: 'P2.5 failover time: when a primary crashes in calm conditions, a survivor ' +
    'claims within T_fd + 2 T_hb of last hearing it (message record)',
  protocols: ['opb'],
  check(run: RunRecord) {
    return judgedVerdict(this.name, failoverProblems(run), 'no calm crash',
      (n) => `${n} primary crashes in calm conditions, each failed over in T_fd + 2 T_hb`);
  },
};
