/**
 * What a LOGGED vouches for, judged from the `logged` facts of the replicas that answered
 * against the leaders' `propose` facts (never a replica's word alone): a LOGGED is Paxos's
 * phase 2b, so at the (configuration, ballot, slot) it names the replica's log must hold the
 * command that ballot's leader proposed there. A replica that keeps an older ballot's command
 * yet answers for the newer ballot lets a later poll find the older command at a slot a quorum
 * decided otherwise. (That logs are truncated at all is judged by the `truncation` event of
 * properties/sometimes.ts, from the same facts' `held` counts.)
 */
import type { Property } from './types.js';
import {
  fail, loggings, pass, proposalGroup, proposalGroups, skip,
} from './smart-observations.js';

const P = ['smart'];

export const smartLoggedProposal: Property = {
  name: 'smart-logged-proposal',
  description: 'a replica answers LOGGED for (configuration, ballot, slot) only while its log ' +
    'holds the command that ballot\'s leader proposed for the slot',
  protocols: P,
  check(run) {
    const logged = loggings(run);
    if (logged.length === 0) return skip(this.name, 'no replica logged a proposal');
    const { bySlot } = proposalGroups(run);
    let judged = 0;
    for (let ix = 0, xs = logged; ix < xs.length; ix++) {
      const o = xs[ix]!;
      const { config, ballot, slot, command } = o.data;
      // No fact of the proposal: not judged. A leader's facts queue behind its disk writes in
      // order, and a crash before a slow write lands drops them although its PROPOSEs left.
      const made = proposalGroup(bySlot, config, ballot, slot)?.commands;
      if (made === undefined) continue;
      judged++;
      if (made.includes(command)) continue;
      return fail(this.name, `${o.node} answered LOGGED for slot ${slot} of configuration ` +
        `${config} at ballot ${ballot} (t=${o.at}us) holding "${command}", but that ballot ` +
        `proposed "${made.join('", "')}"`);
    }
    return pass(this.name, `${judged} LOGGED answers held the proposed command`, { judged });
  },
};
