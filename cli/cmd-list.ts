/** `replisim list`: scenarios, protocols, mutants, properties and experiments. */
import { listing, renderListing } from '../reports/list.js';
import { makeOutput } from './output.js';

export function listCommand(opts: { json?: boolean }): number {
  const doc = listing();
  const out = makeOutput(opts.json === true);
  if (out.json) out.document(doc);
  else out.human(renderListing(doc, out.c));
  return 0;
}
