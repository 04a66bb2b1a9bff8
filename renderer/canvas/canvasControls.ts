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

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pixels kept clear around a fitted pipeline. */
const FIT_MARGIN = 24;

/**
 * The padding (px per side) that fits `content` (flow units) in `pane` at the largest zoom without any
 * node under the overlays in the pane's bottom corners (zoom buttons, minimap): either keep a strip under
 * the pipeline clear of them, or keep the columns they stand in clear, whichever leaves the larger zoom.
 */
export function fitPadding(pane: { width: number; height: number }, content: { width: number; height: number }, overlays: readonly Rect[], maxZoom = 1) {
  const m = FIT_MARGIN;
  let bottom = m;
  let left = m;
  let right = m;
  for (const o of overlays) {
    bottom = Math.max(bottom, pane.height - o.y + 8);
    if (o.x + o.width / 2 < pane.width / 2) left = Math.max(left, o.x + o.width + 8);
    else right = Math.max(right, pane.width - o.x + 8);
  }
  const zoomFor = (p: { top: number; right: number; bottom: number; left: number }) =>
    Math.min(maxZoom, (pane.width - p.left - p.right) / Math.max(1, content.width), (pane.height - p.top - p.bottom) / Math.max(1, content.height));
  const underneath = { top: m, right: m, bottom, left: m };
  const beside = { top: m, right, bottom: m, left };
  return zoomFor(underneath) >= zoomFor(beside) ? underneath : beside;
}

/** The minimap and zoom buttons, in the pane's own coordinates. */
function overlayRects(): Rect[] {
  if (!paneElement) return [];
  const pane = paneElement.getBoundingClientRect();
  return [...paneElement.querySelectorAll('.react-flow__minimap, .react-flow__controls')].map((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left - pane.left, y: r.top - pane.top, width: r.width, height: r.height };
  });
}

function viewportFor(bounds: Rect) {
  const rect = paneElement!.getBoundingClientRect();
  const padding = fitPadding(rect, bounds, overlayRects());
  const px = { top: `${padding.top}px`, right: `${padding.right}px`, bottom: `${padding.bottom}px`, left: `${padding.left}px` } as const;
  return getViewportForBounds(bounds, rect.width, rect.height, 0.05, 1, px);
}

/** Fits the whole pipeline in view, clear of the minimap and the zoom buttons. */
export function fitView(duration = 200): void {
  if (!instance || !paneElement) return;
  const nodes = instance.getNodes();
  if (nodes.length === 0) return;
  void instance.setViewport(viewportFor(instance.getNodesBounds(nodes)), { duration });
}

/** Fits the view once the panels around the canvas have moved and React Flow has seen its new size. */
export function fitViewSoon(): void {
  setTimeout(fitView, 80);
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
  void instance.setViewport(viewportFor(bounds));
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
