/**
 * The `corrupt` fault (C9): scrambles protocol variables within their types — epochs, roles,
 * primary beliefs, claims, counters, power state. Service data and membership are left alone
 * (they are the application's state, not the consensus variables P2.7 C9 talks about).
 */
import type { NodeId } from '../types.js';
import { GEN_MOD, genOf } from './epoch.js';

import type { Epoch, Replica, Role, State } from './types.js';
import { agentWith, repWith, stateWith } from './records.js';

type Draw = (n: number) => number;

const ROLES: readonly Role[] = ['primary', 'backup', 'reconciling'];

function pickNode(rep: Replica, draw: Draw): NodeId | null {
  const i = draw(rep.members.length + 1);
  return i === rep.members.length ? null : rep.members[i]!;
}

/** Small, huge or right at the limit (so the reset runs), in a generation near the replica's. */
function randomEpoch(rep: Replica, limit: number, draw: Draw): Epoch {
  const kind = draw(3);
  const below = Math.min(limit - 1, rep.epoch.c + 10);
  const c = kind === 0 ? draw(below + 1)
    : kind === 1 ? draw(limit)
    : limit - 1 - draw(Math.min(limit, 3));
  // Generations land near the replica's own (the wrap included: from 0, one or two below it).
  // Scattered over the whole circle they need not have a newest one, and re-claims can chase
  // each other round it (found by explore); that would take a bounded labelling scheme.
  const g = (genOf(rep.epoch) + GEN_MOD - 2 + draw(5)) % GEN_MOD;
  const n = pickNode(rep, draw) ?? '';
  return g === 0 ? { c, n } : { c, n, g };
}

function scramble(rep: Replica, limit: number, draw: Draw): Replica {
  const primary = pickNode(rep, draw);
  const epoch = randomEpoch(rep, limit, draw);
  const pclaim = draw(2) === 0 || primary === null ? null
    : { node: primary, epoch: randomEpoch(rep, limit, draw), mver: rep.mver, members: rep.members };
  return repWith(rep, {
    role: ROLES[draw(ROLES.length)]!, primary, epoch, pclaim, waiting: [], acked: new Map(),
    relay: new Map(), lastMoveAt: draw(2) === 0 ? rep.lastMoveAt : 0,
  });
}

export function corruptState(s: State, draw: Draw): State {
  const reps = new Map(s.reps);
  for (const k of [...reps.keys()].sort((a, b) => a - b)) {
    if (draw(4) === 0) continue;
    reps.set(k, scramble(reps.get(k)!, s.params.epochLimit, draw));
  }
  const top = s.reps.get([...s.reps.keys()].sort((a, b) => a - b)[0] ?? -1);
  const epochTop = draw(2) === 0 || top === undefined ? s.epochTop
    : { ...randomEpoch(top, s.params.epochLimit, draw), n: '' };
  return stateWith(s, { reps, epochTop,
    agent: agentWith(s.agent, { on: draw(4) === 0 ? !s.agent.on : s.agent.on }),
  });
}
