/** Undo history of document changes only: diffs replayed between marks (one mark per user gesture). */
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { DocumentDiff } from './diff.ts';
import { applyDiff, diffDocuments, isEmptyDiff, reverseDiff } from './diff.ts';

export const HISTORY_LIMIT = 200;

export interface HistoryState {
  /** The document at the last mark; edits since then form the pending step. */
  base: PipelineDocument;
  undo: DocumentDiff[];
  redo: DocumentDiff[];
}

export function createHistory(doc: PipelineDocument): HistoryState {
  return { base: doc, undo: [], redo: [] };
}

/** Closes the pending step: everything since the last mark becomes one undo entry. */
export function markHistory(history: HistoryState, doc: PipelineDocument): HistoryState {
  if (history.base === doc) return history;
  const diff = diffDocuments(history.base, doc);
  if (isEmptyDiff(diff)) return { ...history, base: doc };
  return { base: doc, undo: [...history.undo, diff].slice(-HISTORY_LIMIT), redo: [] };
}

export function canUndo(history: HistoryState, doc: PipelineDocument): boolean {
  return history.undo.length > 0 || history.base !== doc;
}

export function canRedo(history: HistoryState, doc: PipelineDocument): boolean {
  return history.redo.length > 0 && history.base === doc;
}

export function undoHistory(history: HistoryState, doc: PipelineDocument): { history: HistoryState; doc: PipelineDocument } {
  const marked = markHistory(history, doc);
  const diff = marked.undo.at(-1);
  if (!diff) return { history: marked, doc };
  const restored = applyDiff(doc, reverseDiff(diff));
  return { history: { base: restored, undo: marked.undo.slice(0, -1), redo: [...marked.redo, diff] }, doc: restored };
}

export function redoHistory(history: HistoryState, doc: PipelineDocument): { history: HistoryState; doc: PipelineDocument } {
  const marked = markHistory(history, doc);
  const diff = marked.redo.at(-1);
  if (!diff) return { history: marked, doc };
  const replayed = applyDiff(doc, diff);
  return { history: { base: replayed, undo: [...marked.undo, diff], redo: marked.redo.slice(0, -1) }, doc: replayed };
}
