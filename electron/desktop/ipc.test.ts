import { EventEmitter } from 'node:events';
import type { IpcMain, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_SUBSCRIBE_CHANNEL } from '../../shared/api/bridge.ts';
import type { ApiEvent, ApiEventListener } from '../../shared/api/events.ts';
import type { RpcServer } from '../../shared/api/rpc.ts';
import { registerIpc } from './ipc.ts';

/** Just enough of ipcMain: it records the handlers so the test can play the renderer's part. */
class FakeIpcMain extends EventEmitter {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

class FakeWebContents extends EventEmitter {
  sent: [string, unknown][] = [];
  destroyed = false;
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

function setup() {
  const ipcMain = new FakeIpcMain();
  const dispatched: unknown[] = [];
  const server: RpcServer = {
    async dispatch(request) {
      dispatched.push(request);
      return { ok: true, value: 'served' };
    },
  };
  const listeners = new Set<ApiEventListener>();
  const events = { subscribe: (listener: ApiEventListener) => (listeners.add(listener), () => listeners.delete(listener)) };
  const ours = new FakeWebContents();
  const foreign = new FakeWebContents();
  const dispose = registerIpc({
    ipcMain: ipcMain as unknown as IpcMain,
    server,
    events,
    isOurWebContents: (contents) => contents === (ours as unknown as WebContents),
  });
  const mainFrame = (url: string) => ({ url, parent: null });
  const invoke = (sender: FakeWebContents, frame: unknown, request: unknown) =>
    ipcMain.handlers.get(IPC_INVOKE_CHANNEL)?.({ sender, senderFrame: frame }, request);
  return { ipcMain, dispatched, listeners, ours, foreign, dispose, mainFrame, invoke };
}

const request = { method: 'getSettings', args: [] };

describe('IPC sender checks', () => {
  it('serves the main frame of our window at the app origin', async () => {
    const { invoke, ours, mainFrame, dispatched } = setup();
    expect(await invoke(ours, mainFrame('app://pipewright/index.html'), request)).toEqual({ ok: true, value: 'served' });
    expect(dispatched).toEqual([request]);
  });

  it.each([
    ['a page of another origin', 'https://evil.example/', 'ours', true],
    ['a file:// page', 'file:///home/u/index.html', 'ours', true],
    ['an app:// page of another host', 'app://other/index.html', 'ours', true],
    ['a sub-frame', 'app://pipewright/index.html', 'ours', false],
    ['a webContents that is not our window', 'app://pipewright/index.html', 'foreign', true],
    ['a destroyed frame', null, 'ours', true],
  ])('refuses %s', async (_name, url, who, isMain) => {
    const { invoke, ours, foreign, dispatched } = setup();
    const frame = url === null ? null : { url, parent: isMain ? null : { url: 'app://pipewright/index.html' } };
    const reply = await invoke(who === 'ours' ? ours : foreign, frame, request);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('not a Pipewright window') } });
    expect(dispatched).toEqual([]);
  });

  it('forwards events to a subscribed window only, once per page load', () => {
    const { ipcMain, ours, foreign, listeners, mainFrame } = setup();
    ipcMain.emit(IPC_SUBSCRIBE_CHANNEL, { sender: foreign, senderFrame: mainFrame('https://evil.example/') });
    expect(listeners.size).toBe(0);
    ipcMain.emit(IPC_SUBSCRIBE_CHANNEL, { sender: ours, senderFrame: mainFrame('app://pipewright/index.html') });
    ipcMain.emit(IPC_SUBSCRIBE_CHANNEL, { sender: ours, senderFrame: mainFrame('app://pipewright/index.html') });
    expect(listeners.size).toBe(1);
    const event: ApiEvent = { type: 'menu', command: 'file.save' };
    listeners.forEach((listener) => listener(event));
    expect(ours.sent).toEqual([[IPC_EVENT_CHANNEL, event]]);
    expect(foreign.sent).toEqual([]);
    ours.emit('destroyed');
    expect(listeners.size).toBe(0);
  });

  it('removes its handlers when disposed', () => {
    const { ipcMain, dispose, ours, mainFrame, listeners } = setup();
    ipcMain.emit(IPC_SUBSCRIBE_CHANNEL, { sender: ours, senderFrame: mainFrame('app://pipewright/index.html') });
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listenerCount(IPC_SUBSCRIBE_CHANNEL)).toBe(0);
    expect(listeners.size).toBe(0);
  });
});
