/**
 * Browser mode: the renderer and the back end on 127.0.0.1 at a free port, guarded by a random token
 * (as Jupyter does), Host and Origin checks. RPC at POST /api/rpc, events on a WebSocket at /api/events.
 */
import { stringifyWire } from '../../shared/api/wireJson.ts';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { formatBytes } from '../../shared/format/bytes.ts';
import { findJsonDepthProblem, MAX_DOCUMENT_DEPTH } from '../../shared/pipeline/jsonDepth.ts';
import { contentSecurityPolicy, securityHeaders } from '../csp.ts';
import { createBackend } from '../services/backend.ts';
import type { Backend, RunsService } from '../services/backend.ts';
import { allowedHosts, findToken, isAllowedHost, isCrossOrigin, tokenCookieName } from './guard.ts';
import { serveStatic } from './staticFiles.ts';

export const MAX_RPC_BODY_BYTES = 64 * 1024 * 1024;
/** A request wraps the document in `{ method, args: [{ document }] }`: three levels above the document's own limit. */
const MAX_RPC_DEPTH = MAX_DOCUMENT_DEPTH + 3;
const HEARTBEAT_MS = 30_000;
const SESSION = /^[A-Za-z0-9_-]{1,64}$/;

export interface ServerOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  dataDir: string;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  runs?: RunsService;
  /** A fixed token (tests); omitted: 32 random bytes. */
  token?: string;
  /** Largest RPC body accepted (default MAX_RPC_BODY_BYTES); larger ones get 413. */
  maxBodyBytes?: number;
}

export interface RunningServer {
  /** Open this: `http://127.0.0.1:PORT/?token=...`. */
  url: string;
  origin: string;
  port: number;
  token: string;
  backend: Backend;
  close(): Promise<void>;
}

/** The body is serialized before the headers go out, so a failure still gets an answer (a 500 with a message). */
function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  let text: string;
  try {
    text = stringifyWire(body);
  } catch (error) {
    status = 500;
    text = JSON.stringify({ ok: false, error: { code: 'failed', message: `the answer could not be sent: ${(error as Error).message}` } });
  }
  response.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(text);
}

function refuse(response: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  sendJson(response, status, { ok: false, error: { code: 'bad-request', message } }, extra);
}

/**
 * The body, or null when it is larger than the limit. Past the limit the rest is read and dropped
 * (not kept), so the client gets the 413 instead of a reset connection.
 */
async function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(request.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = Number.isFinite(declared) && declared > limit;
  await new Promise<void>((resolve, reject) => {
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      if (!over) chunks.push(chunk);
      else chunks.length = 0;
    });
    request.on('end', resolve);
    request.on('error', reject);
  });
  return over ? null : Buffer.concat(chunks).toString('utf8');
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const maxBodyBytes = options.maxBodyBytes ?? MAX_RPC_BODY_BYTES;
  const backend = createBackend({ dataDir: options.dataDir, mode: 'browser', runs: options.runs });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  let port = 0;
  let headers: Record<string, string> = {};

  async function handleRpc(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      refuse(response, 415, 'POST /api/rpc takes Content-Type: application/json');
      return;
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === null) {
      refuse(response, 413, `the request is larger than ${formatBytes(maxBodyBytes)}, the most Pipewright accepts`, { Connection: 'close' });
      return;
    }
    const deep = findJsonDepthProblem(body, MAX_RPC_DEPTH);
    if (deep) {
      refuse(response, 400, `the request ${deep.message}; a pipeline may nest at most ${MAX_DOCUMENT_DEPTH} levels`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      refuse(response, 400, 'the request body is not valid JSON');
      return;
    }
    sendJson(response, 200, await backend.server.dispatch(parsed));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isAllowedHost(request, port)) return refuse(response, 403, `Host must be one of ${allowedHosts(port).join(', ')}`);
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const isApi = url.pathname.startsWith('/api/');
    if (isCrossOrigin(request, port) && (isApi || request.headers.origin !== undefined)) {
      return refuse(response, 403, 'cross-origin requests are refused');
    }
    const source = findToken(request, url, port, token);
    if (!source) {
      response.writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end('Pipewright needs its token: open the address printed in the terminal (…/?token=...).\n');
      return;
    }
    if (url.pathname === '/api/rpc') {
      if (request.method !== 'POST') return refuse(response, 405, 'use POST for /api/rpc');
      return handleRpc(request, response);
    }
    if (isApi) return refuse(response, 404, `no such endpoint: ${url.pathname}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'only GET is served here');
    if (source === 'query') {
      // Trade the token in the address for a cookie, and take it out of the address bar and history.
      url.searchParams.delete('token');
      response.writeHead(302, {
        ...headers,
        'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    await serveStatic(options.staticDir, url.pathname, response, headers);
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const deny = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!isAllowedHost(request, port) || isCrossOrigin(request, port)) return deny('403 Forbidden');
    if (url.pathname !== '/api/events') return deny('404 Not Found');
    if (!findToken(request, url, port, token)) return deny('401 Unauthorized');
    const session = url.searchParams.get('session');
    sockets.handleUpgrade(request, socket, head, (ws) => attachEvents(ws, session !== null && SESSION.test(session) ? session : undefined));
  }

  function attachEvents(ws: WebSocket, session: string | undefined): void {
    let alive = true;
    // The tab's drafts are live while its socket is open; a reload or a closed tab offers them at once.
    const release = session ? backend.connectSession(session) : undefined;
    const unsubscribe = backend.events.subscribe((event) => {
      if (ws.readyState === ws.OPEN) ws.send(stringifyWire(event));
    });
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      release?.();
    });
    ws.on('error', () => ws.terminate());
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) refuse(response, 500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
      else response.destroy();
    });
  });
  server.on('upgrade', handleUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  headers = securityHeaders(contentSecurityPolicy({ connect: allowedHosts(port).map((host) => `ws://${host}`) }));

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    backend,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await backend.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
