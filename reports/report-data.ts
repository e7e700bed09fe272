/**
 * The data one HTML run report draws, in a compact columnar form (a 100k-event run stays a few
 * MB): message journeys, client operations, fault bands, primaries, node facts and
 * observations, latency and throughput series, and the per-key linearization view. Everything
 * is from the run record; times are simulated microseconds.
 */
import type { KvOp, KvResult } from '../protocol/kv-types.js';
import { kvModel } from '../properties/models/index.js';
import type { AnyModel } from '../properties/models/types.js';
import type { CheckedRun } from '../scenarios/runner.js';
import { describeFault } from '../simulator/describe.js';
import type { HistoryOp } from '../simulator/history.js';
import { primaryBars } from './roles.js';

/** Longest observation text kept for the node inspector. */
const OBS_TEXT = 240;
/** Throughput buckets over the run. */
const BUCKETS = 100;

export interface LinStep {
  readonly id: number;
  readonly client: string;
  readonly text: string;
  /** The key's model state after this op (the blocked op: before it). */
  readonly state: string;
  readonly call: number;
  readonly ret: number | null;
}

export interface LinView {
  readonly key: string;
  readonly steps: readonly LinStep[];
  readonly blocked: LinStep | null;
  readonly claimed: boolean;
}

const byNumber = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

export function describeOp(o: HistoryOp): string {
  const i = o.input;
  const what = i.type === 'get' ? `get ${i.key}` : i.type === 'cas'
    ? `cas ${i.key} ${JSON.stringify(i.expected)}→${JSON.stringify(i.value)}`
    : `${i.type} ${i.key} ${JSON.stringify(i.value)}`;
  const out = o.status === 'info' ? 'no response (indefinite)' : o.status === 'fail' ? 'failed'
    : o.input.type === 'get' ? `→ ${JSON.stringify(o.output?.value ?? '')}`
      : o.output?.ok === false ? '→ cas mismatch' : '→ ok';
  return `${what} ${out}`;
}

/** The failing key's longest partial linearization with the model state after each step. */
export function linearizationView(run: CheckedRun): LinView | null {
  const verdict = run.verdicts.find((v) => v.property === 'linearizability'
    && v.details !== undefined && v.details !== null);
  const details = verdict?.details as { linearized?: number[]; blocked?: number | null }
    | undefined;
  if (verdict === undefined || details === undefined) return null;
  const ops = new Map(run.record.history.ops.map((o) => [o.id, o]));
  const model = kvModel as unknown as AnyModel;
  const show = (s: unknown): string => model.describeState?.(s) ?? JSON.stringify(s) ?? '';
  let state: unknown = model.init();
  const steps: LinStep[] = [];
  const step = (o: HistoryOp, st: string): LinStep => ({ id: o.id, client: o.client,
    text: describeOp(o), state: st, call: o.call, ret: o.return ?? null });
  for (const id of details.linearized ?? []) {
    const o = ops.get(id);
    if (o === undefined) continue;
    const output: KvResult | undefined = o.status === 'ok' ? o.output : undefined;
    state = model.step(state, o.input as KvOp, output).state;
    steps.push(step(o, show(state)));
  }
  const blockedOp = details.blocked === null || details.blocked === undefined ? undefined
    : ops.get(details.blocked);
  const first = blockedOp ?? (steps[0] === undefined ? undefined : ops.get(steps[0].id));
  return {
    key: first?.input.key ?? '?',
    steps,
    blocked: blockedOp === undefined ? null : step(blockedOp, show(state)),
    claimed: verdict.measured !== true,
  };
}

export function reportData(run: CheckedRun): Record<string, unknown> {
  const r = run.record;
  const ops = r.history.ops;
  const clients = [...new Set(ops.map((o) => o.client))].sort(byNumber);
  const messages = r.messages ?? [];
  const nodeNames = new Set<string>([...r.replicas, ...r.nodeEvents.map((e) => e.node),
    ...r.observations.map((o) => o.node)]);
  for (const m of messages) for (const e of [m.from, m.to]) if (!clients.includes(e)) {
    nodeNames.add(e);
  }
  const nodes = [...nodeNames].sort(byNumber);
  const lanes = [...nodes, ...clients];
  const lane = new Map(lanes.map((l, i) => [l, i]));
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const intern = (s: string): number => {
    let i = labelIndex.get(s);
    if (i === undefined) {
      i = labels.length;
      labels.push(s);
      labelIndex.set(s, i);
    }
    return i;
  };
  const sorted = [...messages].sort((a, b) => a.sent - b.sent || a.at - b.at);
  const msgs = {
    s: sorted.map((m) => m.sent), a: sorted.map((m) => m.at),
    f: sorted.map((m) => lane.get(m.from) ?? 0), t: sorted.map((m) => lane.get(m.to) ?? 0),
    l: sorted.map((m) => intern(m.label)), d: sorted.map((m) => (m.drop === null ? -1
      : intern(m.drop))),
  };
  const faults = r.faults.map((f, i) => {
    const next = r.faults.slice(i + 1).find((g) => g.at > f.at);
    const instant = f.kind === 'heal' || f.kind === 'restart' || f.kind === 'resume';
    const stop = instant ? f.at : (next?.at ?? r.faultWindowEndUs);
    return [f.at, stop, describeFault(f)];
  });
  const status = { ok: 0, info: 1, fail: 2 } as const;
  const opRows = [...ops].sort((a, b) => a.call - b.call).map((o) => [o.id,
    clients.indexOf(o.client), o.call, o.return ?? -1, status[o.status], describeOp(o)]);
  const done = ops.filter((o) => o.status === 'ok' && o.return !== undefined)
    .sort((a, b) => a.call - b.call);
  const width = Math.max(1, Math.ceil(r.endUs / BUCKETS));
  const okCount = new Array<number>(BUCKETS).fill(0);
  const infoCount = new Array<number>(BUCKETS).fill(0);
  for (const o of ops) {
    if (o.status === 'ok') okCount[Math.min(BUCKETS - 1, Math.floor(o.return! / width))]!++;
    else if (o.status === 'info') infoCount[Math.min(BUCKETS - 1, Math.floor(o.call / width))]!++;
  }
  const perSecond = 1_000_000 / width;
  return {
    scenario: r.scenario, protocol: r.protocol, seed: r.seed, endUs: r.endUs,
    faultWindowEndUs: r.faultWindowEndUs, nodes: nodes.length, lanes, clients, labels, msgs,
    messagesKept: r.messages !== undefined,
    ops: opRows, faults,
    roles: primaryBars(r).map((b) => [b.group, b.node, b.from, b.to]),
    nodeEvents: r.nodeEvents.map((e) => [e.at, e.node, e.kind]),
    obs: r.observations.map((o) => [o.at, o.node, o.label,
      (JSON.stringify(o.data) ?? '').slice(0, OBS_TEXT)]),
    latency: { x: done.map((o) => o.call), y: done.map((o) => (o.return! - o.call) / 1000) },
    throughput: { x: okCount.map((_, i) => i * width + width / 2),
      ok: okCount.map((n) => n * perSecond), info: infoCount.map((n) => n * perSecond) },
    lin: linearizationView(run),
  };
}
