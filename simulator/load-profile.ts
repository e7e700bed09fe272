/** Time-varying offered load (see LoadSpec), in integer arithmetic only. */
import type { LoadSpec } from './config.js';

/** Offered load at time t, in percent of the base rate (can exceed 100 during a spike). */
export function loadPct(load: LoadSpec, t: number): number {
  switch (load.profile) {
    case 'constant':
      return 100;
    case 'diurnal': {
      // Triangle wave: lowPct at t = 0, 100 at half a period, back to lowPct at a full period.
      const phase = t % load.periodUs;
      const half = Math.floor(load.periodUs / 2);
      const dist = phase <= half ? phase : load.periodUs - phase;
      return load.lowPct + Math.floor(((100 - load.lowPct) * dist) / Math.max(1, half));
    }
    case 'spike':
      return inSpike(load, t) ? 100 * load.factor : 100;
  }
}

export function inSpike(load: LoadSpec, t: number): boolean {
  return load.profile === 'spike' && t >= load.startUs && t < load.endUs;
}

/** Think time scaled inversely with the offered load. */
export function scaledThinkUs(load: LoadSpec, t: number, baseUs: number): number {
  return Math.floor((baseUs * 100) / loadPct(load, t));
}
