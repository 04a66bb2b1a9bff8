/** The renderer <-> back end contract and the client/server generated from it. */
import type { PipewrightApi } from './contract.ts';
import { apiMethods } from './methods.ts';
import { createRpcClient } from './rpc.ts';
import type { RpcTransport } from './rpc.ts';

export type { PipewrightApi, ApiMethod } from './contract.ts';
export type * from './app.ts';
export type * from './files.ts';
export type * from './recovery.ts';
export type * from './notices.ts';
export type * from './settings.ts';
export type * from './events.ts';
export type * from './runs.ts';
export type * from './estimate.ts';
export type * from './bridge.ts';
export type { RpcRequest, RpcResponse, RpcTransport, RpcServer } from './rpc.ts';
export { ApiError, notAvailable } from './errors.ts';
export type { ApiErrorCode, ApiErrorPayload, ApiErrorReason, ApiIssue } from './errors.ts';
export { MENU_COMMANDS } from './events.ts';
export { DEFAULT_SETTINGS } from './settings.ts';
export { PIPELINE_FILE_SUFFIX } from './files.ts';
export { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_SUBSCRIBE_CHANNEL } from './bridge.ts';
export { apiMethods, isApiMethod } from './methods.ts';

/** The renderer's side: a PipewrightApi whose every method is a call over the transport. */
export function createApiClient(transport: RpcTransport): PipewrightApi {
  return createRpcClient<PipewrightApi>(apiMethods, transport);
}
