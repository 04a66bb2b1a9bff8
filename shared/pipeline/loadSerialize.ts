/**
 * Writes a pipeline document as diff-friendly JSON: fixed key order for known objects (fields a
 * newer build added come after, alphabetically), maps sorted by key, 2-space indent, final newline.
 */
import type { PipelineDocument } from './types.ts';

interface Shape {
  keys?: readonly string[];
  fields?: Record<string, Shape>;
  /** Shape of each item of an array field. */
  items?: Shape;
}

const TEXT: Shape = { keys: ['en', 'ko'] };
const PORT: Shape = { keys: ['name', 'kind', 'optional', 'title'], fields: { title: TEXT } };
const PARAM_SPEC: Shape = {
  keys: ['name', 'type', 'default', 'required', 'min', 'max', 'step', 'enum', 'unit', 'title', 'help'],
  fields: { title: TEXT, help: TEXT },
};
const RESOURCES: Shape = {
  keys: ['gpus', 'gpuResource', 'gpuProduct', 'cpu', 'memory', 'tolerations'],
  fields: { tolerations: { items: { keys: ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] } } },
};
const NODE: Shape = {
  keys: ['id', 'type', 'label', 'position', 'image', 'params', 'resources', 'retries', 'cache', 'code', 'interface'],
  fields: {
    position: { keys: ['x', 'y'] },
    params: {},
    resources: RESOURCES,
    interface: { keys: ['inputs', 'outputs', 'parameters'], fields: { inputs: { items: PORT }, outputs: { items: PORT }, parameters: { items: PARAM_SPEC } } },
  },
};
const DOCUMENT: Shape = {
  keys: ['format', 'name', 'description', 'settings', 'parameters', 'nodes', 'edges'],
  fields: {
    settings: {
      keys: ['namespace', 'image', 'pipelineRoot', 'mlflowTrackingUri', 'mlflowExperiment', 'registeredModelName', 'checkpointPvc', 'secretEnv'],
      fields: { secretEnv: { items: { keys: ['secret', 'key', 'env'] } } },
    },
    parameters: { items: { keys: ['name', 'type', 'default', 'description'] } },
    nodes: { items: NODE },
    edges: { items: { keys: ['id', 'source', 'sourceHandle', 'target', 'targetHandle'] } },
  },
};

function order(value: unknown, shape: Shape | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => order(item, shape?.items));
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const known = shape?.keys ?? [];
  const rest = Object.keys(obj)
    .filter((k) => !known.includes(k))
    .sort();
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...rest]) {
    if (obj[key] === undefined) continue;
    out[key] = order(obj[key], shape?.fields?.[key]);
  }
  return out;
}

export function serializePipeline(doc: PipelineDocument): string {
  return `${JSON.stringify(order(doc, DOCUMENT), null, 2)}\n`;
}
