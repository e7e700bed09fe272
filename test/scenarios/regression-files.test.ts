/**
 * Every kept finding (test/protocol/<p>/regressions/*.json) is a file `replisim run FILE` takes:
 * a regression record or a counterexample with its `finding` note. A counterexample with a note
 * was once rejected as "not a saved run" although the regression suite read it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { savedRunFrom } from '../../scenarios/run-file.js';
import { loadRunSource } from '../../scenarios/run-source.js';

const dirs = ['test/protocol/smart/regressions', 'test/protocol/optimistic/regressions'];
const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json'))
  .map((f) => join(d, f)));

describe('kept findings load as run sources', () => {
  it('each regression file of both protocols', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) expect(() => loadRunSource(f), f).not.toThrow();
  });
  it('a finding note is kept; an unknown key is still rejected', () => {
    const base = { schema: 'replisim/counterexample@1', scenario: {}, protocol: 'smart', seed: 1,
      mutant: null, traceHash: '0'.repeat(64), events: 0, violations: [], trace: null };
    expect(() => savedRunFrom({ ...base, finding: 'why', bogus: 1 }, 'x.json'))
      .toThrow(/Unrecognized key: "bogus"/);
  });
});
