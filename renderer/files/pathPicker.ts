/** Asks the user for a path: the native dialog on the desktop, the app's own file dialog in browser mode. */
import { api } from '../api/client.ts';
import { appStore } from '../store/index.ts';

export type PickMode = 'open' | 'save' | 'export';

let pending: ((path: string | null) => void) | null = null;

/** Called by the app-rendered FileDialog when the user picks (or cancels). */
export function resolvePick(path: string | null): void {
  const resolve = pending;
  pending = null;
  appStore.getState().closeDialog();
  resolve?.(path);
}

export async function pickPath(mode: PickMode, suggestedName = ''): Promise<string | null> {
  if (appStore.getState().session?.nativeDialogs) {
    if (mode === 'open') return api.showOpenDialog();
    if (mode === 'save') return api.showSaveDialog(suggestedName);
    return api.showFolderDialog();
  }
  pending?.(null);
  return new Promise((resolve) => {
    pending = resolve;
    appStore.getState().openDialog({ kind: 'file', mode, suggestedName });
  });
}
