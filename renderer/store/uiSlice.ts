/** Session and view state: theme, language, panels, dialogs, the status line. Never undone, never saved in the document. */
import type { StateCreator } from 'zustand';
import type { RecoveryEntry } from '../../shared/api/recovery.ts';
import type { AppState } from './types.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type LanguageChoice = 'system' | 'en' | 'ko';
export type OutputTarget = 'kfp' | 'argo' | 'dvc';
export type BottomTab = 'problems' | 'output' | 'code' | 'run' | 'runs';

/** A status-line message: an i18n key and its values, so it follows a language switch. */
export interface StatusMessage {
  id: number;
  kind: 'info' | 'error';
  key: string;
  values?: Record<string, string | number>;
}

export type DialogState =
  | { kind: 'help' }
  | { kind: 'settings'; section?: 'general' | 'clusters' }
  | { kind: 'run' }
  | { kind: 'new' }
  | { kind: 'blocked'; action: 'run' | 'export' }
  | { kind: 'open-error'; path: string; message: string; where?: string }
  | { kind: 'file'; mode: 'open' | 'save' | 'export'; suggestedName: string }
  | { kind: 'recovery'; entries: RecoveryEntry[] }
  | { kind: 'save-conflict'; path: string; message: string; saveAs: boolean }
  | { kind: 'confirm-discard'; then: 'new' | 'open' | 'open-recent'; path?: string }
  | { kind: 'about' }
  | { kind: 'schedules' };

/** Where the renderer runs, learnt from the back end at start-up. */
export interface SessionInfo {
  mode: 'desktop' | 'browser';
  nativeDialogs: boolean;
  homeDir: string;
  pathSeparator: '/' | '\\';
  version: string;
}

export interface UiSlice {
  theme: ThemeChoice;
  language: LanguageChoice;
  /** The language in effect (the choice resolved against the OS), for components that read text without hooks. */
  uiLang: 'en' | 'ko';
  bottomTab: BottomTab;
  bottomOpen: boolean;
  outputTarget: OutputTarget;
  snapToGrid: boolean;
  showMinimap: boolean;
  status: StatusMessage | null;
  dialog: DialogState | null;
  session: SessionInfo | null;
  setSession(session: SessionInfo): void;
  setTheme(theme: ThemeChoice): void;
  setLanguage(language: LanguageChoice): void;
  setUiLang(lang: 'en' | 'ko'): void;
  showBottom(tab: BottomTab): void;
  toggleBottom(): void;
  setOutputTarget(target: OutputTarget): void;
  setSnapToGrid(on: boolean): void;
  setShowMinimap(on: boolean): void;
  showStatus(kind: StatusMessage['kind'], key: string, values?: StatusMessage['values']): void;
  clearStatus(): void;
  openDialog(dialog: DialogState): void;
  closeDialog(): void;
}

let statusCounter = 0;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  theme: 'system',
  language: 'system',
  uiLang: 'en',
  bottomTab: 'problems',
  bottomOpen: true,
  outputTarget: 'kfp',
  snapToGrid: true,
  showMinimap: true,
  status: null,
  dialog: null,
  session: null,
  setSession: (session) => set({ session }),
  setTheme: (theme) => set({ theme }),
  setLanguage: (language) => set({ language }),
  setUiLang: (uiLang) => set({ uiLang }),
  showBottom: (bottomTab) => set({ bottomTab, bottomOpen: true }),
  toggleBottom: () => set({ bottomOpen: !get().bottomOpen }),
  setOutputTarget: (outputTarget) => set({ outputTarget }),
  setSnapToGrid: (snapToGrid) => set({ snapToGrid }),
  setShowMinimap: (showMinimap) => set({ showMinimap }),
  showStatus: (kind, key, values) => set({ status: { id: ++statusCounter, kind, key, ...(values ? { values } : {}) } }),
  clearStatus: () => set({ status: null }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
});
