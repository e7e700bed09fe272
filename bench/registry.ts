/** Further benchmarks, by name, run after the engine benchmark. Add new ones here. */
export const extraBenches: readonly [string, () => Promise<unknown> | unknown][] = [];
