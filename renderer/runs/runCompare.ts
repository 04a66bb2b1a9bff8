/** Two runs side by side: the parameters that differ per node (catalog defaults filled in) and each node's final metrics. */
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { resolveNode } from '../../shared/pipeline/resolve.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { RunSummary } from '../../shared/runs/types.ts';

export interface FieldDiff {
  nodeId: string;
  /** `type`, a parameter name, `resources.gpus`, `retries`, `cache`, `code`. */
  field: string;
  /** JSON text of the value; undefined where the node or field is absent in that run. */
  a?: string;
  b?: string;
}

export interface MetricRow {
  nodeId: string;
  key: string;
  a?: number;
  b?: number;
}

function fieldsOf(doc: PipelineDocument, catalog: NodeCatalog): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const node of doc.nodes) {
    const fields = new Map<string, string>();
    fields.set('type', JSON.stringify(node.type));
    const resolved = resolveNode(node, catalog);
    const params = resolved?.params ?? node.params ?? {};
    for (const [k, v] of Object.entries(params)) fields.set(k, JSON.stringify(v));
    for (const [k, v] of Object.entries(resolved?.resources ?? node.resources ?? {})) if (v !== undefined) fields.set(`resources.${k}`, JSON.stringify(v));
    fields.set('retries', JSON.stringify(resolved?.retries ?? node.retries ?? 0));
    fields.set('cache', JSON.stringify(resolved?.cache ?? node.cache ?? true));
    if (node.code !== undefined) fields.set('code', JSON.stringify(node.code));
    out.set(node.id, fields);
  }
  return out;
}

function unionKeys<T>(a: Map<string, T> | Record<string, T> | undefined, b: Map<string, T> | Record<string, T> | undefined): string[] {
  const keys = new Set<string>();
  for (const m of [a, b]) if (m) for (const k of m instanceof Map ? m.keys() : Object.keys(m)) keys.add(k);
  return [...keys];
}

export function diffParameters(a: PipelineDocument, b: PipelineDocument, catalog: NodeCatalog): FieldDiff[] {
  const fa = fieldsOf(a, catalog);
  const fb = fieldsOf(b, catalog);
  const order = unionKeys(fa, fb);
  const diffs: FieldDiff[] = [];
  for (const nodeId of order) {
    const na = fa.get(nodeId);
    const nb = fb.get(nodeId);
    for (const field of unionKeys(na, nb)) {
      const va = na?.get(field);
      const vb = nb?.get(field);
      if (va !== vb) diffs.push({ nodeId, field, ...(va !== undefined ? { a: va } : {}), ...(vb !== undefined ? { b: vb } : {}) });
    }
  }
  return diffs;
}

export function compareMetrics(a: RunSummary, b: RunSummary): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const nodeId of unionKeys(a.nodes, b.nodes)) {
    const ma = a.nodes[nodeId]?.lastMetrics ?? {};
    const mb = b.nodes[nodeId]?.lastMetrics ?? {};
    for (const key of unionKeys(ma, mb).sort()) rows.push({ nodeId, key, ...(key in ma ? { a: ma[key] } : {}), ...(key in mb ? { b: mb[key] } : {}) });
  }
  return rows;
}
