/** What the run diff view draws, from the diff model: overlaid curves as chart data, and the union graph with each node's change. */
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import type { Change, CurveSet, RunDiff } from '../../../shared/runs/diff/types.ts';
import type { ChartData } from '../metricCharts.ts';

/** The curves of all runs on one step axis (the union of their steps); a run without a step has a gap there. */
export function curveChartData(set: CurveSet): ChartData {
  const steps = [...new Set(set.series.flatMap((s) => s.steps))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  return {
    steps,
    series: set.series.map((s) => {
      const values: (number | null)[] = steps.map(() => null);
      s.steps.forEach((step, i) => (values[index.get(step)!] = Number.isFinite(s.values[i]) ? s.values[i] : null));
      return { key: s.label, values };
    }),
  };
}

export interface DiffGraphNode {
  id: string;
  type: string;
  label: string;
  x: number;
  y: number;
  change: Change;
  fields: string[];
}

export interface DiffGraphEdge {
  id: string;
  source: string;
  target: string;
  change: Change;
}

/** Every node of either side where B has it (else where A had it), and every edge, each with its change. */
export function diffGraphLayout(diff: RunDiff, a: PipelineDocument, b: PipelineDocument): { nodes: DiffGraphNode[]; edges: DiffGraphEdge[] } {
  const where = new Map([...a.nodes, ...b.nodes].map((n) => [n.id, n]));
  const nodes = diff.graph.nodes.map((c) => {
    const n = where.get(c.nodeId)!;
    return { id: c.nodeId, type: c.type, label: n.label ?? c.nodeId, x: n.position.x, y: n.position.y, change: c.change, fields: c.fields };
  });
  const edges = diff.graph.edges.map((e) => ({ id: e.key, source: e.source, target: e.target, change: e.change }));
  return { nodes, edges };
}
