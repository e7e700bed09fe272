/**
 * The `corrupt` fault (C9): scrambles protocol variables within their types — epochs, roles,
 * primary beliefs, claims, counters, power state. Service data and membership are left alone
 * (they are the application's state, not the consensus variables P2.7 C9 talks about).
 */
import type { NodeId } from '../types.js';
import { EPOCH_MAX } from './epoch.js';
import type { Epoch, Replica, Role, State } from './types.js';

type Draw = (n: number) => number;

const ROLES: readonly Role[] = ['primary', 'backup', 'reconciling'];

function pickNode(rep: Replica, draw: Draw): NodeId | null {
  const i = draw(rep.members.length + 1);
  return i === rep.members.length ? null : rep.members[i]!;
}

function randomEpoch(rep: Replica, draw: Draw): Epoch {
  const small = draw(2) === 0;
  const c = small ? draw(rep.epoch.c + 10) : draw(2 ** 20) * (EPOCH_MAX / 2 ** 24) + draw(1000);
  return { c, n: pickNode(rep, draw) ?? '' };
}

function scramble(rep: Replica, draw: Draw): Replica {
  const primary = pickNode(rep, draw);
  const epoch = randomEpoch(rep, draw);
  const pclaim = draw(2) === 0 || primary === null ? null
    : { node: primary, epoch: randomEpoch(rep, draw), mver: rep.mver, members: rep.members };
  return {
    ...rep, role: ROLES[draw(ROLES.length)]!, primary, epoch, pclaim, waiting: [], acked: new Map(),
    relay: new Map(), lastMoveAt: draw(2) === 0 ? rep.lastMoveAt : 0,
  };
}

export function corruptState(s: State, draw: Draw): State {
  const reps = new Map(s.reps);
  for (const k of [...reps.keys()].sort((a, b) => a - b)) {
    if (draw(4) === 0) continue;
    reps.set(k, scramble(reps.get(k)!, draw));
  }
  const epochMax = draw(2) === 0 ? s.epochMax : draw(2 ** 30);
  return { ...s, reps, epochMax, agent: { ...s.agent, on: draw(4) === 0 ? !s.agent.on : s.agent.on } };
}
