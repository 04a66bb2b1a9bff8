/** Automatic left-to-right layout of the pipeline graph with dagre. Pure: no React. */
import dagre from '@dagrejs/dagre';
import type { PipelineDocument, Position } from '../../shared/pipeline/types.ts';

export interface NodeSize {
  width: number;
  height: number;
}

export const DEFAULT_NODE_SIZE: NodeSize = { width: 240, height: 130 };

/** Top-left positions for every node, keyed by id. */
export function layoutPositions(
  doc: Pick<PipelineDocument, 'nodes' | 'edges'>,
  sizeOf: (id: string) => NodeSize = () => DEFAULT_NODE_SIZE,
): Record<string, Position> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(n.id, { ...sizeOf(n.id) });
  for (const e of doc.edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target, {}, e.id);
  }
  dagre.layout(g);
  const positions: Record<string, Position> = {};
  for (const n of doc.nodes) {
    const laid = g.node(n.id);
    const size = sizeOf(n.id);
    // dagre gives centres; the document stores top-left corners, snapped to the grid.
    positions[n.id] = { x: Math.round((laid.x - size.width / 2) / 10) * 10, y: Math.round((laid.y - size.height / 2) / 10) * 10 };
  }
  return positions;
}
