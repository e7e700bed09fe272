/** The campaign header line, rendered in reports/ (cli/cmd-campaign.ts prints it). */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { renderCampaignHeader } from '../../reports/campaign.js';

describe('campaign report lines', () => {
  it('the header counts the plain runs and the explore trials', () => {
    const c = new Chalk({ level: 0 });
    expect(renderCampaignHeader('opb', null, 12, 40, c))
      .toBe('campaign protocol=opb mutant=-: 12 runs, 40 explore trials');
    expect(renderCampaignHeader('smart', 'smart:x', 0, 1, c))
      .toBe('campaign protocol=smart mutant=smart:x: 0 runs, 1 explore trials');
    expect(renderCampaignHeader('opb', null, 1, 1, new Chalk({ level: 1 })))
      .toBe('\u001b[1mcampaign protocol=opb mutant=-: 1 runs, 1 explore trials\u001b[22m');
  });
});
