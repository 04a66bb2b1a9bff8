/**
 * Which side panels are open, and focus mode (both side panels hidden and the bottom panel folded, the
 * canvas alone; leaving it puts back what was open). Kept per browser in local storage: view state, not a
 * document or a back-end setting.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from '../store/types.ts';

export interface PanelsShown {
  palette: boolean;
  inspector: boolean;
  bottom: boolean;
}

export interface LayoutSlice {
  paletteOpen: boolean;
  inspectorOpen: boolean;
  /** In focus mode: what was open before it, put back when it ends. */
  focusSaved: PanelsShown | null;
  setPaletteOpen(open: boolean): void;
  setInspectorOpen(open: boolean): void;
  togglePalette(): void;
  toggleInspector(): void;
  toggleFocusMode(): void;
  /** Leaves focus mode; false when it was not on. */
  exitFocusMode(): boolean;
}

export const LAYOUT_STORAGE_KEY = 'pipewright.layout';

/** The panels to start with: what local storage remembers, else both open. Junk in storage counts as nothing. */
export function readStoredLayout(storage: Pick<Storage, 'getItem'> | undefined): { paletteOpen: boolean; inspectorOpen: boolean } {
  const fallback = { paletteOpen: true, inspectorOpen: true };
  try {
    const raw = storage?.getItem(LAYOUT_STORAGE_KEY);
    if (!raw) return fallback;
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return fallback;
    const { palette, inspector } = parsed as Record<string, unknown>;
    return { paletteOpen: typeof palette === 'boolean' ? palette : true, inspectorOpen: typeof inspector === 'boolean' ? inspector : true };
  } catch {
    return fallback;
  }
}

/** What is remembered: in focus mode, the panels as they were before it (focus mode itself is not kept). */
export function storedLayoutOf(state: Pick<LayoutSlice, 'paletteOpen' | 'inspectorOpen' | 'focusSaved'>): string {
  const shown = state.focusSaved ?? { palette: state.paletteOpen, inspector: state.inspectorOpen };
  return JSON.stringify({ palette: shown.palette, inspector: shown.inspector });
}

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export const createLayoutSlice: StateCreator<AppState, [], [], LayoutSlice> = (set, get) => ({
  ...readStoredLayout(browserStorage()),
  focusSaved: null,
  setPaletteOpen: (paletteOpen) => set({ paletteOpen, focusSaved: null }),
  setInspectorOpen: (inspectorOpen) => set({ inspectorOpen, focusSaved: null }),
  togglePalette: () => get().setPaletteOpen(!get().paletteOpen),
  toggleInspector: () => get().setInspectorOpen(!get().inspectorOpen),
  toggleFocusMode() {
    if (get().exitFocusMode()) return;
    const s = get();
    set({ focusSaved: { palette: s.paletteOpen, inspector: s.inspectorOpen, bottom: s.bottomOpen }, paletteOpen: false, inspectorOpen: false, bottomOpen: false });
  },
  exitFocusMode() {
    const saved = get().focusSaved;
    if (!saved) return false;
    set({ focusSaved: null, paletteOpen: saved.palette, inspectorOpen: saved.inspector, bottomOpen: saved.bottom });
    return true;
  },
});

/**
 * Writes the panels to local storage whenever they change, and shows the inspector when something asks
 * it to focus a field (a Problems entry). Returns the unsubscribe function.
 */
export function startLayoutSync(store: { subscribe(listener: (state: AppState, previous: AppState) => void): () => void }): () => void {
  const storage = browserStorage();
  return store.subscribe((state, previous) => {
    if (state.focusField !== previous.focusField && state.focusField && !state.inspectorOpen) {
      state.exitFocusMode();
      state.setInspectorOpen(true);
      return;
    }
    if (!storage) return;
    if (state.paletteOpen === previous.paletteOpen && state.inspectorOpen === previous.inspectorOpen && state.focusSaved === previous.focusSaved) return;
    try {
      storage.setItem(LAYOUT_STORAGE_KEY, storedLayoutOf(state));
    } catch {
      // Storage full or refused (private mode): the layout simply is not remembered.
    }
  });
}
