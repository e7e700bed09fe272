/** The run itself found no bug: no failed assertion, no broken invariant, no runaway. */
import type { Property } from './types.js';

export const noFailure: Property = {
  name: 'no-assertion-failure',
  description: 'no protocol assertion or invariant failed and the run stayed within ' +
    'its event budget',
  protocols: ['*'],
  check(run) {
    const first = run.failures[0];
    if (first === undefined) return { property: this.name, status: 'pass',
      message: 'no assertion failed' };
    const where = first.node === null ? '' : ` on ${first.node}`;
    return {
      property: this.name, status: 'fail',
      message: `${first.kind} failure${where} at t=${first.at}us: ${first.message}`,
    };
  },
};
