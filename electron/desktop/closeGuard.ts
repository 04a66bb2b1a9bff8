/**
 * Asks before closing a window with unsaved changes. The renderer reports its document state; on
 * "Save" the shell asks it to save and closes once it reports a clean document.
 */
import type { DocumentState } from '../../shared/api/app.ts';

export type CloseChoice = 'save' | 'discard' | 'cancel';

export interface CloseGuardOptions {
  documentState(): DocumentState;
  /** Shows the native "unsaved changes" prompt. */
  ask(state: DocumentState): Promise<CloseChoice>;
  /** Tells the renderer to save (the `save-before-close` event). */
  requestSave(): void;
  /** Really closes the window (the next close event is let through). */
  close(): void;
}

export interface CloseGuard {
  /** Call from the window's `close` event; true means "prevent this close". */
  onClose(): boolean;
  /** Call whenever the renderer reports its state. */
  onDocumentState(state: DocumentState): void;
}

export function createCloseGuard(options: CloseGuardOptions): CloseGuard {
  let allowed = false;
  let asking = false;
  let waitingForSave = false;

  const closeNow = () => {
    allowed = true;
    options.close();
  };

  return {
    onClose() {
      if (allowed) return false;
      const state = options.documentState();
      if (!state.dirty) return false;
      if (!asking) {
        asking = true;
        void options.ask(state).then((choice) => {
          asking = false;
          if (choice === 'discard') closeNow();
          else if (choice === 'save') {
            waitingForSave = true;
            options.requestSave();
          }
        });
      }
      return true;
    },
    onDocumentState(state) {
      if (!waitingForSave) return;
      // A report after the save request: clean means saved; still dirty means the save was cancelled.
      waitingForSave = false;
      if (!state.dirty) closeNow();
    },
  };
}
