/**
 * P2.5's dominance rule during the faults: "when claims meet (directly or through gossip), one
 * total order decides everywhere ... losers step down". Two primaries of a service meet at a
 * member of both groups that hears both: each heartbeats its members every T_hb. So whenever
 * two replicas are primary at once, one's claim dominating the other's, and some live member of
 * both memberships can talk both ways with both of them, the dominated one must step down within
 * T_fd + 2·T_hb + ε (ε = C4's, 250 ms: the witness relays the winner's claim on the loser's next
 * heartbeat; if the winner is behind the witness's epoch it first re-claims above it). Whether
 * they can talk comes from the fault schedule and the node facts (fault-state.ts), roles and
 * claims (epoch, membership, version) from the replicas' digests, the order from the spec's
 * dominance rule: newer membership version, then rank in the claim's own membership, then the
 * higher epoch, then the smaller node id.
 *
 * Not judged: stretches with a timing fault in force or a targeted message fault (which may
 * drop exactly the claims), and replicas ever scrambled by a `corrupt` fault.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { C4_EPSILON_US } from './opb-components.js';
import { connected, segments } from './fault-state.js';
import {
  buildWorld, cmpEpochText, isDown, latestAt, nodeFacts, SAMPLE_US, STALE_US, type World,
} from './opb-world.js';
import { numberParam } from './run-values.js';
import { verdictOf, type Property } from './types.js';

/** A primary's claim as its digest reports it. */
export interface ClaimSeen {
  readonly node: string;
  readonly epoch: string;
  readonly mver: number;
  readonly members: readonly string[];
}

const rankIn = (c: ClaimSeen): number => {
  const r = c.members.indexOf(c.node);
  return r < 0 ? c.members.length : r;
};

/** The dominance rule of P2.5, from the claims' reported fields. */
export function dominates(a: ClaimSeen, b: ClaimSeen): boolean {
  if (a.mver !== b.mver) return a.mver > b.mver;
  if (rankIn(a) !== rankIn(b)) return rankIn(a) < rankIn(b);
  const e = cmpEpochText(a.epoch, b.epoch);
  if (e !== 0) return e > 0;
  return a.node < b.node;
}

interface Report { readonly at: number; readonly primary: boolean; readonly claim: ClaimSeen }

/** Per node and service, every digest as a claim (with the membership version). */
function reports(world: World): Map<string, Report[]> {
  const out = new Map<string, Report[]>();
  for (const o of world.obs('opb.digest')) {
    const d = o.data;
    const key = `${o.node}|${d.service}`;
    const list = out.get(key) ?? [];
    list.push({ at: o.at, primary: d.role === 'primary', claim: { node: o.node, epoch: d.epoch,
      mver: d.membershipVersion, members: d.members as string[] } });
    out.set(key, list);
  }
  return out;
}

/** Times at which some targeted message fault is in force. */
function targetedWindows(run: RunRecord): [number, number][] {
  const out: [number, number][] = [];
  for (const f of run.faults) {
    if (f.kind === 'targeted') out.push([f.at, Math.min(f.untilUs, run.faultWindowEndUs)]);
  }
  return out;
}

export const opbDominance: Property = {
  name: 'opb-dominance',
  description: 'P2.5 during the faults: of two primaries of a service that both talk both ways ' +
    'with a member of both groups, the dominated one steps down within T_fd + 2·T_hb + ε ' +
    `(ε = ${C4_EPSILON_US / 1000} ms)`,
  protocols: ['opb'],
  completeRunOnly: true,
  check(run) {
    const world = buildWorld(run);
    const bound = numberParam(run, 'fdUs', 150_000) + 2 * numberParam(run, 'hbUs', 50_000)
      + C4_EPSILON_US;
    const scrambled = new Set(nodeFacts(world, 'corrupted').map((f) => f.node));
    const targeted = targetedWindows(run);
    const byNode = reports(world);
    const problems: string[] = [];
    /** Per "svc|loser|winner": since when they have met without the loser stepping down. */
    const since = new Map<string, number>();
    const reported = new Set<string>();
    let meetings = 0;
    let longest = 0;
    for (const seg of segments(run)) {
      const start = Math.ceil(seg.from / SAMPLE_US) * SAMPLE_US;
      for (let t = start; t < seg.to && t <= run.endUs; t += SAMPLE_US) {
        const judged = !seg.perturbed && !targeted.some(([a, b]) => t >= a && t <= b);
        const now = new Set<string>();
        for (const svc of judged ? world.services : []) {
          const fresh = world.nodes.flatMap((n) => {
            const r = latestAt(byNode.get(`${n}|${svc}`) ?? [], t);
            const ok = r !== undefined && t - r.at <= STALE_US && !isDown(world, n, t)
              && seg.live.has(n) && !scrambled.has(n);
            return ok ? [r] : [];
          });
          const primaries = fresh.filter((r) => r.primary);
          for (const x of primaries) {
            for (const w of primaries) {
              if (x === w || !dominates(w.claim, x.claim)) continue;
              const meet = fresh.some((m) => m.claim.node !== x.claim.node
                && m.claim.node !== w.claim.node && !m.primary
                && x.claim.members.includes(m.claim.node)
                && w.claim.members.includes(m.claim.node)
                && connected(seg, m.claim.node, x.claim.node)
                && connected(seg, m.claim.node, w.claim.node));
              if (!meet) continue;
              const key = `${svc}|${x.claim.node}|${w.claim.node}`;
              now.add(key);
              const from = since.get(key) ?? t;
              if (!since.has(key)) { since.set(key, t); meetings++; }
              longest = Math.max(longest, t - from);
              if (t - from > bound && !reported.has(`${key}|${from}`)) {
                reported.add(`${key}|${from}`);
                problems.push(`s${svc}: ${x.claim.node} (${x.claim.epoch}, v${x.claim.mver}) ` +
                  `still primary at t=${t}us, dominated by ${w.claim.node} (${w.claim.epoch}, ` +
                  `v${w.claim.mver}) since t=${from}us, both heard by a common member ` +
                  `(bound ${bound}us)`);
              }
            }
          }
        }
        for (const key of [...since.keys()]) if (!now.has(key)) since.delete(key);
      }
    }
    return verdictOf(this.name, problems, { meetings, longestUs: longest },
      `${meetings} meetings of two primaries, the dominated one stepped down in time ` +
      `(longest ${longest}us)`);
  },
};
