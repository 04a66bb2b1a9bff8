/** Autosave to recovery files, and restoring them after a crash. */
import type { PipelineDocument } from '../pipeline/types.ts';

export interface RecoveryDraft {
  /** Chosen by the renderer for one open document: letters, digits, '-' and '_', at most 64. */
  draftId: string;
  /** The file the document belongs to; null for a document never saved. */
  path: string | null;
  /** What to call it in the restore offer. */
  name: string;
  document: PipelineDocument;
  /**
   * The window or tab autosaving it (random per page load). The draft counts as live while that
   * session is connected, and is offered for restore as soon as it is gone (a reload, a closed tab).
   */
  session?: string;
}

export interface RecoveryEntry {
  draftId: string;
  path: string | null;
  name: string;
  /** ISO time of the last autosave. */
  savedAt: string;
  /** Set when the draft was written by a newer Pipewright: it is listed, kept, and cannot be restored here. */
  newerFormat?: string;
}

export interface RecoveredDraft extends RecoveryEntry {
  document: PipelineDocument;
}

export interface RecoveryApi {
  /** Called every few seconds with the dirty document; overwrites the previous autosave of this draft. */
  saveRecovery(draft: RecoveryDraft): Promise<void>;
  /** Called after a successful save or when the user discards the document. */
  discardRecovery(draftId: string): Promise<void>;
  /**
   * Drafts left behind (a crash, a reload, a closed tab), newest first. A draft another window, tab
   * or Pipewright instance is still editing is not listed, nor is an untitled one without content.
   */
  listRecovery(): Promise<RecoveryEntry[]>;
  /**
   * The full draft; it stays on disk until discarded (so a second crash loses nothing). With a
   * session, that window or tab takes it over (no other one is offered it while it is open).
   */
  restoreRecovery(draftId: string, session?: string): Promise<RecoveredDraft>;
}

/** A document not worth a restore offer when it has no file: nothing in it but a name. */
export function isBlankDocument(doc: PipelineDocument): boolean {
  const settings = doc.settings ?? {};
  return (
    doc.nodes.length === 0 &&
    doc.edges.length === 0 &&
    !doc.description &&
    ((doc as { parameters?: unknown[] }).parameters?.length ?? 0) === 0 &&
    Object.values(settings).every((value) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
  );
}
