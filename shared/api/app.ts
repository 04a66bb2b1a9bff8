/** What the renderer needs to know about where it runs, and what it tells the shell. */

export interface AppInfo {
  version: string;
  /** `desktop`: Electron with native dialogs and menus; `browser`: served on 127.0.0.1. */
  mode: 'desktop' | 'browser';
  /** Node's process.platform of the back end. */
  platform: string;
  /** Native open/save/folder dialogs exist (otherwise render the app's own, with listDirectory). */
  nativeDialogs: boolean;
  homeDir: string;
  /** Path separator of the back end's file system. */
  pathSeparator: '/' | '\\';
  /** OS locale, e.g. `ko-KR`, for the `system` language setting. */
  locale: string;
}

/** The renderer reports this whenever it changes: the shell uses it for the title and the close prompt. */
export interface DocumentState {
  dirty: boolean;
  /** Display name of the document. */
  title: string;
  path: string | null;
}

export interface AppApi {
  getAppInfo(): Promise<AppInfo>;
  reportDocumentState(state: DocumentState): Promise<void>;
}
