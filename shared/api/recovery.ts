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
}

export interface RecoveryEntry {
  draftId: string;
  path: string | null;
  name: string;
  /** ISO time of the last autosave. */
  savedAt: string;
}

export interface RecoveredDraft extends RecoveryEntry {
  document: PipelineDocument;
}

export interface RecoveryApi {
  /** Called every few seconds with the dirty document; overwrites the previous autosave of this draft. */
  saveRecovery(draft: RecoveryDraft): Promise<void>;
  /** Called after a successful save or when the user discards the document. */
  discardRecovery(draftId: string): Promise<void>;
  /** Drafts left behind by a session that ended without saving (a crash), newest first. */
  listRecovery(): Promise<RecoveryEntry[]>;
  /** The full draft; it stays on disk until discarded (so a second crash loses nothing). */
  restoreRecovery(draftId: string): Promise<RecoveredDraft>;
}
