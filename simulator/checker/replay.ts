/**
 * Replays a path of action indices from the initial state. Actions are enumerated in a fixed
 * order, so the same path always takes the same transitions (STYLE §14); the first violation met
 * ends the replay.
 */
import { toHistory } from './client.js';
import type { Model } from './draft.js';
import { applyAction, describeAction, enumerateActions, initialState } from './system.js';
import type { Counterexample, SystemState, Violation } from './types.js';

/** A path that does not fit the model: an index past the enabled actions. */
export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathError';
  }
}

export interface ReplayResult {
  /** One line per action taken. */
  readonly actions: readonly string[];
  readonly state: SystemState;
  /** Set when a violation was met, with the path up to and including its action. */
  readonly counterexample: Counterexample | null;
}

/**
 * The state a path leads to, without describing its actions (a worker of a parallel search
 * rebuilding a state it was handed, parallel.ts). The path is one the search itself took.
 * `root` is the initial state to start from: a worker passes the one it built first, so that
 * the steps along the path find the node transitions it already memoised (draft.ts) instead of
 * recomputing every one from freshly booted nodes.
 */
export function stateAt(
  model: Model, path: readonly number[], root: SystemState = initialState(model).state,
): SystemState {
  let state = root;
  for (let step = 0; step < path.length; step++) {
    const action = enumerateActions(model, state)[path[step]!];
    if (action === undefined) throw new PathError(`path step ${step + 1}: not enabled`);
    state = applyAction(model, state, action).state;
  }
  return state;
}

export function replayModel(model: Model, path: readonly number[]): ReplayResult {
  const init = initialState(model);
  let state = init.state;
  const actions: string[] = [];
  const found = (violation: Violation, taken: number): ReplayResult => ({
    actions, state,
    counterexample: {
      actions, path: path.slice(0, taken), violation, history: toHistory(state.history),
    },
  });
  if (init.violation !== null) return found(init.violation, 0);
  for (let step = 0; step < path.length; step++) {
    const index = path[step]!;
    const enabled = enumerateActions(model, state);
    const action = enabled[index];
    if (action === undefined) {
      const why = `action ${index} is not enabled (${enabled.length} are)`;
      throw new PathError(`path step ${step + 1}: ${why}`);
    }
    actions.push(`${describeAction(model, state, action)}`);
    const t = applyAction(model, state, action);
    state = t.state;
    if (t.violation !== null) return found(t.violation, step + 1);
  }
  return { actions, state, counterexample: null };
}
