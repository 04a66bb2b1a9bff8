/**
 * The desktop shell's wiring: one hardened window on app://, the back end over checked IPC, native
 * menus and dialogs, remembered bounds, one instance, a prompt before losing changes. main.ts passes
 * in the Electron modules, so this file only needs Electron's types.
 */
import path from 'node:path';
import type * as Electron from 'electron';
import type { BrowserWindow } from 'electron';
import type { DocumentState } from '../../shared/api/app.ts';
import type { MenuCommand } from '../../shared/api/events.ts';
import { createBackend } from '../services/backend.ts';
import type { RunsService } from '../services/backend.ts';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol.ts';
import { alertLanguage } from './alertNotifications.ts';
import { createCloseGuard } from './closeGuard.ts';
import type { CloseChoice } from './closeGuard.ts';
import { createNativeDialogs } from './dialogs.ts';
import { hardenSession, hardenWebContents } from './hardening.ts';
import { registerIpc } from './ipc.ts';
import { findFileArgument } from './launchArgs.ts';
import { buildMenuTemplate } from './menu.ts';
import { APP_SCHEME, APP_START_URL } from './origin.ts';
import { createKubeconfigConfirm } from './confirmKubeconfig.ts';
import { createPythonConfirm } from './confirmPython.ts';
import { createLinkGate, createReach } from './reach.ts';
import { fitToDisplays, loadWindowState, saveWindowState, trackWindowState } from './windowState.ts';

type ElectronMain = typeof Electron;

export interface DesktopOptions {
  electron: Pick<ElectronMain, 'app' | 'BrowserWindow' | 'Menu' | 'dialog' | 'ipcMain' | 'protocol' | 'screen' | 'session' | 'shell' | 'nativeTheme'>;
  dataDir: string;
  /** Folder holding main.cjs and preload.cjs; the renderer is in ../renderer. */
  distDir: string;
  runs?: RunsService;
}

export function startDesktop({ electron, dataDir, distDir, runs }: DesktopOptions): void {
  const { app, BrowserWindow, Menu, dialog, ipcMain, protocol, screen, session, shell, nativeTheme } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  let window: BrowserWindow | null = null;
  let pendingOpen = findFileArgument(process.argv, process.cwd());
  // What the page may reach: files the user chose or named, a confirmed interpreter (electron/desktop/reach.ts).
  const reach = createReach({
    recentFiles: async () => (await backend.api.listRecentFiles()).map((file) => file.path),
    currentPythonPath: async () => (await backend.api.getSettings()).pythonPath,
    confirmPythonChange: createPythonConfirm(
      (options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options)),
      async () => alertLanguage((await backend.api.getSettings()).language, app.getLocale()),
    ),
    currentKubeconfigFiles: async () => (await backend.api.getSettings()).kubeconfigFiles,
    unconfirmedKubeconfigPrograms: async () => backend.kubeconfigPrograms.unconfirmed(),
    confirmKubeconfigPrograms: createKubeconfigConfirm(
      (options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options)),
      async () => alertLanguage((await backend.api.getSettings()).language, app.getLocale()),
    ),
    recordKubeconfigConfirmed: (list) => backend.kubeconfigPrograms.recordConfirmed(list),
    runTarget: (runId) => backend.api.getRun(runId).then((run) => run.target, () => null),
  });
  if (pendingOpen) reach.grantFile(pendingOpen);
  const backend = createBackend({
    dataDir,
    mode: 'desktop',
    runs,
    locale: app.getLocale(),
    dialogs: reach.recordDialogs(createNativeDialogs(dialog, () => window)),
    onDocumentState: (state) => onDocumentState(state),
  });
  const links = createLinkGate({ openExternal: (url) => shell.openExternal(url) });
  const send = (command: MenuCommand, arg?: string) => backend.events.emit(arg === undefined ? { type: 'menu', command } : { type: 'menu', command, arg });
  // A file named on the command line opens once the page listens for events.
  backend.events.onSubscribe((deliver) => {
    if (pendingOpen) deliver({ type: 'menu', command: 'file.openRecent', arg: pendingOpen });
    pendingOpen = null;
  });

  const guard = createCloseGuard({
    documentState: () => backend.documentState(),
    ask: async (state) => askBeforeClose(state),
    requestSave: () => backend.events.emit({ type: 'save-before-close' }),
    close: () => window?.close(),
  });

  async function askBeforeClose(state: DocumentState): Promise<CloseChoice> {
    const choices: CloseChoice[] = ['save', 'discard', 'cancel'];
    const options = {
      type: 'warning' as const,
      buttons: ['Save', "Don't Save", 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      message: `Save the changes to ${state.title || 'this pipeline'} before closing?`,
      detail: 'Your changes will be lost if you do not save them.',
    };
    const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
    return choices[result.response] ?? 'cancel';
  }

  async function rebuildMenu(): Promise<void> {
    const recentFiles = (await backend.api.listRecentFiles()).filter((file) => file.exists);
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: app.getName(),
      recentFiles,
      showDevTools: !app.isPackaged,
      send,
      clearRecentFiles: () => void backend.api.clearRecentFiles().then(rebuildMenu),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  function onDocumentState(state: DocumentState): void {
    guard.onDocumentState(state);
    if (!window || window.isDestroyed()) return;
    window.setTitle(`${state.dirty ? '• ' : ''}${state.title || 'Untitled'} — Pipewright`);
    if (process.platform === 'darwin') {
      window.setDocumentEdited(state.dirty);
      window.setRepresentedFilename(state.path ?? '');
    }
    void rebuildMenu();
  }

  async function createWindow(): Promise<void> {
    const state = fitToDisplays(await loadWindowState(dataDir), screen.getAllDisplays().map((display) => display.workArea));
    const created = new BrowserWindow({
      ...state,
      minWidth: 800,
      minHeight: 560,
      show: false,
      title: 'Pipewright',
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
      icon: process.platform === 'linux' ? path.join(distDir, 'icon.png') : undefined,
      webPreferences: {
        preload: path.join(distDir, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
        devTools: !app.isPackaged,
      },
    });
    window = created;
    trackWindowState(created, (next) => void saveWindowState(dataDir, next));
    created.once('ready-to-show', () => {
      if (state.maximized) created.maximize();
      created.show();
    });
    created.on('close', (event) => {
      if (guard.onClose()) event.preventDefault();
    });
    created.on('closed', () => {
      window = null;
    });
    await created.loadURL(APP_START_URL);
  }

  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
    const file = findFileArgument(argv, workingDirectory);
    if (file) {
      reach.grantFile(file);
      send('file.openRecent', file);
    }
  });
  // Every web contents, ours and any other, refuses navigation and popups.
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
  });
  app.on('window-all-closed', () => {
    void backend.close().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(distDir, '..', 'renderer')));
    registerIpc({
      ipcMain,
      server: backend.server,
      events: backend.events,
      connectSession: (id) => backend.connectSession(id),
      reach,
      openLink: (url) => links.open(url),
      isOurWebContents: (contents) => window !== null && !window.isDestroyed() && contents === window.webContents,
    });
    await rebuildMenu();
    await createWindow();
  });
}
