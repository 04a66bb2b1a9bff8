/** Browser mode: RPC over POST /api/rpc and events over a WebSocket at /api/events, both on this origin. */
import type { ApiEvent, ApiEventListener, ApiEventSource } from '../../shared/api/events.ts';
import type { RpcResponse, RpcTransport } from '../../shared/api/rpc.ts';

export const TOKEN_HEADER = 'X-Pipewright-Token';
const TOKEN_KEY = 'pipewright.token';
const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

/** The token arrives once in `?token=`; keep it for this tab and take it out of the address bar. */
export function takeTokenFromLocation(location: Location, history: History, storage: Storage): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

export function createHttpTransport(baseUrl: string, token: string | null): RpcTransport & ApiEventSource {
  const listeners = new Set<ApiEventListener>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function openSocket(): void {
    const url = new URL('/api/events', baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) url.searchParams.set('token', token);
    const next = new WebSocket(url);
    socket = next;
    next.onopen = () => {
      attempt = 0;
    };
    next.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as ApiEvent;
      listeners.forEach((listener) => listener(event));
    };
    next.onclose = () => {
      if (socket !== next) return;
      socket = null;
      // Reconnect while anyone listens: the back end replays what a fresh subscriber needs.
      if (listeners.size > 0) {
        retryTimer = setTimeout(openSocket, RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]);
        attempt += 1;
      }
    };
  }

  return {
    async invoke(request) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (token) headers[TOKEN_HEADER] = token;
      const response = await fetch(new URL('/api/rpc', baseUrl), {
        method: 'POST',
        headers,
        body: JSON.stringify(request),
        credentials: 'same-origin',
      });
      if (!response.ok && !response.headers.get('content-type')?.includes('application/json')) {
        throw new Error(`HTTP ${response.status} ${response.statusText}`);
      }
      return (await response.json()) as RpcResponse;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!socket && retryTimer === undefined) openSocket();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearTimeout(retryTimer);
          retryTimer = undefined;
          const closing = socket;
          socket = null;
          closing?.close();
        }
      };
    },
  };
}
