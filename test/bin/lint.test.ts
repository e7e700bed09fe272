import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../bin/lint.js';

describe('determinism lint', () => {
  it('passes on this repository', () => {
    expect(lint()).toEqual([]);
  });

  it('catches an import from a higher layer and properties reading protocol internals', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-layers-'));
    for (const d of ['protocol/smart', 'simulator', 'properties']) {
      mkdirSync(join(dir, d), { recursive: true });
    }
    writeFileSync(join(dir, 'protocol', 'smart', 'leader.ts'),
      "import type { Run } from '../../simulator/run.js';\n");
    writeFileSync(join(dir, 'simulator', 'sim.ts'), [
      "import { x } from '../protocol/types.js'; // allowed: a lower layer",
      "const p = await import('../properties/check.js');",
    ].join('\n'));
    writeFileSync(join(dir, 'properties', 'check.ts'), [
      "import type { Observation } from '../protocol/smart/observations.js';",
      "import { types } from '../protocol/types.js';",
      'import {',
      '  leaderOf,',
      "} from '../protocol/smart/leader.js';",
    ].join('\n'));
    expect(lint(dir)).toEqual([
      'protocol/smart/leader.ts:1: protocol/ imports simulator/run.js from a higher layer',
      'simulator/sim.ts:2: simulator/ imports properties/check.js from a higher layer',
      'properties/check.ts:5: properties/ imports protocol/smart/leader.js, ' +
        'not a declared type file',
    ]);
  });

  it('catches clocks, randomness, timers, for…in and node: imports in protocol/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    mkdirSync(join(dir, 'protocol'));
    mkdirSync(join(dir, 'simulator'));
    writeFileSync(join(dir, 'protocol', 'bad.ts'), [
      "import { readFileSync } from 'node:fs';",
      'const x = Math.random();',
      'for (const k in obj) {}',
    ].join('\n'));
    writeFileSync(join(dir, 'simulator', 'bad.ts'),
      'const t = Date.now(); setTimeout(() => 1, 5); performance.now();');
    const found = lint(dir);
    expect(found.some((f) => f.includes('protocol/bad.ts:1') && f.includes('Node built-in')))
      .toBe(true);
    expect(found.some((f) => f.includes('Math.random'))).toBe(true);
    expect(found.some((f) => f.includes('for…in'))).toBe(true);
    expect(found.some((f) => f.includes('Date.now'))).toBe(true);
    expect(found.some((f) => f.includes('Node timers'))).toBe(true);
    expect(found.some((f) => f.includes('performance.now'))).toBe(true);
  });

  it('flags source lines over 100 columns in every source folder, counting characters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'reports', 'wide.ts'), [`// ${'x'.repeat(97)}`, `// ${'é'.repeat(97)}`,
      `// ${'x'.repeat(99)}`].join('\n'));
    expect(lint(dir)).toEqual(['reports/wide.ts:3: line of 102 columns (max 100)']);
  });
});
