/** Commands beyond list/run/replay, registered on the same program. */
import type { Command } from 'commander';

export function registerMoreCommands(p: Command, setExit: (code: number | Promise<number>) => void): void {
  void p;
  void setExit;
}
