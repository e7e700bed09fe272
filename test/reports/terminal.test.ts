/** The one-line notes of `run`, `compare`, `experiment` and `check`, rendered in reports/. */
import { describe, expect, it } from 'vitest';
import { renderCheckProgress } from '../../reports/check.js';
import {
  renderRunFolder, renderRunSource, renderSaved, renderWrote,
} from '../../reports/terminal.js';

describe('command notes', () => {
  it('run: the source file, the run folder, the saved run', () => {
    expect(renderRunSource('counterexample', 'c.json', 3, null))
      .toBe('from counterexample c.json: seed 3, mutant -');
    expect(renderRunSource('run', 'r.json', 0, 'opb:x'))
      .toBe('from run r.json: seed 0, mutant opb:x');
    expect(renderRunFolder('out/run/t'))
      .toBe('run folder: out/run/t (report.html, history, trace)');
    expect(renderSaved('r.json', ' --protocol-file ./p.js'))
      .toBe('saved: r.json (replay with: npx replisim replay r.json --protocol-file ./p.js)');
  });

  it('compare and experiment: the files written; check: its progress line', () => {
    expect(renderWrote('d/compare.json', 'compare.html'))
      .toBe('wrote d/compare.json and compare.html');
    expect(renderCheckProgress({ depth: 4, unique: 120 })).toBe('\rdepth 4: 120 unique states…');
  });
});
