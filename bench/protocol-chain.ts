/**
 * The protocol's own share of a standard run, without the engine: the (node, event) of every
 * step of the run is recorded once, then only the protocol's `step` (and its invariants) is run
 * over them again, each node stepping from its own previous output, so old states die as they
 * do in a run. Pure steps make the replay the run's steps exactly. CPU ms per replay (one run's
 * steps), min / median / max after warm-ups.
 *
 *   node dist/bench/protocol-chain.js [protocol] [repeats]
 *
 * Not part of `npm run bench`: a tool for protocol changes, whose effect on a whole run is
 * lost in the engine's share and the noise of a shared machine. Replaying recorded input states
 * instead (each step from its recorded input) keeps every state alive, which changes how V8
 * collects them: the chain keeps only the nodes' current states, as a run does.
 */
import { findProtocol } from '../protocol/registry.js';
import type { AnyProtocol, ProtocolEvent } from '../protocol/types.js';
import { simulate } from '../simulator/sim.js';
import { standardScenario } from './checked-run.js';
import { spread, timed, type Spread } from './stats.js';

interface Chain {
  /** The state each node started from, by node number. */
  readonly initial: readonly unknown[];
  /** Node number and event of every step, in run order. */
  readonly steps: readonly (readonly [number, ProtocolEvent<unknown, unknown>])[];
}

/** The steps of one standard run of `scenario` (seed 1), by node. */
export function recordChain(protocol: AnyProtocol, scenario: string): Chain {
  const initial: unknown[] = [];
  const steps: [number, ProtocolEvent<unknown, unknown>][] = [];
  // A node's next input is its previous output: that is how steps are told apart by node.
  // Weakly: a map that kept every state of the run alive would make V8 allocate the protocol's
  // records in the old generation from then on (allocation-site pretenuring) and the replay
  // would measure that instead (twice the CPU on SMART, and unlike a run).
  const nodeOf = new WeakMap<object, number>();
  const recording: AnyProtocol = {
    ...protocol,
    step(state, event) {
      let node = nodeOf.get(state as object);
      if (node === undefined) {
        node = initial.length;
        initial.push(state);
      }
      steps.push([node, event]);
      const result = protocol.step(state, event);
      nodeOf.set(result.state as object, node);
      return result;
    },
  };
  simulate({ scenario: standardScenario(scenario), protocol: recording, seed: 1 });
  return { initial, steps };
}

/** CPU ms of stepping the whole chain once. */
export function replayChain(protocol: AnyProtocol, chain: Chain): number {
  const states = [...chain.initial];
  const { sample } = timed(() => {
    for (const [node, event] of chain.steps) {
      const next = protocol.step(states[node], event).state;
      states[node] = next;
      protocol.invariants?.(next);
    }
  });
  return sample.cpuMs;
}

export function benchProtocolChain(
  protocolName: string, repeats = 7, warmUps = 3,
): { protocol: string; scenario: string; steps: number; cpuMs: Spread } {
  const protocol = findProtocol(protocolName);
  if (protocol === undefined) throw new Error(`unknown protocol ${protocolName}`);
  const scenario = protocolName === 'opb' ? 'opb-steady' : `${protocolName}-steady`;
  const chain = recordChain(protocol, scenario);
  for (let i = 0; i < warmUps; i++) replayChain(protocol, chain);
  const times = Array.from({ length: repeats }, () => replayChain(protocol, chain));
  return { protocol: protocolName, scenario, steps: chain.steps.length, cpuMs: spread(times) };
}

if (process.argv[1] !== undefined
  && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [name = 'smart', repeats = '7'] = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(benchProtocolChain(name, Number(repeats)))}\n`);
}
