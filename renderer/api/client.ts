/**
 * The only renderer module that knows about transports. Desktop: the preload's `window.pipewright`.
 * Browser mode: HTTP + WebSocket to the origin that served the page, with the token from the URL.
 */
import type { PipewrightApi } from '../../shared/api/contract.ts';
import type { ApiEventListener, ApiEventSource } from '../../shared/api/events.ts';
import type { PipewrightBridge } from '../../shared/api/bridge.ts';
import type { RpcTransport } from '../../shared/api/rpc.ts';
import { createApiClient } from '../../shared/api/index.ts';
import { createHttpTransport, takeTokenFromLocation } from './httpTransport.ts';
import type { ConnectionStatus, ConnectionStatusSource } from './httpTransport.ts';

export type ApiConnection = RpcTransport & ApiEventSource & Partial<ConnectionStatusSource>;
export type { ConnectionStatus };

/** This page load's id: the back end keeps its autosaved drafts live while it is connected. */
export const clientSession = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;

declare global {
  interface Window {
    pipewright?: PipewrightBridge;
  }
}

function bridgeConnection(bridge: PipewrightBridge): ApiConnection {
  return { invoke: (request) => bridge.invoke(request), subscribe: (listener) => bridge.onEvent(listener, clientSession) };
}

function detectConnection(): ApiConnection {
  if (typeof window === 'undefined') {
    return createHttpTransport('http://127.0.0.1/', null);
  }
  if (window.pipewright) return bridgeConnection(window.pipewright);
  const token = takeTokenFromLocation(window.location, window.history, window.sessionStorage);
  return createHttpTransport(window.location.origin, token, { session: clientSession });
}

let connection: ApiConnection | null = null;

function current(): ApiConnection {
  connection ??= detectConnection();
  return connection;
}

/** The back end, whichever transport reaches it (chosen on first use). */
export const api: PipewrightApi = createApiClient({ invoke: (request) => current().invoke(request) });

/** Subscribes to run events, menu commands, recovery offers and settings changes; returns unsubscribe. */
export function onEvent(listener: ApiEventListener): () => void {
  return current().subscribe(listener);
}

/** Whether the back end can be reached (desktop: always). Called at once, then on each change; returns unsubscribe. */
export function onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void {
  const source = current();
  if (!source.onStatus) {
    listener('connected');
    return () => {};
  }
  return source.onStatus(listener);
}

/** For tests: route `api` and `onEvent` through the given connection (e.g. createMemoryTransport). */
export function setApiConnection(next: ApiConnection): void {
  connection = next;
}

/** Whether the page runs inside the desktop shell. */
export function isDesktop(): boolean {
  return typeof window !== 'undefined' && window.pipewright !== undefined;
}
