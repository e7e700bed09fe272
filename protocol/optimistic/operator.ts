/**
 * Operator commands (reorganization triggers from the scenario): `reorg` runs a reorganization
 * round now, `handoff` {svc, to} asks a primary for a planned handoff, `wake` powers a node on.
 */
import type { OperatorCommand } from '../types.js';
import { wake } from './agent.js';
import { observe } from './effects.js';
import { onTimer } from './dispatch.js';
import { withRep, type Result } from './node.js';
import { alive } from './replica.js';
import { handoff } from './reorg.js';
import type { Out, State } from './types.js';

function arg(cmd: OperatorCommand, key: string): string | number | null {
  const a = cmd.args;
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return null;
  const v = (a as { readonly [k: string]: unknown })[key];
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

export function onOperator(s: State, cmd: OperatorCommand): Result {
  const out: Out = [observe('opb.operator', { name: cmd.name })];
  switch (cmd.name) {
    case 'reorg': {
      const r = onTimer(s, 'window');
      return { state: r.state, effects: [...out, ...r.effects] };
    }
    case 'wake':
      return { state: wake(s, out), effects: out };
    case 'handoff': {
      const svc = Number(arg(cmd, 'svc') ?? 0);
      const to = String(arg(cmd, 'to') ?? '');
      const rep = s.reps.get(svc);
      const ok = rep !== undefined && rep.role === 'primary' && rep.members.includes(to)
        && to !== s.id && s.mutant !== 'ignore-operator';
      // The declared mutant opb:operator-to-all: a backup obeys too.
      const obeys = ok || (s.mutant === 'operator-to-all' && rep !== undefined
        && rep.members.includes(to) && to !== s.id);
      if (rep === undefined || !obeys || !alive(s, rep, to)) return { state: s, effects: out };
      return { state: withRep(s, svc, handoff(s, rep, to, true, 'operator'), out), effects: out };
    }
    default:
      return { state: s, effects: out };
  }
}
