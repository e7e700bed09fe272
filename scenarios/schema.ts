/**
 * The versioned scenario file format, validated with zod so that a bad file is rejected with the
 * path of the offending field instead of failing deep inside a run. `replisim/scenario@2` adds
 * `sometimes`: the events (properties/sometimes.ts) the scenario must show at least once;
 * `@1` files are read as before.
 */
import { z } from 'zod';
import type { DeepReadonly, Holds, Same, Scenario } from '../simulator/config.js';
import { faultSchema, json, ratio, selector, us } from '../simulator/faults/kinds.js';
import { isSometimesEvent, SOMETIMES_EVENTS } from '../properties/sometimes.js';

const latency = z.object({ minUs: us, maxUs: us }).strict()
  .refine((l) => l.minUs <= l.maxUs, 'minUs must not exceed maxUs');

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'use letters, digits, . _ : -');

export const scenarioSchema = z.object({
  schema: z.enum(['replisim/scenario@1', 'replisim/scenario@2']),
  name,
  description: z.string().default(''),
  protocols: z.array(z.string().min(1)).min(1),
  params: z.record(z.string(), z.record(z.string(), json)).default({}),
  topology: z.object({
    dcs: z.array(z.object({ name, zone: name }).strict()).min(1),
    nodes: z.array(z.object({ id: name, dc: name }).strict()).min(1),
    replicas: z.array(name).min(1),
  }).strict(),
  network: z.object({
    intraDc: latency.default({ minUs: 100, maxUs: 300 }),
    interDc: latency.default({ minUs: 10_000, maxUs: 30_000 }),
    links: z.array(z.object({ a: selector, b: selector, latency }).strict()).default([]),
    loss: ratio.default([0, 1]),
    dup: ratio.default([0, 1]),
    reorder: ratio.default([0, 1]),
    reorderUs: us.default(0),
    diskWriteUs: us.default(0),
    pct: z.object({ depth: z.number().int().min(1).max(50), holdUs: us.min(1).default(1_000) })
      .strict().optional(),
  }).strict().prefault({}),
  clients: z.object({
    count: z.number().int().min(0).max(1000),
    dcs: z.array(name).default([]),
    thinkUs: latency.default({ minUs: 0, maxUs: 1_000 }),
    requestTimeoutUs: us.min(1).default(100_000),
    opTimeoutUs: us.min(1).default(1_000_000),
    opsPerClient: z.number().int().nonnegative().default(0),
    askDirectory: z.boolean().default(false),
    workload: z.object({
      keys: z.number().int().min(1).max(10_000).default(3),
      services: z.number().int().min(1).max(1_000).default(1),
      distribution: z.enum(['uniform', 'hot']).default('uniform'),
      hotPct: z.number().int().min(0).max(100).default(80),
      mix: z.object({ get: us, put: us, append: us, cas: us }).strict()
        .refine((m) => m.get + m.put + m.append + m.cas > 0,
          'the operation mix needs a positive weight')
        .default({ get: 2, put: 1, append: 1, cas: 1 }),
    }).strict().prefault({}),
    load: z.object({
      profile: z.enum(['constant', 'diurnal', 'spike']).default('constant'),
      periodUs: us.min(1).default(10_000_000),
      lowPct: z.number().int().min(1).max(100).default(20),
      startUs: us.default(0),
      endUs: us.default(0),
      service: z.number().int().nonnegative().default(0),
      factor: z.number().int().min(1).max(1_000).default(4),
    }).strict().prefault({}),
  }).strict(),
  durationUs: us.min(1),
  settleUs: us.default(1_000_000),
  faults: z.array(faultSchema).default([]),
  costs: z.object({
    stepUs: us.default(0),
    stepNsPerByte: us.default(0),
    sendUs: us.default(0),
    messageBytes: us.min(1).default(100),
    bandwidthBytesPerS: us.default(0),
    links: z.array(z.object({ a: selector, b: selector, bandwidthBytesPerS: us.min(1) }).strict())
      .default([]),
    stream: z.object({
      fromBytes: us.min(1),
      chunkBytes: us.min(1),
      sendNsPerByte: us.default(0),
      receiveNsPerByte: us.default(0),
    }).strict().optional(),
  }).strict().optional(),

  sometimes: z.array(z.string().refine((e): boolean => isSometimesEvent(e),
    `not an event (known: ${SOMETIMES_EVENTS.join(', ')})`)).optional(),
}).strict().refine((s) => s.sometimes === undefined || s.schema === 'replisim/scenario@2',
  { message: '"sometimes" needs schema "replisim/scenario@2"', path: ['sometimes'] });

// The schema and the simulator's Scenario type describe the same thing: parsing yields a
// Scenario with no cast, and a field added to one but not the other fails to compile here.
export type SchemaMatchesScenario =
  Holds<Same<DeepReadonly<z.output<typeof scenarioSchema>>, Scenario>>;

/** Cross-field checks zod cannot express per field; returns the first problem or null. */
export function scenarioProblem(s: Scenario): string | null {
  const dcs = new Set(s.topology.dcs.map((d) => d.name));
  const nodes = new Set(s.topology.nodes.map((n) => n.id));
  if (nodes.size !== s.topology.nodes.length) return 'topology.nodes: duplicate node id';
  for (const n of s.topology.nodes) if (!dcs.has(n.dc)) return `topology.nodes: ` +
    `node ${n.id} is in unknown dc "${n.dc}"`;
  for (const r of s.topology.replicas) if (!nodes.has(r)) return `topology.replicas: ` +
    `unknown node "${r}"`;
  for (const d of s.clients.dcs) if (!dcs.has(d)) return `clients.dcs: unknown dc "${d}"`;
  const { load, workload } = s.clients;
  if (load.profile === 'spike' && load.service >= workload.services) {
    return `clients.load.service: service ${load.service} does not exist ` +
      `(services: ${workload.services})`;
  }
  if (load.profile === 'spike' && load.endUs <= load.startUs) return 'clients.load: a spike ' +
    'needs endUs > startUs';
  for (const n of nodes) if (/^c\d+$/.test(n)) return `topology.nodes: ` +
    `"${n}" clashes with client names (c0, c1, …)`;
  return null;
}
