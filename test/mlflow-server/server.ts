/**
 * A stand-in MLflow tracking server for tests: the REST endpoints of mlflow-rest-api.json over real HTTP,
 * refusing everything else (unknown paths 404 ENDPOINT_NOT_FOUND, other methods 405, unknown or mistyped
 * fields 400 INVALID_PARAMETER_VALUE), with MLflow's error answers, optional auth and injectable faults.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HANDLERS, listDir } from './handlers.ts';
import type { HandlerContext } from './handlers.ts';
import { ModelRegistry } from './registry.ts';
import { checkFields, matchEndpoint, MLFLOW_API } from './schema.ts';
import type { EndpointSpec } from './schema.ts';
import { invalid, MlflowError, TrackingStore } from './store.ts';

export interface MlflowServerOptions {
  port?: number;
  /** Proxied artifacts (default true, as `mlflow server`); false answers 503 on /mlflow-artifacts as `--no-serve-artifacts`. */
  serveArtifacts?: boolean;
  /** Artifact root when artifacts are not proxied (default `s3://mlflow-artifacts`). */
  artifactRoot?: string;
  /** Require `Authorization: Bearer <token>` (MLFLOW_TRACKING_TOKEN) ... */
  token?: string;
  /** ... or HTTP basic auth (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD). */
  basicAuth?: { username: string; password: string };
  /** false: a server before MLflow 2.3, without the alias endpoints (404 ENDPOINT_NOT_FOUND). */
  aliases?: boolean;
  /** New model versions answer PENDING_REGISTRATION for this many reads (default 0: READY at once). */
  pendingRegistrationReads?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the byte count of a raw upload. */
  body: unknown;
  status: number;
  authorization?: string;
}

export interface Fault {
  /** How many matching requests fail. */
  count: number;
  /** HTTP status to answer (5xx); omitted with `drop`. */
  status?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** Only requests whose path contains this. */
  path?: string;
}

export interface MlflowStandIn {
  url: string;
  tracking: TrackingStore;
  registry: ModelRegistry;
  requests: RequestRecord[];
  faults: Fault[];
  close(): Promise<void>;
}

const MAX_JSON = 1024 * 1024;

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw invalid(`The request body is larger than ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: MlflowError): number {
  const status = MLFLOW_API.errorStatus[err.errorCode] ?? 500;
  send(res, status, { error_code: err.errorCode, message: err.message });
  return status;
}

/** validate_path_is_safe: no absolute paths, no `..`, no backslashes or NULs. */
function safeArtifactPath(path: string): string {
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0') || path.split('/').includes('..') || /^[A-Za-z]:/.test(path)) throw invalid(`Invalid path: ${path}`);
  return path.replace(/\/+$/, '');
}

function authorized(req: IncomingMessage, options: MlflowServerOptions): boolean {
  const header = req.headers.authorization ?? '';
  if (options.token && header === `Bearer ${options.token}`) return true;
  if (options.basicAuth) {
    const expected = Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64');
    if (header === `Basic ${expected}`) return true;
  }
  return !options.token && !options.basicAuth;
}

export async function startMlflowServer(options: MlflowServerOptions = {}): Promise<MlflowStandIn> {
  const serveArtifacts = options.serveArtifacts ?? true;
  const tracking = new TrackingStore({ serveArtifacts, artifactRoot: options.artifactRoot ?? 's3://mlflow-artifacts' });
  const registry = new ModelRegistry(tracking, options.pendingRegistrationReads ?? 0);
  const ctx: HandlerContext = { tracking, registry, aliases: options.aliases ?? true };
  const requests: RequestRecord[] = [];
  const faults: Fault[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse, record: RequestRecord): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    record.path = url.pathname;
    record.query = Object.fromEntries(url.searchParams);
    const fault = faults.find((f) => f.count > 0 && (!f.path || url.pathname.includes(f.path)));
    if (fault) {
      fault.count--;
      if (fault.drop) {
        req.socket.destroy();
        return 0;
      }
      const status = fault.status ?? 503;
      const code = status === 503 ? 'TEMPORARILY_UNAVAILABLE' : status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'INTERNAL_ERROR';
      return send(res, status, { error_code: code, message: `injected failure (${status})` }), status;
    }
    if (url.pathname === '/health') return send(res, 200, 'OK', 'text/plain'), 200;
    if (!authorized(req, options)) {
      res.setHeader('WWW-Authenticate', 'Basic realm="mlflow"');
      return sendError(res, new MlflowError('UNAUTHENTICATED', 'You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.'));
    }
    const { endpoints, rest } = matchEndpoint(url.pathname);
    const usable = ctx.aliases ? endpoints : endpoints.filter((e) => !e.path.endsWith('/registered-models/alias'));
    if (usable.length === 0) return sendError(res, new MlflowError('ENDPOINT_NOT_FOUND', `No API endpoint at ${url.pathname}`));
    const endpoint = usable.find((e) => e.method === req.method);
    if (!endpoint) {
      res.setHeader('Allow', usable.map((e) => e.method).join(', '));
      return send(res, 405, `<!doctype html><title>405 Method Not Allowed</title><p>The method is not allowed for the requested URL.</p>`, 'text/html'), 405;
    }
    if (!serveArtifacts && endpoint.path.startsWith('/api/2.0/mlflow-artifacts/')) {
      const text = `Endpoint: ${endpoint.path} disabled due to the mlflow server running with \`--no-serve-artifacts\`. To enable artifacts server functionality, run \`mlflow server\` with \`--serve-artifacts\``;
      return send(res, 503, text, 'text/html; charset=utf-8'), 503;
    }
    if (endpoint.body === 'raw') return artifact(req, res, endpoint, rest ?? '', record);
    return json(req, res, endpoint, url, record);
  }

  async function json(req: IncomingMessage, res: ServerResponse, endpoint: EndpointSpec, url: URL, record: RequestRecord): Promise<number> {
    let body: Record<string, unknown>;
    const fromQuery = req.method === 'GET';
    if (fromQuery) body = Object.fromEntries(url.searchParams);
    else {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (req.method === 'POST' && type !== 'application/json') {
        throw invalid(type ? "Bad Request. Content-Type must be one of ['application/json']." : 'Bad Request. Content-Type header is missing.');
      }
      const raw = (await readBody(req, MAX_JSON)).toString('utf8');
      let parsed: unknown = {};
      try {
        parsed = raw.trim() ? JSON.parse(raw) : {};
      } catch (err) {
        throw invalid(`Malformed JSON in the request body: ${(err as Error).message}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid('The request body must be a JSON object.');
      body = parsed as Record<string, unknown>;
    }
    record.body = body;
    const problem = checkFields(endpoint.request ?? {}, body, '', MLFLOW_API, fromQuery);
    if (problem) throw invalid(`Invalid request to ${endpoint.rpc}: ${problem}`);
    const response = endpoint.rpc === 'listArtifactsMlflowArtifacts' ? { files: listDir(tracking.artifacts, body.path === undefined ? '' : safeArtifactPath(body.path as string), '') } : HANDLERS[endpoint.rpc](ctx, body);
    send(res, 200, response);
    return 200;
  }

  async function artifact(req: IncomingMessage, res: ServerResponse, endpoint: EndpointSpec, path: string, record: RequestRecord): Promise<number> {
    const safe = safeArtifactPath(path);
    if (endpoint.method === 'PUT') {
      const data = await readBody(req, 1024 * 1024 * 1024);
      record.body = data.length;
      tracking.artifacts.set(safe, data);
      return send(res, 200, {}), 200;
    }
    const data = tracking.artifacts.get(safe);
    if (!data) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `File ${safe} does not exist`);
    return send(res, 200, data, 'application/octet-stream'), 200;
  }

  const server: Server = createServer((req, res) => {
    const record: RequestRecord = { method: req.method ?? 'GET', path: '', query: {}, body: undefined, status: 0, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) };
    requests.push(record);
    handle(req, res, record)
      .then((status) => (record.status = status))
      .catch((err: unknown) => {
        record.status = err instanceof MlflowError ? sendError(res, err) : sendError(res, new MlflowError('INTERNAL_ERROR', String(err)));
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tracking,
    registry,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
