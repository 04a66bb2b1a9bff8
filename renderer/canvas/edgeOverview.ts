/**
 * Far out (a large pipeline below TEXT_ZOOM), connections are drawn as one picture: one SVG path per port
 * kind, the same bezier curves between the same ports as React Flow's edges. React Flow puts every edge in
 * an <svg> of its own; a thousand of them cost more to paint and layerize on each drag frame than the drag
 * itself. Each connection's curve is kept until one of its two nodes changes, so a drag recomputes the
 * dragged node's connections only.
 */
import { getBezierPath, Position } from '@xyflow/react';
import type { InternalNode } from '@xyflow/react';
import type { PipelineFlowEdge } from './flowElements.ts';
import { EdgeHitIndex } from './edgeHitIndex.ts';

export type EdgeKind = NonNullable<PipelineFlowEdge['data']>['kind'];

interface Handle {
  id?: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a connection meets a port: the middle of the handle's outer side (right for outputs, left for inputs). */
function portPoint(node: InternalNode, handleId: string | null | undefined, type: 'source' | 'target'): { x: number; y: number } | null {
  const handles = (type === 'source' ? node.internals.handleBounds?.source : node.internals.handleBounds?.target) as Handle[] | null | undefined;
  const handle = handles?.find((h) => (h.id ?? null) === (handleId ?? null)) ?? (handleId ? undefined : handles?.[0]);
  if (!handle) return null;
  const { x, y } = node.internals.positionAbsolute;
  return { x: x + handle.x + (type === 'source' ? handle.width : 0), y: y + handle.y + handle.height / 2 };
}

/** React Flow's curve for a connection, or null while a port is not measured. */
function bezier(e: PipelineFlowEdge, source: InternalNode, target: InternalNode): string | null {
  const from = portPoint(source, e.sourceHandle, 'source');
  const to = portPoint(target, e.targetHandle, 'target');
  if (!from || !to) return null;
  return getBezierPath({ sourceX: from.x, sourceY: from.y, sourcePosition: Position.Right, targetX: to.x, targetY: to.y, targetPosition: Position.Left })[0];
}

/** The curves of the connections React Flow draws itself (far out: the selected ones), as one path. */
export function shownPaths(edges: readonly PipelineFlowEdge[], lookup: ReadonlyMap<string, InternalNode>): string {
  let d = '';
  for (const e of edges) {
    if (e.hidden) continue;
    const source = lookup.get(e.source);
    const target = lookup.get(e.target);
    d += (source && target && bezier(e, source, target)) || '';
  }
  return d;
}

interface Curve {
  source: InternalNode;
  target: InternalNode;
  kind: EdgeKind;
  d: string;
}

export interface OverviewPaths {
  /** Kind -> path data of the connections between nodes that stay put. */
  still: Map<EdgeKind, string>;
  /** Kind -> path data of the connections of the nodes being dragged. */
  moving: Map<EdgeKind, string>;
}

const NONE: ReadonlySet<string> = new Set();

function joinByKind(list: readonly Curve[]): Map<EdgeKind, string> {
  const parts = new Map<EdgeKind, string[]>();
  for (const curve of list) {
    const strings = parts.get(curve.kind) ?? [];
    strings.push(curve.d);
    parts.set(curve.kind, strings);
  }
  return new Map([...parts].map(([kind, strings]) => [kind, strings.join('')] as const));
}

/**
 * Per-kind path data for the connections, reusing each curve while both its nodes are the same objects. The
 * connections of the nodes being dragged are a picture of their own, so a drag frame rewrites (and Chromium
 * re-reads and repaints) only those few curves, not the whole picture.
 */
export class EdgeOverviewCache {
  private curves = new Map<string, Curve>();
  private last: { edges: readonly PipelineFlowEdge[]; version: unknown; moving: ReadonlySet<string>; out: OverviewPaths } | null = null;
  private still: { list: Curve[]; paths: Map<EdgeKind, string> } | null = null;
  private index: { curves: Map<string, Curve>; index: EdgeHitIndex } | null = null;

  /**
   * `version` changes whenever a node moved or changed size (React Flow's nodes array): with the same edges,
   * version and moving nodes, the last answer, unless a connection was left out for want of its ports' measurements.
   */
  paths(edges: readonly PipelineFlowEdge[], lookup: ReadonlyMap<string, InternalNode>, version: unknown = {}, moving: ReadonlySet<string> = NONE): OverviewPaths {
    const last = this.last;
    if (last && last.edges === edges && last.version === version && last.moving === moving) return last.out;
    const next = new Map<string, Curve>();
    const still: Curve[] = [];
    const movingList: Curve[] = [];
    let complete = true;
    for (const e of edges) {
      // Selected connections stay React Flow's own (drawn highlighted, clickable).
      if (!e.hidden) continue;
      const source = lookup.get(e.source);
      const target = lookup.get(e.target);
      if (!source || !target) continue;
      const kind = e.data?.kind ?? 'unknown';
      const old = this.curves.get(e.id);
      let curve = old && old.source === source && old.target === target && old.kind === kind ? old : null;
      if (!curve) {
        const d = bezier(e, source, target);
        if (!d) {
          complete = false;
          continue;
        }
        curve = { source, target, kind, d };
      }
      next.set(e.id, curve);
      (moving.has(e.source) || moving.has(e.target) ? movingList : still).push(curve);
    }
    this.curves = next;
    const previous = this.still;
    const same = previous && previous.list.length === still.length && previous.list.every((curve, i) => curve === still[i]);
    if (!same) this.still = { list: still, paths: joinByKind(still) };
    const out = { still: this.still!.paths, moving: joinByKind(movingList) };
    this.last = complete ? { edges, version, moving, out } : null;
    return out;
  }

  /** The path data of a drawn connection. */
  curve(id: string): string | undefined {
    return this.curves.get(id)?.d;
  }

  /** The drawn connection nearest to a point in flow units, within `radius`: built once per picture, when first asked. */
  edgeAt(x: number, y: number, radius: number): string | null {
    if (this.index?.curves !== this.curves) this.index = { curves: this.curves, index: new EdgeHitIndex([...this.curves].map(([id, c]) => [id, c.d] as const)) };
    return this.index.index.nearest(x, y, radius);
  }
}
