/**
 * Who led each group over time, for the HTML report: one lane per group (an OPB service, a
 * SMART configuration, the example's one group), one bar per [from, to) interval in which a
 * node held the leading role (several bars overlap during a split brain). Built only from the
 * protocol-neutral `role` observations and the node facts the simulator recorded: a crash
 * ends every role the node held.
 */
import { readCommon } from '../properties/observed.js';
import type { RunRecord } from '../simulator/run-record.js';

export interface RoleBar {
  readonly group: string;
  readonly node: string;
  readonly from: number;
  readonly to: number;
}

export function primaryBars(run: RunRecord): RoleBar[] {
  const roles = readCommon(run, 'role');
  if (roles.length === 0) return [];
  const open = new Map<string, { group: string; node: string; from: number }>();
  const bars: RoleBar[] = [];
  const close = (key: string, at: number): void => {
    const o = open.get(key);
    if (o === undefined) return;
    bars.push({ ...o, to: at });
    open.delete(key);
  };
  const crashes = run.nodeEvents.filter((e) => e.kind === 'down');
  let next = 0;
  for (const o of roles) {
    // Crashes before this observation (in the run's own order of facts, which also orders
    // the facts of one instant) end the roles of the crashed nodes first.
    for (; next < crashes.length && crashes[next]!.seq < o.seq; next++) {
      const c = crashes[next]!;
      for (const [key, bar] of [...open.entries()]) if (bar.node === c.node) close(key, c.at);
    }
    const { group, role, node } = o.data;
    const key = `${group}|${node}`;
    if (role === 'leader') {
      if (!open.has(key)) open.set(key, { group, node, from: o.at });
    } else close(key, o.at);
  }
  for (const c of crashes.slice(next)) {
    for (const [key, bar] of [...open.entries()]) if (bar.node === c.node) close(key, c.at);
  }
  for (const key of [...open.keys()]) close(key, run.endUs);
  return bars.sort((a, b) => a.group.localeCompare(b.group, 'en', { numeric: true })
    || a.from - b.from || (a.node < b.node ? -1 : 1));
}
