/** The graph part of a run diff: nodes and edges added, removed, changed, and which fields of a node changed. */
import type { NodeCatalog } from '../../pipeline/catalog.ts';
import { stepImage } from '../../pipeline/image.ts';
import { resolveNode } from '../../pipeline/resolve.ts';
import type { PipelineDocument, PipelineEdge, PipelineParameterValue } from '../../pipeline/types.ts';
import type { EdgeChange, NodeChange, ValueRow } from './types.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Every field of every node as it runs, as text: `type`, `label`, `params.X`, `resources.X`, `retries`, `cache`, `image`, `code`. */
export function nodeFields(doc: PipelineDocument, catalog: NodeCatalog, values: Readonly<Record<string, PipelineParameterValue>>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const node of doc.nodes) {
    const fields = new Map<string, string>();
    const resolved = resolveNode(node, catalog, values);
    fields.set('type', node.type);
    if (node.label !== undefined) fields.set('label', node.label);
    for (const [k, v] of Object.entries(resolved?.params ?? node.params ?? {})) fields.set(`params.${k}`, text(v));
    for (const [k, v] of Object.entries(resolved?.resources ?? node.resources ?? {})) if (v !== undefined) fields.set(`resources.${k}`, text(v));
    fields.set('retries', text(resolved?.retries ?? node.retries ?? 0));
    fields.set('cache', text(resolved?.cache ?? node.cache ?? true));
    fields.set('image', stepImage(node, catalog.get(node.type), doc.settings).image);
    if (node.code !== undefined) fields.set('code', node.code);
    out.set(node.id, fields);
  }
  return out;
}

function union<K>(a: Iterable<K>, b: Iterable<K>): K[] {
  return [...new Set([...a, ...b])];
}

export function edgeKey(e: Pick<PipelineEdge, 'source' | 'sourceHandle' | 'target' | 'targetHandle'>): string {
  return `${e.source}.${e.sourceHandle} -> ${e.target}.${e.targetHandle}`;
}

export interface GraphDiff {
  nodes: NodeChange[];
  edges: EdgeChange[];
  /** Every differing field of nodes on both sides, and every field of an added or removed node. */
  fields: ValueRow[];
}

export function diffGraph(fa: Map<string, Map<string, string>>, fb: Map<string, Map<string, string>>, a: PipelineDocument, b: PipelineDocument): GraphDiff {
  const nodes: NodeChange[] = [];
  const fields: ValueRow[] = [];
  for (const nodeId of union(fa.keys(), fb.keys())) {
    const na = fa.get(nodeId);
    const nb = fb.get(nodeId);
    const changed: string[] = [];
    for (const field of union(na?.keys() ?? [], nb?.keys() ?? [])) {
      const va = na?.get(field);
      const vb = nb?.get(field);
      if (va === vb) continue;
      if (na && nb) changed.push(field);
      const change = va === undefined ? 'added' : vb === undefined ? 'removed' : 'changed';
      fields.push({ nodeId, field, ...(va !== undefined ? { a: va } : {}), ...(vb !== undefined ? { b: vb } : {}), change });
    }
    const type = nb?.get('type') ?? na?.get('type') ?? '';
    nodes.push({ nodeId, type, change: !na ? 'added' : !nb ? 'removed' : changed.length > 0 ? 'changed' : 'same', fields: changed });
  }
  const ea = new Map(a.edges.map((e) => [edgeKey(e), e]));
  const eb = new Map(b.edges.map((e) => [edgeKey(e), e]));
  const edges: EdgeChange[] = union(ea.keys(), eb.keys()).map((key) => {
    const e = (eb.get(key) ?? ea.get(key))!;
    return { key, source: e.source, target: e.target, change: !ea.has(key) ? 'added' : !eb.has(key) ? 'removed' : 'same' };
  });
  return { nodes, edges, fields };
}
