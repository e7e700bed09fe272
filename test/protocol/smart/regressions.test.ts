import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { regressionSuite } from '../../helpers/regressions.js';

/**
 * Counterexamples `replisim explore --protocol smart` found, now fixed; each file says in
 * `finding` what was wrong and where it was fixed, and failed `property` before the fix.
 */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regressions');

regressionSuite('smart regressions from explore', dir, 'smart');
