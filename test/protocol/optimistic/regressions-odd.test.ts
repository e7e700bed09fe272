import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { regressionSuite } from '../../helpers/regressions.js';

/** The odd-numbered half of the OPB regression files (see regressions.test.ts). */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions');

regressionSuite('opb regressions from explore (odd)', dir, 'opb', { index: 1, of: 2 });
