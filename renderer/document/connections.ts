/** Which new edges the canvas accepts, and why it refuses the others. Pure: no React. */
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { downstreamIds } from '../../shared/pipeline/graph.ts';
import { nodePorts } from '../../shared/pipeline/resolve.ts';
import type { PipelineDocument, PortKind, PortSpec } from '../../shared/pipeline/types.ts';

export interface ConnectionRequest {
  source: string;
  sourceHandle: string | null;
  target: string;
  targetHandle: string | null;
}

export type ConnectionRefusal =
  | { code: 'self' }
  | { code: 'unknown-port'; nodeId: string; port: string }
  | { code: 'kind-mismatch'; sourceKind: PortKind; targetKind: PortKind }
  | { code: 'input-taken'; nodeId: string; port: string; existingSource: string }
  | { code: 'cycle'; source: string; target: string };

function findPort(doc: PipelineDocument, catalog: NodeCatalog, nodeId: string, port: string | null, side: 'inputs' | 'outputs'): PortSpec | undefined {
  const node = doc.nodes.find((n) => n.id === nodeId);
  const spec = node && catalog.get(node.type);
  if (!node || !spec || port === null) return undefined;
  return nodePorts(node, spec)[side].find((p) => p.name === port);
}

/** null when the edge may be added; otherwise the first reason it may not. */
export function checkConnection(doc: PipelineDocument, catalog: NodeCatalog, c: ConnectionRequest): ConnectionRefusal | null {
  if (c.source === c.target) return { code: 'self' };
  const out = findPort(doc, catalog, c.source, c.sourceHandle, 'outputs');
  if (!out) return { code: 'unknown-port', nodeId: c.source, port: c.sourceHandle ?? '' };
  const inp = findPort(doc, catalog, c.target, c.targetHandle, 'inputs');
  if (!inp) return { code: 'unknown-port', nodeId: c.target, port: c.targetHandle ?? '' };
  if (out.kind !== inp.kind) return { code: 'kind-mismatch', sourceKind: out.kind, targetKind: inp.kind };
  const existing = doc.edges.find((e) => e.target === c.target && e.targetHandle === c.targetHandle);
  if (existing) return { code: 'input-taken', nodeId: c.target, port: inp.name, existingSource: existing.source };
  if (downstreamIds(doc, c.target).has(c.source)) return { code: 'cycle', source: c.source, target: c.target };
  return null;
}
