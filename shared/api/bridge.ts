/** What the Electron preload exposes as `window.pipewright`: one invoke, one event subscription, and links. */
import type { ApiEvent } from './events.ts';
import type { RpcRequest, RpcResponse } from './rpc.ts';

export interface PipewrightBridge {
  invoke(request: RpcRequest): Promise<RpcResponse>;
  /** Returns the unsubscribe function. `session` names the page (see RecoveryDraft.session). */
  onEvent(listener: (event: ApiEvent) => void, session?: string): () => void;
  /**
   * Opens an http(s) link in the system browser. Only while the page has a user's activation (a click
   * or key press just now); the main process also limits the rate. Rejects with the reason otherwise.
   */
  openExternal?(url: string): Promise<void>;
}

export const IPC_INVOKE_CHANNEL = 'pipewright:invoke';
export const IPC_EVENT_CHANNEL = 'pipewright:event';
/** Sent by the preload when the page's first event listener registers (and again after a reload). */
export const IPC_SUBSCRIBE_CHANNEL = 'pipewright:subscribe';
/** The preload's openExternal (answered with `{ ok: true }` or `{ ok: false, message }`). */
export const IPC_OPEN_EXTERNAL_CHANNEL = 'pipewright:open-external';
