/** What the Electron preload exposes as `window.pipewright`: one invoke and one event subscription. */
import type { ApiEvent } from './events.ts';
import type { RpcRequest, RpcResponse } from './rpc.ts';

export interface PipewrightBridge {
  invoke(request: RpcRequest): Promise<RpcResponse>;
  /** Returns the unsubscribe function. `session` names the page (see RecoveryDraft.session). */
  onEvent(listener: (event: ApiEvent) => void, session?: string): () => void;
}

export const IPC_INVOKE_CHANNEL = 'pipewright:invoke';
export const IPC_EVENT_CHANNEL = 'pipewright:event';
/** Sent by the preload when the page's first event listener registers (and again after a reload). */
export const IPC_SUBSCRIBE_CHANNEL = 'pipewright:subscribe';
