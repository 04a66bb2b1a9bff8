/** Copy and paste of nodes as JSON text, so a selection travels between documents and windows. */
import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../shared/pipeline/types.ts';
import { nextEdgeId, uniqueId } from './ids.ts';

export const CLIPBOARD_FORMAT = 'pipewright.clipboard/v1';

interface ClipboardPayload {
  format: typeof CLIPBOARD_FORMAT;
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

/** The selected nodes and the edges among them, as text. */
export function copyNodes(doc: PipelineDocument, nodeIds: readonly string[]): string | null {
  const ids = new Set(nodeIds);
  const nodes = doc.nodes.filter((n) => ids.has(n.id));
  if (nodes.length === 0) return null;
  const edges = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const payload: ClipboardPayload = { format: CLIPBOARD_FORMAT, nodes, edges };
  return JSON.stringify(payload, null, 2);
}

function isNodeLike(value: unknown): value is PipelineNode {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const pos = v.position as Record<string, unknown> | undefined;
  return typeof v.id === 'string' && typeof v.type === 'string' && typeof pos?.x === 'number' && typeof pos?.y === 'number';
}

function isEdgeLike(value: unknown): value is PipelineEdge {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['id', 'source', 'sourceHandle', 'target', 'targetHandle'].every((k) => typeof v[k] === 'string');
}

/** Parses clipboard text; null when it is not a Pipewright selection. */
export function parseClipboard(text: string): ClipboardPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = value as Partial<ClipboardPayload> | null;
  if (!v || v.format !== CLIPBOARD_FORMAT || !Array.isArray(v.nodes) || !Array.isArray(v.edges)) return null;
  if (!v.nodes.every(isNodeLike) || !v.edges.every(isEdgeLike)) return null;
  return { format: CLIPBOARD_FORMAT, nodes: v.nodes, edges: v.edges };
}

/** New nodes and edges for pasting into `doc`: fresh ids, positions shifted by `offset`. */
export function preparePaste(
  doc: PipelineDocument,
  payload: ClipboardPayload,
  offset: { x: number; y: number },
): { nodes: PipelineNode[]; edges: PipelineEdge[] } {
  const takenNodes = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = payload.nodes.map((n) => {
    const id = uniqueId(n.id, takenNodes);
    takenNodes.add(id);
    rename.set(n.id, id);
    return { ...structuredClone(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const takenEdges = new Set(doc.edges.map((e) => e.id));
  const edges = payload.edges
    .filter((e) => rename.has(e.source) && rename.has(e.target))
    .map((e) => {
      const id = nextEdgeId(takenEdges);
      takenEdges.add(id);
      return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)! };
    });
  return { nodes, edges };
}
