import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { regressionSuite } from '../../helpers/regressions.js';

/**
 * Counterexamples `replisim explore --protocol opb` found during development, now fixed: the
 * even-numbered files here, the odd ones in regressions-odd.test.ts (two files, so two forks
 * share the 130-odd runs with their message records).
 */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions');

regressionSuite('opb regressions from explore (even)', dir, 'opb', { index: 0, of: 2 });
