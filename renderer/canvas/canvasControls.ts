/** The live React Flow instance, for commands (fit view, zoom, where to put a new node). */
import type { ReactFlowInstance } from '@xyflow/react';
import type { Position } from '../../shared/pipeline/types.ts';
import type { PipelineFlowEdge, PipelineFlowNode, Size } from './flowElements.ts';

type Instance = ReactFlowInstance<PipelineFlowNode, PipelineFlowEdge>;

let instance: Instance | null = null;
let paneElement: HTMLElement | null = null;
let placeCounter = 0;

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

/** Where a node added from the palette by keyboard goes: the middle of the view, staggered. */
export function nextPlacement(): Position {
  placeCounter = (placeCounter + 1) % 8;
  const shift = placeCounter * 24;
  if (!instance || !paneElement) return { x: 80 + shift, y: 80 + shift };
  const rect = paneElement.getBoundingClientRect();
  const p = instance.screenToFlowPosition({ x: rect.left + rect.width / 2 - 120 + shift, y: rect.top + rect.height / 2 - 60 + shift });
  return { x: Math.round(p.x / 10) * 10, y: Math.round(p.y / 10) * 10 };
}

/** Measured size of a node on screen, for the layout. */
export function nodeSize(id: string): Size | undefined {
  const node = instance?.getInternalNode(id);
  const w = node?.measured.width;
  const h = node?.measured.height;
  return w && h ? { width: w, height: h } : undefined;
}
