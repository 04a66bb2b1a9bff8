/** What is selected on the canvas, and which inspector field should take focus. UI state: never undone. */
import type { StateCreator } from 'zustand';
import type { AppState } from './types.ts';

export interface FieldFocus {
  nodeId: string | null;
  /** A parameter name or a dotted field (`resources.gpus`, `settings.image`). */
  field: string;
  /** Changes on every request, so asking twice for the same field focuses it twice. */
  nonce: number;
}

export interface SelectionSlice {
  selectedNodeIds: string[];
  selectedEdgeIds: string[];
  focusField: FieldFocus | null;
  select(nodeIds: string[], edgeIds?: string[]): void;
  clearSelection(): void;
  /** Selects a node (or none, for pipeline settings) and asks the inspector to focus one field. */
  requestFocus(nodeId: string | null, field: string): void;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set, get) => ({
  selectedNodeIds: [],
  selectedEdgeIds: [],
  focusField: null,
  select(nodeIds, edgeIds = []) {
    const s = get();
    if (sameList(s.selectedNodeIds, nodeIds) && sameList(s.selectedEdgeIds, edgeIds)) return;
    set({ selectedNodeIds: nodeIds, selectedEdgeIds: edgeIds });
  },
  clearSelection() {
    get().select([], []);
  },
  requestFocus(nodeId, field) {
    set({
      selectedNodeIds: nodeId ? [nodeId] : [],
      selectedEdgeIds: [],
      focusField: { nodeId, field, nonce: (get().focusField?.nonce ?? 0) + 1 },
    });
  },
});
