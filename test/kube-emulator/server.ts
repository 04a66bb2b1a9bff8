import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessPolicy } from './access.ts';
import type { ApiContext, ResourceRoute } from './api.ts';
import { handleResource, verbOf } from './api.ts';
import type { Faults } from './faults.ts';
import { readBody, readJson, sendError, sendJson } from './http.ts';
import type { LogStore } from './logs.ts';
import { serveLog } from './logs.ts';
import { openApiDocument, openApiIndex } from './openapi.ts';
import { PROTOBUF_TYPE, decodeAccessReview } from './protobuf.ts';
import { rbacReview, ServiceAccountAccess, subjectGroups } from './rbac.ts';
import type { ResourceDef } from './resources.ts';
import { coreVersions, findResource, groupInfo, groupList, resourceList, versionInfo } from './resources.ts';
import { ApiError, badRequest, forbidden, methodNotAllowed, notFound, pathNotFound, unauthorized } from './status.ts';
import { isRecord } from './types.ts';

/** Serves one proxied service path (`.../services/NAME:PORT/proxy/REST`). */
export type ProxyHandler = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<void>;

export interface ServerContext extends ApiContext {
  served: ResourceDef[];
  access: AccessPolicy;
  faults: Faults;
  logs: LogStore;
  /** null: no authentication. */
  token: string | null;
  /** Refuse requests without credentials too (kubectl sends none over plain http; client-node does). */
  requireToken: boolean;
  /** Proxy targets by `namespace/service`. */
  proxies: Map<string, ProxyHandler>;
  /** TokenRequest (`serviceaccounts/NAME/token`); absent: not served. */
  tokenRequest?: (namespace: string, name: string, audiences: string[], expirationSeconds: number) => { token: string; expirationTimestamp: string };
  /** Every request seen (the newest REQUEST_LOG_LIMIT), for tests that count what a client asks. */
  requests: RecordedRequest[];
  /** Service account tokens of executed pods: token -> system:serviceaccount:NS:NAME, authorized by RBAC. */
  podTokens?: Map<string, string>;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: string;
  accept: string;
}

const REQUEST_LOG_LIMIT = 10_000;

const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

/** The request's user when it is a pod's service account (authorized by RBAC), else undefined (the kubeconfig's user). */
function authenticate(ctx: ServerContext, req: IncomingMessage, path: string): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const account = bearer === undefined ? undefined : ctx.podTokens?.get(bearer);
  if (account) return account;
  if (ctx.token === null) return;
  const header = req.headers.authorization;
  if (!header && (PUBLIC_PATHS.has(path) || !ctx.requireToken)) return;
  if (header !== `Bearer ${ctx.token}`) throw unauthorized();
}

function authorize(ctx: ServerContext, verb: string, def: { group: string; resource: string }, namespace?: string, subresource?: string, name?: string): void {
  if (!ctx.access.isAllowed({ verb, group: def.group, resource: def.resource, subresource, namespace, name })) {
    const resource = subresource ? `${def.resource}/${subresource}` : def.resource;
    throw forbidden(ctx.access.user, verb, resource, def.group, namespace);
  }
}

async function accessReview(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = (req.headers['content-type'] ?? '').startsWith(PROTOBUF_TYPE) ? decodeAccessReview(await readBody(req)) : await readJson(req);
  const spec = isRecord(body) && isRecord(body.spec) ? body.spec : undefined;
  const attrs = spec && isRecord(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  if (!spec || (!attrs && !isRecord(spec.nonResourceAttributes))) {
    throw new ApiError(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', {
      kind: 'SelfSubjectAccessReview',
      group: 'authorization.k8s.io',
      causes: [{ reason: 'FieldValueInvalid', message: 'exactly one of nonResourceAttributes or resourceAttributes must be specified', field: 'spec.resourceAttributes' }],
    });
  }
  const allowed = attrs
    ? ctx.access.isAllowed({
        verb: String(attrs.verb ?? ''),
        group: String(attrs.group ?? ''),
        resource: String(attrs.resource ?? ''),
        subresource: attrs.subresource ? String(attrs.subresource) : undefined,
        namespace: attrs.namespace ? String(attrs.namespace) : undefined,
      })
    : true;
  const status = allowed ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "pipewright-emulator" of ClusterRole "cluster-admin" to User "pipewright"' } : { allowed: false };
  sendJson(res, 201, { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status });
}

/** SubjectAccessReview: may `spec.user` (with `spec.groups`) do this? Answered from the RBAC objects and the test's grants. */
async function subjectAccessReview(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, def: ResourceDef): Promise<void> {
  authorize(ctx, 'create', def);
  const body = await readJson(req);
  const spec = isRecord(body) && isRecord(body.spec) ? body.spec : undefined;
  const attrs = spec && isRecord(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  const user = spec && typeof spec.user === 'string' ? spec.user : '';
  const groups = spec && Array.isArray(spec.groups) ? spec.groups.map(String) : [];
  const invalid = (field: string, message: string) =>
    new ApiError(422, 'Invalid', `SubjectAccessReview.authorization.k8s.io "" is invalid: ${field}: Invalid value: "null": ${message}`, {
      kind: 'SubjectAccessReview', group: 'authorization.k8s.io', causes: [{ reason: 'FieldValueInvalid', message, field }],
    });
  if (!spec || (!attrs && !isRecord(spec.nonResourceAttributes))) throw invalid('spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified');
  if (!user && groups.length === 0) throw invalid('spec.user', 'at least one of user or group must be specified');
  const status = attrs
    ? rbacReview(ctx.store, { user, groups: subjectGroups(user, groups) }, {
        verb: String(attrs.verb ?? ''),
        group: String(attrs.group ?? ''),
        resource: String(attrs.resource ?? ''),
        subresource: attrs.subresource ? String(attrs.subresource) : undefined,
        namespace: attrs.namespace ? String(attrs.namespace) : undefined,
        name: attrs.name ? String(attrs.name) : undefined,
      }, (u) => ctx.access.granted(u))
    : { allowed: false };
  sendJson(res, 201, { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status });
}

function discovery(ctx: ServerContext, res: ServerResponse, parts: string[]): boolean {
  const [root, a, b] = parts;
  let body: unknown;
  if (parts.length === 1 && root === 'api') body = coreVersions();
  else if (parts.length === 1 && root === 'apis') body = groupList(ctx.served);
  else if (parts.length === 2 && root === 'api') body = resourceList(ctx.served, '', a);
  else if (parts.length === 2 && root === 'apis') body = groupInfo(ctx.served, a);
  else if (parts.length === 3 && root === 'apis') body = resourceList(ctx.served, a, b);
  else return false;
  if (!body) throw pathNotFound();
  sendJson(res, 200, body);
  return true;
}

function openApi(ctx: ServerContext, res: ServerResponse, parts: string[]): void {
  if (parts[1] !== 'v3') throw pathNotFound();
  if (parts.length === 2) return sendJson(res, 200, openApiIndex(ctx.served));
  const rest = parts.slice(2);
  const doc = rest[0] === 'api' ? openApiDocument(ctx.served, '', rest[1]) : openApiDocument(ctx.served, rest[1], rest[2] ?? '');
  if (!doc) throw pathNotFound();
  sendJson(res, 200, doc);
}

async function proxy(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, namespace: string, target: string, rest: string[], query: URLSearchParams): Promise<void> {
  const pieces = target.split(':');
  const name = pieces.length === 3 ? pieces[1] : pieces[0];
  const port = pieces.length === 3 ? pieces[2] : pieces[1];
  const service = ctx.store.tryGet('services', namespace, name);
  if (!service) throw notFound('services', '', name);
  const ports = ((isRecord(service.spec) ? service.spec.ports : undefined) as Array<{ name?: string; port: number; appProtocol?: string }> | undefined) ?? [];
  const servicePort = port ? ports.find((p) => p.name === port || String(p.port) === port) : ports[0];
  if (port && !servicePort) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${target}"`);
  // Plain http to a TLS port (KFP's TLS overlay): what Go's TLS server answers.
  const scheme = pieces.length === 3 ? pieces[0] : 'http';
  if (servicePort?.appProtocol === 'https' && scheme !== 'https') {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Client sent an HTTP request to an HTTPS server.\n');
    return;
  }
  const handler = ctx.proxies.get(`${namespace}/${name}`);
  if (!handler) throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
  await handler(req, res, `/${rest.join('/')}`, query);
}

/** TokenRequest as the API server answers it: the ServiceAccount must exist; at least 10 minutes; 201 with the token. */
async function tokenRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, namespace: string, name: string): Promise<void> {
  const body = (await readJson(req)) as { spec?: { audiences?: string[]; expirationSeconds?: number } } | undefined;
  if (!ctx.store.tryGet('serviceaccounts', namespace, name)) throw notFound('serviceaccounts', '', name);
  const spec = body?.spec ?? {};
  const seconds = spec.expirationSeconds ?? 3600;
  if (seconds < 600) throw new ApiError(422, 'Invalid', `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`);
  const audiences = spec.audiences?.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'];
  const status = ctx.tokenRequest!(namespace, name, audiences, seconds);
  sendJson(res, 201, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { name, namespace, creationTimestamp: null }, spec: { audiences, expirationSeconds: seconds, boundObjectRef: null }, status });
}

/** Resource paths: `/api/v1/...` and `/apis/GROUP/VERSION/...`, with `namespaces/NS/` and subresources. */
async function resourcePath(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, parts: string[], query: URLSearchParams): Promise<void> {
  const core = parts[0] === 'api';
  const group = core ? '' : parts[1];
  const version = core ? parts[1] : parts[2];
  let rest = parts.slice(core ? 2 : 3);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...tail] = rest;
  const def = findResource(ctx.served, group, version, resource);
  if (!def) throw pathNotFound();
  if (!def.namespaced && namespace !== undefined) throw pathNotFound();
  if (def.namespaced && namespace === undefined && name !== undefined) throw pathNotFound();
  if (def.resource === 'selfsubjectaccessreviews') {
    if (req.method !== 'POST') throw methodNotAllowed();
    return accessReview(ctx, req, res);
  }
  if (def.resource === 'subjectaccessreviews') {
    if (req.method !== 'POST') throw methodNotAllowed();
    return subjectAccessReview(ctx, req, res, def);
  }
  if (subresource === 'log' && def.resource === 'pods') {
    authorize(ctx, 'get', def, namespace, 'log');
    serveLog(ctx.store, ctx.logs, namespace!, name, query, req, res);
    return;
  }
  if (subresource === 'proxy' && def.resource === 'services') {
    const verb = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[req.method ?? 'GET'] ?? 'get';
    authorize(ctx, verb, def, namespace, 'proxy');
    return proxy(ctx, req, res, namespace!, name, tail, query);
  }
  if (subresource === 'token' && def.resource === 'serviceaccounts' && ctx.tokenRequest && req.method === 'POST') {
    authorize(ctx, 'create', def, namespace, 'token');
    return tokenRequest(ctx, req, res, namespace!, name);
  }
  if (subresource && subresource !== 'status') throw pathNotFound();
  const route: ResourceRoute = { def, namespace, name };
  authorize(ctx, verbOf(req.method ?? 'GET', route, query), def, namespace, undefined, name);
  if (namespace && def.resource !== 'namespaces' && req.method === 'GET' && !ctx.store.tryGet('namespaces', undefined, namespace) && name === undefined) {
    sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: group ? `${group}/${version}` : version, metadata: { resourceVersion: String(ctx.store.currentRevision) }, items: [] });
    return;
  }
  await handleResource(ctx, req, res, route, query);
}

/** Every HTTP request: faults first, then authentication, then the API. */
export async function handleRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  ctx.requests.push({ method: req.method ?? 'GET', path, query: url.search, accept: String(req.headers.accept ?? '') });
  if (ctx.requests.length > REQUEST_LOG_LIMIT) ctx.requests.splice(0, ctx.requests.length - REQUEST_LOG_LIMIT);
  try {
    if (await ctx.faults.intercept(req, res, path)) return;
    const account = authenticate(ctx, req, path);
    const as = account ? { ...ctx, access: new ServiceAccountAccess(account, ctx.store, ctx.access) } : ctx;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (path === '/version') return sendJson(res, 200, versionInfo());
    if (PUBLIC_PATHS.has(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parts[0] === 'openapi') return openApi(ctx, res, parts);
    if (parts[0] !== 'api' && parts[0] !== 'apis') throw pathNotFound();
    if (discovery(ctx, res, parts)) return;
    if (parts[0] === 'api' && parts.length < 3) throw pathNotFound();
    await resourcePath(as, req, res, parts, url.searchParams);
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof ApiError) return sendError(res, err);
    if (err instanceof URIError) return sendError(res, badRequest('malformed path'));
    sendError(res, err);
  }
}
