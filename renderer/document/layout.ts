/**
 * Automatic left-to-right layout of the pipeline graph with dagre. Steps with no connection at all are
 * not left to dagre (it stacks them in one tall column): they go in rows under the connected graph, as
 * wide as it is. Pure: no React.
 */
import dagre from '@dagrejs/dagre';
import type { PipelineDocument, Position } from '../../shared/pipeline/types.ts';

export interface NodeSize {
  width: number;
  height: number;
}

export const DEFAULT_NODE_SIZE: NodeSize = { width: 240, height: 130 };

const GAP = { x: 40, y: 40 };
const snap = (v: number) => Math.round(v / 10) * 10;

/** Top-left positions for every node, keyed by id. */
export function layoutPositions(doc: Pick<PipelineDocument, 'nodes' | 'edges'>, sizeOf: (id: string) => NodeSize = () => DEFAULT_NODE_SIZE): Record<string, Position> {
  const ids = new Set(doc.nodes.map((n) => n.id));
  const linked = new Set<string>();
  for (const e of doc.edges) {
    if (ids.has(e.source) && ids.has(e.target) && e.source !== e.target) {
      linked.add(e.source);
      linked.add(e.target);
    }
  }
  const positions: Record<string, Position> = {};
  let graphBottom = 0;
  let graphWidth = 0;
  if (linked.size > 0) {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of doc.nodes) if (linked.has(n.id)) g.setNode(n.id, { ...sizeOf(n.id) });
    for (const e of doc.edges) {
      if (linked.has(e.source) && linked.has(e.target)) g.setEdge(e.source, e.target, {}, e.id);
    }
    dagre.layout(g);
    for (const n of doc.nodes) {
      if (!linked.has(n.id)) continue;
      const laid = g.node(n.id);
      const size = sizeOf(n.id);
      // dagre gives centres; the document stores top-left corners, snapped to the grid.
      const p = { x: snap(laid.x - size.width / 2), y: snap(laid.y - size.height / 2) };
      positions[n.id] = p;
      graphBottom = Math.max(graphBottom, p.y + size.height);
      graphWidth = Math.max(graphWidth, p.x + size.width);
    }
  }
  const loose = doc.nodes.filter((n) => !linked.has(n.id));
  if (loose.length === 0) return positions;
  // Rows as wide as the connected graph (or roughly square when there is none), in document order.
  const cell = { width: Math.max(...loose.map((n) => sizeOf(n.id).width)) + GAP.x };
  const perRow = linked.size > 0 ? Math.max(1, Math.floor((graphWidth - 20 + GAP.x) / cell.width)) : Math.max(1, Math.ceil(Math.sqrt(loose.length * 1.5)));
  let y = linked.size > 0 ? snap(graphBottom + GAP.y * 2) : 20;
  for (let start = 0; start < loose.length; start += perRow) {
    const row = loose.slice(start, start + perRow);
    row.forEach((n, i) => (positions[n.id] = { x: 20 + i * cell.width, y }));
    y = snap(y + Math.max(...row.map((n) => sizeOf(n.id).height)) + GAP.y);
  }
  return positions;
}
