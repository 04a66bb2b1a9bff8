/** Document → React Flow elements, reusing each element object while its inputs stay the same. */
import type { Edge, Node } from '@xyflow/react';
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { nodePorts } from '../../shared/pipeline/resolve.ts';
import type { PipelineEdge, PipelineNode, PortKind } from '../../shared/pipeline/types.ts';

export type PipelineNodeData = { node: PipelineNode };
export type PipelineFlowNode = Node<PipelineNodeData, 'pipeline'>;
export type PipelineFlowEdge = Edge<{ kind: PortKind | 'unknown' }>;

export interface Size {
  width: number;
  height: number;
}

interface NodeEntry {
  source: PipelineNode;
  selected: boolean;
  measured: Size | undefined;
  flow: PipelineFlowNode;
}

interface EdgeEntry {
  source: PipelineEdge;
  selected: boolean;
  kind: PortKind | 'unknown';
  hidden: boolean;
  flow: PipelineFlowEdge;
}

/** Keeps one React Flow object per node and edge id; only changed inputs make new objects. */
export class FlowElementCache {
  private nodes = new Map<string, NodeEntry>();
  private edges = new Map<string, EdgeEntry>();
  private lastEdgeInputs: { edges: readonly PipelineEdge[]; nodes: readonly PipelineNode[]; selected: ReadonlySet<string>; overview: boolean; out: PipelineFlowEdge[] } | null = null;

  flowNodes(nodes: readonly PipelineNode[], selected: ReadonlySet<string>, measured: ReadonlyMap<string, Size>): PipelineFlowNode[] {
    const next = new Map<string, NodeEntry>();
    const out = nodes.map((n) => {
      const isSelected = selected.has(n.id);
      const size = measured.get(n.id);
      const old = this.nodes.get(n.id);
      const entry =
        old && old.source === n && old.selected === isSelected && old.measured === size
          ? old
          : {
              source: n,
              selected: isSelected,
              measured: size,
              flow: { id: n.id, type: 'pipeline' as const, position: n.position, data: { node: n }, selected: isSelected, ...(size ? { measured: size } : {}) },
            };
      next.set(n.id, entry);
      return entry.flow;
    });
    this.nodes = next;
    return out;
  }

  /**
   * With `overview` (a large pipeline far out), unselected edges are hidden from React Flow: EdgeOverview draws
   * them as one picture instead.
   */
  flowEdges(edges: readonly PipelineEdge[], nodes: readonly PipelineNode[], catalog: NodeCatalog, selected: ReadonlySet<string>, overview = false): PipelineFlowEdge[] {
    // A drag changes only positions: keep the very same edge array so React Flow has nothing to redo.
    const last = this.lastEdgeInputs;
    if (last && last.edges === edges && last.overview === overview && sameSet(last.selected, selected) && samePorts(last.nodes, nodes)) {
      last.nodes = nodes;
      return last.out;
    }
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const next = new Map<string, EdgeEntry>();
    const out = edges.map((e) => {
      const kind = sourceKind(e, byId, catalog);
      const isSelected = selected.has(e.id);
      const hidden = overview && !isSelected;
      const old = this.edges.get(e.id);
      const entry =
        old && old.source === e && old.selected === isSelected && old.kind === kind && old.hidden === hidden
          ? old
          : {
              source: e,
              selected: isSelected,
              kind,
              hidden,
              flow: {
                id: e.id,
                source: e.source,
                sourceHandle: e.sourceHandle,
                target: e.target,
                targetHandle: e.targetHandle,
                selected: isSelected,
                className: `edge-kind-${kind}`,
                data: { kind },
                ...(hidden ? { hidden } : {}),
              },
            };
      next.set(e.id, entry);
      return entry.flow;
    });
    this.edges = next;
    this.lastEdgeInputs = { edges, nodes, selected, overview, out };
    return out;
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const v of a) if (!b.has(v)) return false;
  return true;
}

/** Same nodes with the same types and declared ports (what edge colours depend on). */
function samePorts(a: readonly PipelineNode[], b: readonly PipelineNode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && (a[i].id !== b[i].id || a[i].type !== b[i].type || a[i].interface !== b[i].interface)) return false;
  }
  return true;
}

function sourceKind(e: PipelineEdge, byId: ReadonlyMap<string, PipelineNode>, catalog: NodeCatalog): PortKind | 'unknown' {
  const node = byId.get(e.source);
  const spec = node && catalog.get(node.type);
  if (!node || !spec) return 'unknown';
  return nodePorts(node, spec).outputs.find((p) => p.name === e.sourceHandle)?.kind ?? 'unknown';
}
