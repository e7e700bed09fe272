/**
 * The digest contract (protocol/optimistic/observations.ts, `opb.digest`): a replica's reported
 * `state` is the FNV-1a of the canonical text of the state its history gives. Every OPB check
 * that compares replicas (C1-C3, C9, log matching's tips) compares these digests, so it is only
 * as strong as they are: a digest that merges distinct states (mutant #1281: 12 and 22 hash
 * alike) lets divergence pass, and one that depends on the path taken (#1231: a dedup range
 * listed twice after an older seq re-executes) tells equal states apart.
 *
 * Evidence, none of it the replica's own account of its state: the history from its digest's
 * lineage (the epoch of each index 1..index), the request at each (epoch, index) from the
 * primaries' `opb.exec` facts (log matching; those a crash dropped count too: the step ran and
 * its update may have travelled), and each request's operation from the simulator's client
 * history (a client's n-th operation is its request seq n). The checker replays the operations
 * on its own model and hashes the text with its own code (opb-state-text.ts).
 *
 * Judged: the last digest of each replica (node, service), a sample that sees every path a
 * replica took to its final state. Not judged: a replica ever scrambled by `corrupt`; a history
 * holding an index whose (epoch, index) no execution names, or two name differently (an epoch
 * name reused across an amnesia, opb-eras.ts), or whose request is not in the client history.
 */
import type { KvOp } from '../protocol/kv-types.js';
import type { RunRecord } from '../simulator/run-record.js';
import { buildWorld, nodeFacts, parseLineage, type Digest, type World } from './opb-world.js';
import { applyWrite, canonicalText, emptyModel, fnv1aHex } from './opb-state-text.js';
import { opsByRequest } from './run-values.js';
import { verdictOf, type Property } from './types.js';

/** The request executed at a name, or null when executions disagree on it. */
interface Executed { readonly req: string; readonly value: string }

/** A replayed history: the digest and text it gives, or why it cannot be rebuilt. */
export type Rebuilt =
  | { readonly kind: 'state'; readonly digest: string; readonly text: string }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'contradiction'; readonly why: string };

/** Each (service, epoch, index) the primaries executed, with the request and value. */
function executions(world: World): Map<string, Executed | null> {
  const byName = new Map<string, Executed | null>();
  for (const o of [...world.obs('opb.exec'), ...world.lost('opb.exec')]) {
    const d = o.data;
    const name = `${d.service}|${d.epoch}|${d.index}`;
    const req = `${d.client}#${d.seq}`;
    const seen = byName.get(name);
    if (seen === undefined) byName.set(name, { req, value: d.value });
    else if (seen !== null && (seen.req !== req || seen.value !== d.value)) byName.set(name, null);
  }
  return byName;
}

/** Each request `client#seq` of the client history, with its operation. */
function requests(run: RunRecord): Map<string, KvOp> {
  const out = new Map<string, KvOp>();
  for (const [req, op] of opsByRequest(run)) out.set(req, op.input);
  return out;
}

/** The state the history of digest `d` gives, replayed from index 1 on the checker's model. */
function rebuild(d: Digest, execs: ReadonlyMap<string, Executed | null>,
  ops: ReadonlyMap<string, KvOp>): Rebuilt {
  const model = emptyModel();
  let i = 0;
  for (const [epoch, last] of parseLineage(d.lineage)) {
    for (; i < Math.min(last, d.idx); i++) {
      const e = execs.get(`${d.svc}|${epoch}|${i + 1}`);
      if (e === undefined || e === null) return { kind: 'unknown' };
      const op = ops.get(e.req);
      if (op === undefined) return { kind: 'unknown' };
      // The execution names the client's request by seq; its value must be that request's.
      if (op.type === 'get' || op.value !== e.value) {
        const wrote = op.type === 'get' ? 'a read' : `value ${op.value}`;
        return { kind: 'contradiction', why: `(${epoch}, ${i + 1}) executed ${e.req} with ` +
          `value ${e.value}, but the client's request ${e.req} is ${wrote}` };
      }
      const hash = e.req.lastIndexOf('#');
      applyWrite(model, e.req.slice(0, hash), Number(e.req.slice(hash + 1)), op);
    }
  }
  // A lineage ends at the replica's last index; one that stops short names no history.
  if (i !== d.idx) return { kind: 'unknown' };
  const text = canonicalText(model);
  return { kind: 'state', digest: fnv1aHex(text), text };
}

/** A replica's last digest, with the state its history gives (or why it cannot be rebuilt). */
export interface Judged { readonly digest: Digest; readonly rebuilt: Rebuilt }

/** Each replica's last digest with its rebuilt state; `corrupted`: replicas not judged. */
export function lastDigests(run: RunRecord): { judged: Judged[]; corrupted: number } {
  const world = buildWorld(run);
  const scrambled = new Set(nodeFacts(world, 'corrupted').map((f) => f.node));
  const execs = executions(world);
  const ops = requests(run);
  // Replicas on one history share its replay (keyed by the history itself, not by its tip:
  // the check must not take log matching for granted).
  const memo = new Map<string, Rebuilt>();
  const judged: Judged[] = [];
  let corrupted = 0;
  for (const key of [...world.digests.keys()].sort()) {
    const list = world.digests.get(key)!;
    const d = list[list.length - 1]!;
    if (scrambled.has(d.node)) {
      corrupted++;
      continue;
    }
    const history = `${d.svc}|${d.idx}|${d.lineage}`;
    let r = memo.get(history);
    if (r === undefined) {
      r = rebuild(d, execs, ops);
      memo.set(history, r);
    }
    judged.push({ digest: d, rebuilt: r });
  }
  return { judged, corrupted };
}

/** The problems with replicas' last digests, and how many were judged or skipped. */
export function digestProblems(run: RunRecord): {
  problems: string[]; judged: number; corrupted: number; unknown: number;
} {
  const { judged: all, corrupted } = lastDigests(run);
  const problems: string[] = [];
  let judged = 0;
  let unknown = 0;
  for (const { digest: d, rebuilt: r } of all) {
    if (r.kind === 'unknown') {
      unknown++;
      continue;
    }
    judged++;
    const where = `s${d.svc}: ${d.node} at t=${d.at}us, history [${d.lineage}]`;
    if (r.kind === 'contradiction') problems.push(`${where}: ${r.why}`);
    else if (r.digest !== d.state) {
      const text = r.text.length > 160 ? `${r.text.slice(0, 157)}...` : r.text;
      problems.push(`${where}, reports state ${d.state}; that history gives ${r.digest} ` +
        `("${text}")`);
    }
  }
  return { problems, judged, corrupted, unknown };
}

export const opbDigests: Property = {
  name: 'opb-digests',
  description: 'Digest contract: each replica\'s last reported state digest is the FNV-1a of the ' +
    'canonical text of the state its history gives, rebuilt from the clients\' operations',
  protocols: ['opb'],
  check(run: RunRecord) {
    const r = digestProblems(run);
    const skipped = r.corrupted + r.unknown === 0 ? ''
      : ` (not judged: ${r.corrupted} of corrupted nodes, ${r.unknown} with an unknown entry)`;
    return verdictOf(this.name, r.problems,
      { digestsJudged: r.judged, skippedCorrupted: r.corrupted, skippedUnknown: r.unknown },
      `${r.judged} replicas' last digests match their rebuilt histories${skipped}`);
  },
};
