// The example protocol inside a vitest suite, through replisim's helper: every property over
// the scenario's own seeds, then over random fault schedules (as `replisim explore` draws them).
// A failure saves the shrunk counterexample and prints the `replisim replay` command.
import { fileURLToPath } from 'node:url';
import { propertyTest } from 'replisim/vitest';
import singleCopy from './single-copy.js';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const subject = { protocol: singleCopy, protocolFile: here('./single-copy.js'),
  scenario: here('./scenario.json') };

propertyTest('single-copy: every property on 4 seeds of its scenario', { ...subject, seeds: 4 });
propertyTest('single-copy: every property under 4 random fault schedules',
  { ...subject, trials: 4 });
