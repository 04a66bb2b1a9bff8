/** Every few seconds, a dirty document goes to the back end's recovery store (restored after a crash). */
import { api } from '../api/client.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { isDirty } from '../store/documentSlice.ts';
import { appStore } from '../store/index.ts';

export const AUTOSAVE_MS = 3000;

export function startAutosave(intervalMs = AUTOSAVE_MS): () => void {
  let saved: PipelineDocument | null = null;
  let busy = false;
  const tick = async () => {
    const state = appStore.getState();
    if (busy || !isDirty(state) || state.doc === saved) return;
    busy = true;
    const doc = state.doc;
    try {
      await api.saveRecovery({ draftId: state.draftId, path: state.filePath, name: doc.name, document: doc });
      saved = doc;
    } catch {
      // The next tick tries again; a failing back end is reported by the actions the user takes.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  return () => clearInterval(timer);
}
