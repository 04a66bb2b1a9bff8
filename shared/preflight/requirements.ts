/** What a run asks of the cluster, per step: GPUs, CPU, memory, tolerations; and the Secrets and PVCs it names. */
import { topologicalOrder } from '../pipeline/graph.ts';
import type { NodeCatalog } from '../pipeline/catalog.ts';
import { parseQuantity, quantityScaledValue } from '../pipeline/quantity.ts';
import { resolveNode } from '../pipeline/resolve.ts';
import type { PipelineDocument, Toleration } from '../pipeline/types.ts';

export interface StepNeed {
  id: string;
  gpus: number;
  gpuResource: string;
  gpuProduct?: string;
  /** Millicores; undefined when the step sets none. */
  cpu?: number;
  /** Bytes; undefined when the step sets none. */
  memory?: number;
  cpuText?: string;
  memoryText?: string;
  tolerations: Toleration[];
  /** Steps of one level have no path between them, so they may run at the same time. */
  level: number;
}

export interface RunNeeds {
  steps: StepNeed[];
  secrets: Array<{ name: string; keys: string[] }>;
  pvcs: string[];
}

/** A quantity in the unit pre-flight compares: millicores for CPU, plain units (bytes, GPUs, counts) otherwise. */
export function quantityValue(resource: string, text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseQuantity(String(text));
  if (!parsed.ok) return undefined;
  const isCpu = resource === 'cpu' || resource.endsWith('.cpu');
  return quantityScaledValue(parsed.quantity, isCpu ? 3 : 0);
}

function levels(doc: PipelineDocument): Map<string, number> {
  const { order } = topologicalOrder(doc);
  const incoming = new Map<string, string[]>();
  for (const e of doc.edges) {
    const list = incoming.get(e.target);
    if (list) list.push(e.source);
    else incoming.set(e.target, [e.source]);
  }
  const level = new Map<string, number>();
  for (const id of order) {
    let deepest = -1;
    for (const s of incoming.get(id) ?? []) deepest = Math.max(deepest, level.get(s) ?? 0);
    level.set(id, deepest + 1);
  }
  return level;
}

export function runNeeds(doc: PipelineDocument, catalog: NodeCatalog): RunNeeds {
  const level = levels(doc);
  const steps: StepNeed[] = [];
  for (const node of doc.nodes) {
    const resolved = resolveNode(node, catalog);
    if (!resolved) continue;
    const r = resolved.resources;
    steps.push({
      id: node.id,
      gpus: r.gpus && r.gpus > 0 ? r.gpus : 0,
      gpuResource: r.gpuResource || 'nvidia.com/gpu',
      ...(r.gpuProduct ? { gpuProduct: r.gpuProduct } : {}),
      cpu: quantityValue('cpu', r.cpu),
      memory: quantityValue('memory', r.memory),
      cpuText: r.cpu,
      memoryText: r.memory,
      tolerations: r.tolerations ?? [],
      level: level.get(node.id) ?? 0,
    });
  }
  const secrets = new Map<string, string[]>();
  for (const s of doc.settings?.secretEnv ?? []) secrets.set(s.secret, [...(secrets.get(s.secret) ?? []), s.key]);
  return {
    steps,
    secrets: [...secrets].map(([name, keys]) => ({ name, keys })),
    pvcs: doc.settings?.checkpointPvc ? [doc.settings.checkpointPvc] : [],
  };
}
