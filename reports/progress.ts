/** The progress bar's line (cli/progress.ts draws it on a terminal's stderr). */

/** cli-progress's format: `label [bar] 42% | 21/50 runs | eta 3s`. */
export function progressFormat(label: string, unit: string): string {
  return `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`;
}
