/** The open document, its file, and its undo history (document changes only). */
import type { StateCreator } from 'zustand';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { DocumentChange } from '../document/changes.ts';
import { reduceDocumentAll } from '../document/changes.ts';
import { sameDocument } from '../document/diff.ts';
import type { HistoryState } from '../document/history.ts';
import { createHistory, markHistory, redoHistory, undoHistory } from '../document/history.ts';
import { emptyDocument } from '../document/newNode.ts';
import type { AppState } from './types.ts';

export interface DocumentSlice {
  doc: PipelineDocument;
  /** Where the document lives; null until saved. */
  filePath: string | null;
  /** The file's modification time when opened or last saved (the back end refuses to overwrite newer changes). */
  fileMtimeMs: number | null;
  /** Names this document's autosave draft in the recovery store. */
  draftId: string;
  /** The document as last saved or opened, for the dirty marker. */
  savedDoc: PipelineDocument;
  history: HistoryState;
  /** Counts documents loaded (New, Open, restore): the canvas fits its view to each new one. */
  loadId: number;
  /** Applies changes; `mark: false` keeps them in the pending gesture (a drag in progress). */
  dispatch(changes: DocumentChange | readonly DocumentChange[], options?: { mark?: boolean }): void;
  /** Ends the current gesture: its changes become one undo step. */
  markGesture(): void;
  undo(): void;
  redo(): void;
  /** Replaces the document (New, Open, restore): history, selection and run view start over. */
  loadDocument(doc: PipelineDocument, filePath: string | null, options?: { dirty?: boolean; mtimeMs?: number; draftId?: string }): void;
  markSaved(filePath: string, mtimeMs: number, doc?: PipelineDocument): void;
}

function newDraftId(): string {
  return `draft-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function isDirty(state: Pick<DocumentSlice, 'doc' | 'savedDoc'>): boolean {
  return !sameDocument(state.doc, state.savedDoc);
}

/** Drops selected ids that no longer exist after an edit. */
function prunedSelection(state: AppState, doc: PipelineDocument): Partial<AppState> {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const nodes = state.selectedNodeIds.filter((id) => nodeIds.has(id));
  const edges = state.selectedEdgeIds.filter((id) => edgeIds.has(id));
  const out: Partial<AppState> = {};
  if (nodes.length !== state.selectedNodeIds.length) out.selectedNodeIds = nodes;
  if (edges.length !== state.selectedEdgeIds.length) out.selectedEdgeIds = edges;
  return out;
}

export const createDocumentSlice: StateCreator<AppState, [], [], DocumentSlice> = (set, get) => {
  const initial = emptyDocument();
  return {
    doc: initial,
    filePath: null,
    fileMtimeMs: null,
    draftId: newDraftId(),
    savedDoc: initial,
    history: createHistory(initial),
    loadId: 0,
    dispatch(changes, options) {
      const state = get();
      const list = Array.isArray(changes) ? changes : [changes as DocumentChange];
      const doc = reduceDocumentAll(state.doc, list);
      const mark = options?.mark ?? true;
      if (doc === state.doc) {
        if (mark) set({ history: markHistory(state.history, doc) });
        return;
      }
      set({ doc, ...(mark ? { history: markHistory(state.history, doc) } : {}), ...prunedSelection(state, doc) });
    },
    markGesture() {
      const { history, doc } = get();
      const next = markHistory(history, doc);
      if (next !== history) set({ history: next });
    },
    undo() {
      const state = get();
      const { history, doc } = undoHistory(state.history, state.doc);
      set({ history, doc, ...prunedSelection(state, doc) });
    },
    redo() {
      const state = get();
      const { history, doc } = redoHistory(state.history, state.doc);
      set({ history, doc, ...prunedSelection(state, doc) });
    },
    loadDocument(doc, filePath, options) {
      set({
        doc,
        filePath,
        fileMtimeMs: options?.mtimeMs ?? null,
        draftId: options?.draftId ?? newDraftId(),
        savedDoc: options?.dirty ? emptyDocument() : doc,
        history: createHistory(doc),
        loadId: get().loadId + 1,
        selectedNodeIds: [],
        selectedEdgeIds: [],
        focusField: null,
        fieldDrafts: {},
        runView: {},
      });
      // The previous document's unsaved field drafts leave Problems at once.
      get().setProblems(get().validatorProblems);
    },
    markSaved(filePath, mtimeMs, doc) {
      set({ filePath, fileMtimeMs: mtimeMs, savedDoc: doc ?? get().doc });
    },
  };
};
