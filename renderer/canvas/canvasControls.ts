/** The live React Flow instance, for commands (fit view, zoom, where to put a new node). */
import { getViewportForBounds } from '@xyflow/react';
import type { ReactFlowInstance } from '@xyflow/react';
import type { PipelineDocument, Position } from '../../shared/pipeline/types.ts';
import { DEFAULT_NODE_SIZE } from '../document/layout.ts';
import type { PipelineFlowEdge, PipelineFlowNode, Size } from './flowElements.ts';

type Instance = ReactFlowInstance<PipelineFlowNode, PipelineFlowEdge>;

let instance: Instance | null = null;
let paneElement: HTMLElement | null = null;

export function setFlowInstance(next: Instance | null, pane: HTMLElement | null): void {
  instance = next;
  paneElement = pane;
}

export function fitView(): void {
  void instance?.fitView({ padding: 0.15, duration: 200 });
}

/**
 * Fits the view to a document from its positions alone, before its nodes render: they then mount at the
 * zoom they will be seen at (a large pipeline mounts as light, far-zoom cards, not detailed ones first).
 */
export function fitToDocument(doc: Pick<PipelineDocument, 'nodes'>): void {
  if (!instance || !paneElement || doc.nodes.length === 0) return;
  const xs = doc.nodes.map((n) => n.position.x);
  const ys = doc.nodes.map((n) => n.position.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  const bounds = { x, y, width: Math.max(...xs) + DEFAULT_NODE_SIZE.width - x, height: Math.max(...ys) + DEFAULT_NODE_SIZE.height - y };
  const rect = paneElement.getBoundingClientRect();
  void instance.setViewport(getViewportForBounds(bounds, rect.width, rect.height, 0.05, 1, 0.15));
}

export function setViewport(viewport: { x: number; y: number; zoom: number }): void {
  void instance?.setViewport(viewport);
}

export function zoomIn(): void {
  void instance?.zoomIn({ duration: 150 });
}

export function zoomOut(): void {
  void instance?.zoomOut({ duration: 150 });
}

/** Where a node added from the palette by keyboard goes: the free spot nearest the middle of the view. */
export function nextPlacement(taken: readonly Position[]): Position {
  if (!instance || !paneElement) return freeSpot({ x: 80, y: 80 }, taken, () => true);
  const rect = paneElement.getBoundingClientRect();
  const centre = instance.screenToFlowPosition({ x: rect.left + rect.width / 2 - 115, y: rect.top + rect.height / 3 - 60 });
  const flow = instance;
  const visible = (p: Position) => {
    const a = flow.flowToScreenPosition(p);
    const b = flow.flowToScreenPosition({ x: p.x + 230, y: p.y + 150 });
    return a.x >= rect.left && a.y >= rect.top && b.x <= rect.right && b.y <= rect.bottom;
  };
  return freeSpot(centre, taken, visible);
}

const CELL = { width: 270, height: 210 };

/**
 * The grid cell near `centre` that no node's top-left corner falls into, preferring cells on screen,
 * then to the right and below (the direction a pipeline grows).
 */
export function freeSpot(centre: Position, taken: readonly Position[], visible: (p: Position) => boolean): Position {
  const snap = (v: number) => Math.round(v / 10) * 10;
  const free = (p: Position) => taken.every((t) => Math.abs(t.x - p.x) >= CELL.width - 20 || Math.abs(t.y - p.y) >= CELL.height - 20);
  let best: Position | null = null;
  let bestCost = Infinity;
  for (let dy = -4; dy <= 4; dy++) {
    for (let dx = -4; dx <= 4; dx++) {
      const p = { x: snap(centre.x + dx * CELL.width), y: snap(centre.y + dy * CELL.height) };
      if (!free(p)) continue;
      const cost = Math.abs(dx) + Math.abs(dy) * 1.2 + (dy < 0 ? 0.5 : 0) + (dx < 0 ? 0.3 : 0) + (visible(p) ? 0 : 100);
      if (cost < bestCost) {
        best = p;
        bestCost = cost;
      }
    }
  }
  return best ?? { x: snap(centre.x), y: snap(centre.y) };
}

/** Measured size of a node on screen, for the layout. */
export function nodeSize(id: string): Size | undefined {
  const node = instance?.getInternalNode(id);
  const w = node?.measured.width;
  const h = node?.measured.height;
  return w && h ? { width: w, height: h } : undefined;
}
