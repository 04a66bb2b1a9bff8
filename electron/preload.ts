/**
 * The preload: exposes exactly three functions as `window.pipewright` (see shared/api/bridge.ts).
 * Bundled to one CommonJS file because sandboxed preloads cannot load modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_OPEN_EXTERNAL_CHANNEL, IPC_SUBSCRIBE_CHANNEL } from '../shared/api/bridge.ts';
import type { PipewrightBridge } from '../shared/api/bridge.ts';
import type { ApiEvent } from '../shared/api/events.ts';
import type { RpcRequest, RpcResponse } from '../shared/api/rpc.ts';

const listeners = new Set<(event: ApiEvent) => void>();
let subscribed = false;

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, payload: ApiEvent) => {
  for (const listener of listeners) listener(payload);
});

const bridge: PipewrightBridge = {
  invoke(request: RpcRequest): Promise<RpcResponse> {
    // Only the two fields cross; the main process validates them again. The page cannot set the third:
    // whether a click or key press came just before (calls that run code need one).
    const activated = navigator.userActivation?.isActive === true;
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { method: String(request?.method), args: Array.isArray(request?.args) ? request.args : [] }, activated);
  },
  onEvent(listener, session) {
    if (typeof listener !== 'function') throw new TypeError('onEvent takes a function');
    listeners.add(listener);
    if (!subscribed) {
      subscribed = true;
      ipcRenderer.send(IPC_SUBSCRIBE_CHANNEL, typeof session === 'string' ? session.slice(0, 64) : undefined);
    }
    return () => {
      listeners.delete(listener);
    };
  },
  async openExternal(url) {
    // A script cannot fake this: transient activation comes only from a user's click or key press.
    if (!navigator.userActivation?.isActive) throw new Error('Not opened: links open in the browser only from a click.');
    const reply = (await ipcRenderer.invoke(IPC_OPEN_EXTERNAL_CHANNEL, String(url).slice(0, 4097))) as { ok: boolean; message?: string };
    if (!reply?.ok) throw new Error(reply?.message ?? 'Not opened.');
  },
};

contextBridge.exposeInMainWorld('pipewright', bridge);
