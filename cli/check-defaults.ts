/**
 * The defaults of `replisim check`, apart from the command (cmd-check.ts) so that the command
 * table can show them in `--help` without loading the model checker.
 */

/** Defaults small enough that a bare `replisim check` exhausts its space in seconds. */
export const CHECK_DEFAULTS = {
  protocol: 'example', replicas: '2', clients: '2', ops: '1', depth: '50', crashes: '1',
};
