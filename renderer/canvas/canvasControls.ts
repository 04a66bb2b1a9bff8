/** The live React Flow instance, for commands (fit view, zoom, where to put a new node). */
import type { ReactFlowInstance } from '@xyflow/react';
import type { Position } from '../../shared/pipeline/types.ts';
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

export function zoomIn(): void {
  void instance?.zoomIn({ duration: 150 });
}

export function zoomOut(): void {
  void instance?.zoomOut({ duration: 150 });
}

/** Where a node added from the palette by keyboard goes: the free spot nearest the middle of the view. */
export function nextPlacement(taken: readonly Position[]): Position {
  let centre = { x: 80, y: 80 };
  if (instance && paneElement) {
    const rect = paneElement.getBoundingClientRect();
    centre = instance.screenToFlowPosition({ x: rect.left + rect.width / 2 - 115, y: rect.top + rect.height / 2 - 80 });
  }
  return freeSpot(centre, taken);
}

const CELL = { width: 270, height: 210 };

/** The grid cell nearest `centre` (rings outward) whose area no node's top-left corner falls into. */
export function freeSpot(centre: Position, taken: readonly Position[]): Position {
  const snap = (v: number) => Math.round(v / 10) * 10;
  const free = (p: Position) => taken.every((t) => Math.abs(t.x - p.x) >= CELL.width - 20 || Math.abs(t.y - p.y) >= CELL.height - 20);
  for (let ring = 0; ring < 8; ring++) {
    for (let dy = -ring; dy <= ring; dy++) {
      for (let dx = -ring; dx <= ring; dx++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const p = { x: snap(centre.x + dx * CELL.width), y: snap(centre.y + dy * CELL.height) };
        if (free(p)) return p;
      }
    }
  }
  return { x: snap(centre.x), y: snap(centre.y) };
}

/** Measured size of a node on screen, for the layout. */
export function nodeSize(id: string): Size | undefined {
  const node = instance?.getInternalNode(id);
  const w = node?.measured.width;
  const h = node?.measured.height;
  return w && h ? { width: w, height: h } : undefined;
}
