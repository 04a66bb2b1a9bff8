/**
 * The preload: exposes exactly two functions as `window.pipewright` (see shared/api/bridge.ts).
 * Bundled to one CommonJS file because sandboxed preloads cannot load modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_SUBSCRIBE_CHANNEL } from '../shared/api/bridge.ts';
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
    // Only the two fields cross; the main process validates them again.
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { method: String(request?.method), args: Array.isArray(request?.args) ? request.args : [] });
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
};

contextBridge.exposeInMainWorld('pipewright', bridge);
