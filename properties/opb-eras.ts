/**
 * Eras of an epoch's name. One primary claims an epoch once (C7), so (epoch, index) names one
 * entry, except across amnesia: a node that restarts with an empty disk has forgotten which
 * epochs it claimed and, with no live peer to learn from, may claim the same name again
 * (explore seed 700995: n9, the last replica up, claimed 1:1.n9 both before and after losing its
 * disk, and index 48 named one write of each life). C7 holds modulo amnesia; so does the name.
 * An entry's era is the number of amnesiac restarts its epoch's claimant (the node after the
 * name's last '.') had gone through when the entry was executed: the same name in two eras is
 * two entries.
 */
import { onceEach } from './memo.js';
import { epochKey, type World } from './opb-world.js';

export interface Eras {
  /** The era of an entry of `epoch` executed (its step ran) at `at`. */
  of(epoch: string, at: number): number;
}

/** The node that claimed an epoch, from its text form `[g:]c.n` ('_' for none). */
export function claimantOf(epoch: string): string {
  return epochKey(epoch)[2];
}

export const erasOf: (world: World) => Eras = onceEach((world: World): Eras => {
  const boots = new Map<string, number[]>();
  for (const o of world.obs('opb.node')) {
    if (!o.data.amnesia) continue;
    const list = boots.get(o.node);
    if (list === undefined) boots.set(o.node, [o.at]);
    else list.push(o.at);
  }
  return {
    of(epoch: string, at: number): number {
      const list = boots.get(claimantOf(epoch));
      if (list === undefined) return 0;
      let n = 0;
      while (n < list.length && list[n]! <= at) n++;
      return n;
    },
  };
});
