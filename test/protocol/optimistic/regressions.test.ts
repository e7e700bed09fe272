import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { regressionSuite } from '../../helpers/regressions.js';

/** Counterexamples `replisim explore --protocol opb` found during development, now fixed. */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions');

regressionSuite('opb regressions from explore', dir, 'opb');
