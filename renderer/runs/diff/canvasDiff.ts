/**
 * The graph diff of a run against the current document, marked on the main canvas: nodes added since the
 * run (green) and changed (amber, with the fields), and the nodes removed since named in a banner. Kept
 * apart from the document store: it is a view, never part of the document or its undo history.
 */
import { createStore, useStore } from 'zustand';
import type { RunDiff } from '../../../shared/runs/diff/types.ts';
import { appStore } from '../../store/index.ts';

export interface CanvasDiff {
  /** The run the document is compared with. */
  runId: string;
  /** Node id -> change, for nodes the document has that differ from the run. */
  nodes: Record<string, { change: 'added' | 'changed'; fields: string[] }>;
  removed: string[];
}

export const canvasDiffStore = createStore<{ diff: CanvasDiff | null }>(() => ({ diff: null }));

// Another document loaded (New, Open, a run opened): the marks belonged to the one before.
appStore.subscribe((s, prev) => {
  if (s.loadId !== prev.loadId && canvasDiffStore.getState().diff) canvasDiffStore.setState({ diff: null });
});

/** Marks `diff` (A: a run, B: the current document) on the canvas. */
export function showDiffOnCanvas(diff: RunDiff): void {
  const nodes: CanvasDiff['nodes'] = {};
  for (const n of diff.graph.nodes) if (n.change === 'added' || n.change === 'changed') nodes[n.nodeId] = { change: n.change, fields: n.fields };
  canvasDiffStore.setState({ diff: { runId: diff.a.label, nodes, removed: diff.graph.nodes.filter((n) => n.change === 'removed').map((n) => n.nodeId) } });
}

export function clearCanvasDiff(): void {
  canvasDiffStore.setState({ diff: null });
}

export function useCanvasDiff(): CanvasDiff | null {
  return useStore(canvasDiffStore, (s) => s.diff);
}

/** `added`, `changed` or '' for one node card (a string, so a card re-renders only when its own mark changes). */
export function useNodeDiffMark(nodeId: string): string {
  return useStore(canvasDiffStore, (s) => s.diff?.nodes[nodeId]?.change ?? '');
}
