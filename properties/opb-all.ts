/** All OPB properties (P2.7 C1–C9), in report order. */
import type { Property } from './types.js';
import { opbAvailability } from './opb-availability.js';
import { opbBackupHistory } from './opb-backup-history.js';
import { opbComponentPrimary } from './opb-components.js';
import { opbDominance } from './opb-dominance.js';
import {
  opbClosure, opbSelfStabilization, opbStateConvergence, opbUniquePrimary,
} from './opb-convergence.js';
import { opbLogBound } from './opb-log-bound.js';
import { opbLogMatching } from './opb-log-matching.js';
import { opbOverload } from './opb-overload.js';
import { opbPlacement } from './opb-placement.js';
import { opbPolicy } from './opb-policy.js';
import { opbAtMostOnce, opbEpochMonotonic, opbNoLossWithoutFork } from './opb-safety.js';

export const opbProperties: readonly Property[] = [
  opbUniquePrimary, opbStateConvergence, opbClosure, opbAvailability, opbComponentPrimary,
  opbAtMostOnce,
  opbNoLossWithoutFork, opbEpochMonotonic, opbPlacement, opbOverload,
  opbPolicy, opbLogBound, opbSelfStabilization, opbBackupHistory, opbLogMatching,
  opbDominance,
];
