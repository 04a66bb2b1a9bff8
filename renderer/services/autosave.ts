/**
 * Every few seconds, a dirty document goes to the back end's recovery store (restored after a crash,
 * a reload or a closed tab). A document back to its saved state drops its draft; an untitled one
 * with nothing in it is never autosaved.
 */
import { api, clientSession, onConnectionStatus } from '../api/client.ts';
import { isBlankDocument } from '../../shared/api/recovery.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { isDirty } from '../store/documentSlice.ts';
import { appStore } from '../store/index.ts';

export const AUTOSAVE_MS = 3000;

export function startAutosave(intervalMs = AUTOSAVE_MS): () => void {
  /** What is on disk for which draft (null: no draft of ours there). */
  let saved: { draftId: string; doc: PipelineDocument } | null = null;
  let busy = false;
  const tick = async () => {
    const state = appStore.getState();
    if (busy) return;
    const doc = state.doc;
    const worthKeeping = isDirty(state) && !(state.filePath === null && isBlankDocument(doc));
    if (saved && (saved.draftId !== state.draftId || !worthKeeping)) {
      // Saved, undone to the saved state, or replaced by another document (whose New/Open discarded it).
      const stale = saved.draftId;
      saved = null;
      if (!worthKeeping && stale === state.draftId) await api.discardRecovery(stale).catch(() => undefined);
    }
    if (!worthKeeping || saved?.doc === doc) return;
    busy = true;
    try {
      await api.saveRecovery({ draftId: state.draftId, path: state.filePath, name: doc.name, document: doc, session: clientSession });
      saved = { draftId: state.draftId, doc };
    } catch {
      // The next tick tries again; a lost back end shows the disconnected banner.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  // Back after a lost connection (maybe a restarted back end): autosave again at once, to hold the draft.
  let lost = false;
  const stopStatus = onConnectionStatus((status) => {
    if (status === 'disconnected' || status === 'rejected') lost = true;
    if (status === 'connected' && lost) {
      lost = false;
      saved = null;
      void tick();
    }
  });
  return () => {
    clearInterval(timer);
    stopStatus();
  };
}
