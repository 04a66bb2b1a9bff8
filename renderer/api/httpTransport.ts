/** Browser mode: RPC over POST /api/rpc and events over a WebSocket at /api/events, both on this origin. */
import { parseWire } from '../../shared/api/wireJson.ts';
import type { ApiEvent, ApiEventListener, ApiEventSource } from '../../shared/api/events.ts';
import type { RpcResponse, RpcTransport } from '../../shared/api/rpc.ts';

export const TOKEN_HEADER = 'X-Pipewright-Token';
const TOKEN_KEY = 'pipewright.token';
const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

/**
 * `connected`: events flow. `disconnected`: the back end cannot be reached; retrying. `rejected`: it
 * answers but refuses our token (it was restarted with a new one; its new address is needed).
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'rejected';

export interface ConnectionStatusSource {
  /** Called with the current status at once, then with each change. Returns unsubscribe. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

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

export interface HttpTransportOptions {
  /** This page's session id (see RecoveryDraft.session): the back end holds its drafts while the socket is open. */
  session?: string;
  /** Retry delays after a lost connection, in ms (the last one repeats). */
  retryMs?: readonly number[];
}

export function createHttpTransport(baseUrl: string, token: string | null, options: HttpTransportOptions = {}): RpcTransport & ApiEventSource & ConnectionStatusSource {
  const listeners = new Set<ApiEventListener>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const retryMs = options.retryMs ?? RECONNECT_MS;
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const headers = (): Record<string, string> => ({ 'Content-Type': 'application/json', ...(token ? { [TOKEN_HEADER]: token } : {}) });

  function setStatus(next: ConnectionStatus): void {
    if (next === status) return;
    status = next;
    statusListeners.forEach((listener) => listener(next));
  }

  function scheduleRetry(): void {
    if (listeners.size === 0 || retryTimer !== undefined || socket) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void probeThenOpen();
    }, retryMs[Math.min(attempt, retryMs.length - 1)]);
    attempt += 1;
  }

  /** After a loss: ask the back end first, so a refused token is told apart from a server that is down. */
  async function probeThenOpen(): Promise<void> {
    if (listeners.size === 0 || socket) return;
    try {
      const response = await fetch(new URL('/api/rpc', baseUrl), { method: 'POST', headers: headers(), body: JSON.stringify({ method: 'getAppInfo', args: [] }), credentials: 'same-origin' });
      if (response.status === 401 || response.status === 403) {
        setStatus('rejected');
        return scheduleRetry();
      }
    } catch {
      setStatus('disconnected');
      return scheduleRetry();
    }
    openSocket();
  }

  function openSocket(): void {
    const url = new URL('/api/events', baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) url.searchParams.set('token', token);
    if (options.session) url.searchParams.set('session', options.session);
    const next = new WebSocket(url);
    socket = next;
    next.onopen = () => {
      attempt = 0;
      setStatus('connected');
    };
    next.onmessage = (message) => {
      const event = parseWire(String(message.data)) as ApiEvent;
      listeners.forEach((listener) => listener(event));
    };
    next.onclose = () => {
      if (socket !== next) return;
      socket = null;
      // Reconnect while anyone listens: the back end replays what a fresh subscriber needs.
      if (listeners.size > 0) {
        setStatus('disconnected');
        scheduleRetry();
      }
    };
  }

  return {
    async invoke(request) {
      let response: Response;
      try {
        response = await fetch(new URL('/api/rpc', baseUrl), { method: 'POST', headers: headers(), body: JSON.stringify(request), credentials: 'same-origin' });
      } catch (error) {
        // The socket may not have noticed yet (a request can fail first): show it and retry now.
        if (listeners.size > 0) {
          setStatus('disconnected');
          if (socket?.readyState !== WebSocket.OPEN) scheduleRetry();
        }
        throw error;
      }
      if (response.status === 401 && listeners.size > 0) setStatus('rejected');
      if (!response.ok && !response.headers.get('content-type')?.includes('application/json')) {
        throw new Error(`HTTP ${response.status} ${response.statusText}`);
      }
      return parseWire(await response.text()) as RpcResponse;
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
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => {
        statusListeners.delete(listener);
      };
    },
  };
}
