/**
 * Who led each replica group over time, for the HTML report: one lane per group, one bar per
 * [from, to) interval in which a node held the primary role (several bars overlap during a
 * split brain). Built from OPB's declared `opb.role` observations; a crash ends a role.
 */
import type { RunRecord } from '../simulator/run-record.js';
import { buildWorld, rec } from '../properties/opb-world.js';

export interface RoleBar {
  readonly group: string;
  readonly node: string;
  readonly from: number;
  readonly to: number;
}

export function primaryBars(run: RunRecord): RoleBar[] {
  if (!run.observations.some((o) => o.label === 'opb.role')) return [];
  const world = buildWorld(run);
  const open = new Map<string, { group: string; node: string; from: number }>();
  const bars: RoleBar[] = [];
  const close = (key: string, at: number): void => {
    const o = open.get(key);
    if (o === undefined) return;
    bars.push({ ...o, to: at });
    open.delete(key);
  };
  const events = run.observations.filter((o) => o.label === 'opb.role' || o.label === 'opb.node');
  for (const o of events) {
    if (o.label === 'opb.node') {
      // A (re)boot: whatever this node led before is over.
      for (const key of [...open.keys()].filter((k) => k.endsWith(`|${o.node}`))) close(key, o.at);
      continue;
    }
    const d = rec(o);
    const key = `s${String(d['svc'])}|${o.node}`;
    if (d['role'] === 'primary') {
      const group = `s${String(d['svc'])}`;
      if (!open.has(key)) open.set(key, { group, node: o.node, from: o.at });
    } else close(key, o.at);
  }
  for (const [key, o] of [...open.entries()]) {
    const crash = (world.down.get(o.node) ?? []).find(([a]) => a >= o.from);
    close(key, crash?.[0] ?? run.endUs);
  }
  return bars.sort((a, b) => a.group.localeCompare(b.group, 'en', { numeric: true })
    || a.from - b.from || (a.node < b.node ? -1 : 1));
}
