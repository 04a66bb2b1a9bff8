import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL, IPC_OPEN_EXTERNAL_CHANNEL } from '../../shared/api/bridge.ts';
import type { DesktopOptions } from './shell.ts';
import { startDesktop } from './shell.ts';

/** Fakes of the Electron modules the shell uses: enough to run its wiring in plain Node. */
class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send() {}
  isDestroyed() {
    return false;
  }
}

class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  webContents = new FakeWebContents();
  loaded: string | null = null;
  title = '';
  closed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.created.push(this);
  }
  async loadURL(url: string) {
    this.loaded = url;
  }
  setTitle(title: string) {
    this.title = title;
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isFullScreen() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1200, height: 800 };
  }
  close() {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('close', event);
    this.closed = !event.defaultPrevented;
  }
}

function fakeElectron(lock = true, answers: { messageBox?: number; openFile?: string | null } = {}) {
  const calls: string[] = [];
  const messageBoxes: { message: string; detail?: string; buttons: string[] }[] = [];
  const externals: string[] = [];
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  let ready: () => void = () => {};
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => lock,
    quit: () => calls.push('quit'),
    whenReady: () => whenReady,
    getLocale: () => 'ko-KR',
    getName: () => 'Pipewright',
    isPackaged: true,
  });
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: (template: unknown[]) => template, setApplicationMenu: () => calls.push('menu') },
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        messageBoxes.push(args[args.length - 1] as (typeof messageBoxes)[number]);
        return { response: answers.messageBox ?? 2 };
      },
      showOpenDialog: async () => ({ canceled: answers.openFile == null, filePaths: answers.openFile ? [answers.openFile] : [] }),
    },
    ipcMain: Object.assign(new EventEmitter(), {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, handler),
      removeHandler: () => {},
    }),
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => calls.push(`privileged:${schemes.map((s) => s.scheme).join()}`),
      handle: (scheme: string) => calls.push(`handle:${scheme}`),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: { defaultSession: Object.assign(new EventEmitter(), { setPermissionRequestHandler: () => calls.push('permissions'), setPermissionCheckHandler: () => {} }) },
    shell: { openExternal: async (url: string) => void externals.push(url) },
    nativeTheme: { shouldUseDarkColors: false },
  };
  return { electron: electron as unknown as DesktopOptions['electron'], calls, handlers, ready, messageBoxes, externals };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-shell-'));
  FakeWindow.created = [];
});
afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
/** Waits (up to 5 s) for the window, which the shell creates after reading its files: a fixed wait is outrun on a loaded machine. */
const windowCreated = () =>
  vi.waitFor(() => {
    expect(FakeWindow.created).toHaveLength(1);
    expect(FakeWindow.created[0].loaded).not.toBeNull();
  }, { timeout: 5000, interval: 10 });

describe('desktop shell wiring', () => {
  it('quits when another instance holds the lock', () => {
    const { electron, calls } = fakeElectron(false);
    startDesktop({ electron, dataDir, distDir: '/app/dist/electron' });
    expect(calls).toEqual(['quit']);
  });

  it('opens one locked-down window on app:// and serves IPC only to it', async () => {
    const { electron, calls, handlers, ready } = fakeElectron();
    startDesktop({ electron, dataDir, distDir: '/app/dist/electron' });
    expect(calls).toEqual(['privileged:app']);
    ready();
    await windowCreated();
    expect(calls).toEqual(expect.arrayContaining(['permissions', 'handle:app', 'menu']));
    const [window] = FakeWindow.created;
    expect(window.loaded).toBe('app://pipewright/index.html');
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
      preload: path.join('/app/dist/electron', 'preload.cjs'),
    });
    const invoke = handlers.get(IPC_INVOKE_CHANNEL);
    const fromUs = await invoke?.({ sender: window.webContents, senderFrame: { url: 'app://pipewright/index.html', parent: null } }, { method: 'getAppInfo', args: [] });
    expect(fromUs).toMatchObject({ ok: true, value: { mode: 'desktop', nativeDialogs: true, locale: 'ko-KR' } });
    const fromElsewhere = await invoke?.({ sender: new FakeWebContents(), senderFrame: { url: 'app://pipewright/index.html', parent: null } }, { method: 'getAppInfo', args: [] });
    expect(fromElsewhere).toMatchObject({ ok: false });
  });

  it('asks before closing a dirty document and stays open on Cancel', async () => {
    const { electron, handlers, ready } = fakeElectron();
    startDesktop({ electron, dataDir, distDir: '/app/dist/electron' });
    ready();
    await windowCreated();
    const [window] = FakeWindow.created;
    const sender = { sender: window.webContents, senderFrame: { url: 'app://pipewright/index.html', parent: null } };
    await handlers.get(IPC_INVOKE_CHANNEL)?.(sender, { method: 'reportDocumentState', args: [{ dirty: true, title: 'demo', path: null }] });
    expect(window.title).toBe('• demo — Pipewright');
    window.close();
    expect(window.closed).toBe(false);
    await handlers.get(IPC_INVOKE_CHANNEL)?.(sender, { method: 'reportDocumentState', args: [{ dirty: false, title: 'demo', path: null }] });
    window.close();
    expect(window.closed).toBe(true);
    // The window's state is written after the close: wait for it rather than a fixed time.
    const saved = () => fs.readFile(path.join(dataDir, 'window-state.json'), 'utf8').then(JSON.parse, () => null);
    await vi.waitFor(async () => expect(await saved()).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false }), { timeout: 5000, interval: 10 });
  });

  it('refuses navigation away from the app and popups', async () => {
    const { electron, ready, externals } = fakeElectron();
    startDesktop({ electron, dataDir, distDir: '/app/dist/electron' });
    ready();
    await windowCreated();
    const [window] = FakeWindow.created;
    electron.app.emit('web-contents-created', {}, window.webContents);
    const navigation = { prevented: false, preventDefault() { this.prevented = true; } };
    window.webContents.emit('will-navigate', navigation, 'https://evil.example/');
    expect(navigation.prevented).toBe(true);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    // Neither path opens the browser: only the bridge's openExternal does, after a click.
    await settle();
    expect(externals).toEqual([]);
  });

  it("limits the page's reach: dialog-chosen files, a confirmed interpreter, no listDirectory, links through the bridge", async () => {
    const doc = path.join(dataDir, 'chosen.pipewright.json');
    await fs.writeFile(doc, JSON.stringify({ format: 'pipewright.pipeline/v2', name: 'chosen', nodes: [], edges: [] }));
    const { electron, handlers, ready, messageBoxes, externals } = fakeElectron(true, { messageBox: 1, openFile: doc });
    startDesktop({ electron, dataDir, distDir: '/app/dist/electron' });
    ready();
    await windowCreated();
    const [window] = FakeWindow.created;
    const sender = { sender: window.webContents, senderFrame: { url: 'app://pipewright/index.html', parent: null } };
    const call = (method: string, ...args: unknown[]) => handlers.get(IPC_INVOKE_CHANNEL)?.(sender, { method, args });

    expect(await call('openFile', doc)).toMatchObject({ ok: false, error: { message: expect.stringContaining(`cannot open ${doc}`) } });
    expect(await call('showOpenDialog')).toEqual({ ok: true, value: doc });
    expect(await call('openFile', doc)).toMatchObject({ ok: true, value: { ok: true, file: { name: 'chosen.pipewright.json' } } });
    expect(await call('listDirectory', null, {})).toMatchObject({ ok: false, error: { message: expect.stringContaining('listDirectory') } });

    // The app's locale is Korean: the confirmation is in Korean; Cancel (1) keeps the interpreter.
    expect(await call('updateSettings', { pythonPath: '/tmp/py/bin/python' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('not confirmed') } });
    expect(messageBoxes.at(-1)).toMatchObject({ message: '로컬 실행에 다른 Python 인터프리터를 사용할까요?', buttons: ['이 인터프리터 사용', '취소'] });
    expect(messageBoxes.at(-1)?.detail).toContain('/tmp/py/bin/python');
    expect(await call('getSettings')).toMatchObject({ ok: true, value: { pythonPath: null } });

    expect(await handlers.get(IPC_OPEN_EXTERNAL_CHANNEL)?.(sender, 'https://mlflow.example/#/runs/1')).toEqual({ ok: true });
    expect(await handlers.get(IPC_OPEN_EXTERNAL_CHANNEL)?.(sender, 'file:///etc/passwd')).toMatchObject({ ok: false });
    expect(externals).toEqual(['https://mlflow.example/#/runs/1']);
  });
});
