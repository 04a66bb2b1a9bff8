/**
 * KFP's multi-user mode, as the real backend does it (backend/src/apiserver/auth and the servers'
 * canAccess* checks): the user's identity comes from the `kubeflow-userid` header (set by the
 * Kubeflow ingress from the login) or from a bearer ServiceAccount token that passes a TokenReview
 * with audience `pipelines.kubeflow.org`; each request on a namespaced object is then checked by a
 * SubjectAccessReview against the profile namespace (here: the profiles' contributor lists).
 * Pipelines, experiments and runs live in a namespace; those of another namespace are invisible.
 *
 * Three ways in, as on a cluster: the API server's service proxy (which strips `Authorization`),
 * the ingress (authservice: an ID token or the `authservice_session` cookie, else a redirect to the
 * sign-in page), and the ml-pipeline service reached directly (Istio refuses a `kubeflow-userid`
 * header that does not come from the ingress: "RBAC: access denied").
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyHandler } from '../server.ts';
import { KfpError, KfpUploadError, kfpInvalid } from './errors.ts';
import type { KfpStore } from './store.ts';

type Json = Record<string, unknown>;

export interface KfpMultiUserOptions {
  /** Profile namespaces and the identities that may work in each (emails, `system:serviceaccount:NS:NAME`). */
  profiles: Record<string, string[]>;
  /** Login sessions the ingress accepts, ID token or session cookie value → user email. */
  sessions?: Record<string, string>;
  /** KUBEFLOW_USERID_HEADER / _PREFIX as Kubeflow's manifests set them (default `kubeflow-userid`, ''). */
  userIdHeader?: string;
  userIdPrefix?: string;
  /** TOKEN_REVIEW_AUDIENCE (default pipelines.kubeflow.org). */
  audience?: string;
}

interface IssuedToken {
  user: string;
  audiences: string[];
  expiresAt: number;
}

type Identity = { user: string } | { errors: string[] };

const IDENTITY_MISSING = 'Request header error: there is no user identity header.';
const RBAC_DENIED = 'RBAC: access denied';

function denyText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(text);
}

export class KfpMultiUser {
  readonly header: string;
  readonly prefix: string;
  readonly audience: string;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly identities = new WeakMap<IncomingMessage, Identity>();

  constructor(readonly options: KfpMultiUserOptions) {
    this.header = (options.userIdHeader ?? 'kubeflow-userid').toLowerCase();
    this.prefix = options.userIdPrefix ?? '';
    this.audience = options.audience ?? 'pipelines.kubeflow.org';
  }

  /** TokenRequest (`serviceaccounts/NAME/token`): a token for `system:serviceaccount:NS:NAME` with the audiences asked for. */
  issueToken(namespace: string, name: string, audiences: string[], expirationSeconds: number): { token: string; expirationTimestamp: string } {
    const token = `sa.${randomBytes(18).toString('base64url')}`;
    const expiresAt = Date.now() + expirationSeconds * 1000;
    this.tokens.set(token, { user: `system:serviceaccount:${namespace}:${name}`, audiences, expiresAt });
    return { token, expirationTimestamp: new Date(expiresAt).toISOString().replace(/\.\d+Z$/, 'Z') };
  }

  /** Tests: make every token issued so far expire now. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  /** KFP's authenticators in order: the user id header, then a bearer token by TokenReview. */
  private identify(req: IncomingMessage): Identity {
    const errors: string[] = [];
    const header = req.headers[this.header];
    if (typeof header === 'string') {
      if (header.startsWith(this.prefix)) return { user: header.slice(this.prefix.length) };
      errors.push(`Header '${this.header}' is incorrectly formatted. Expected prefix '${this.prefix}'`);
    } else errors.push(IDENTITY_MISSING);
    const auth = req.headers.authorization;
    if (!auth) errors.push(IDENTITY_MISSING);
    else if (!auth.startsWith('Bearer ')) errors.push("Header 'Authorization' is incorrectly formatted. Expected prefix 'Bearer '");
    else {
      const issued = this.tokens.get(auth.slice('Bearer '.length));
      if (!issued || issued.expiresAt <= Date.now()) errors.push('Authentication failure: Review.Status.Authenticated is false. Error [invalid bearer token, service account token has expired]');
      else if (!issued.audiences.includes(this.audience)) errors.push(`Authentication failure: Failed to find all of '[${this.audience}]' in audience: [${issued.audiences.join(' ')}]`);
      else return { user: issued.user };
    }
    return { errors };
  }

  /** Where a request came in decides which headers reach KFP; the identity is resolved once, as KFP's interceptor does. */
  enter(req: IncomingMessage, handler: ProxyHandler, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    this.identities.set(req, this.identify(req));
    return handler(req, res, path, query);
  }

  /** Behind the API server's service proxy: `Authorization` was consumed (and stripped) by the API server. */
  viaServiceProxy(handler: ProxyHandler): ProxyHandler {
    return async (req, res, path, query) => {
      delete req.headers.authorization;
      if (req.headers[this.header] !== undefined) return denyText(res, 403, RBAC_DENIED);
      return this.enter(req, handler, res, path, query);
    };
  }

  /** KFP's identity check (IsAuthorized) and the SubjectAccessReview for one verb on a resource type in a namespace. */
  authorize(req: IncomingMessage, verb: string, resource: string, namespace: string, wrap: string): void {
    const identity = this.identities.get(req) ?? this.identify(req);
    if ('errors' in identity) {
      throw new KfpError(401, 16, `${wrap}: Failed to check authorization. User identity is empty in the request header: Unauthenticated: [${identity.errors.join(', ')}]`);
    }
    if (!(this.options.profiles[namespace] ?? []).includes(identity.user)) {
      throw new KfpError(403, 7, `${wrap}: User '${identity.user}' is not authorized with reason:  (request: &ResourceAttributes{Namespace:${namespace},Verb:${verb},Group:pipelines.kubeflow.org,Version:v1beta1,Resource:${resource},Subresource:,Name:,})`);
    }
  }

  /**
   * The checks KFP makes before serving a v2beta1 request. Throws as the real server answers; returns
   * which stored objects the request may see (lists) and the namespace a new run's Workflow goes to.
   */
  async guard(data: KfpStore, req: IncomingMessage, method: string, p: string, query: URLSearchParams, body: () => Promise<Json>): Promise<{ visible?: (record: Json) => boolean }> {
    let m: RegExpExecArray | null;
    const ns = query.get('namespace') ?? '';
    const experimentNs = (id: string) => data.experiments.get(id)?.namespace;
    const runNs = (id: string) => {
      const run = data.runs.get(id);
      return run ? experimentNs(run.experiment_id) : undefined;
    };
    const pipelineNs = (id: string) => data.pipelines.get(id)?.namespace;
    if (p === '/apis/v2beta1/healthz') return {};
    if (p === '/apis/v2beta1/pipelines/upload' && method === 'POST') {
      this.uploadCheck(req, ns, 'Failed to create a pipeline');
      return {};
    }
    if (p === '/apis/v2beta1/pipelines/upload_version' && method === 'POST') {
      this.uploadCheck(req, pipelineNs(query.get('pipelineid') ?? '') ?? '', 'Failed to create a pipeline version');
      return {};
    }
    if (p === '/apis/v2beta1/pipelines' && method === 'GET') {
      if (ns) this.authorize(req, 'list', 'pipelines', ns, `Failed to list pipelines due to authorization error. Check if you have read permission to namespace ${ns}`);
      return { visible: (r) => r.namespace === ns };
    }
    if ((m = /^\/apis\/v2beta1\/pipelines\/([^/]+)(\/.*)?$/.exec(p)) && !p.startsWith('/apis/v2beta1/pipelines/names/')) {
      const owner = pipelineNs(m[1]);
      const verb = method === 'DELETE' && !m[2] ? 'delete' : method === 'GET' && m[2] === '/versions' ? 'list' : 'get';
      if (owner) this.authorize(req, verb, 'pipelines', owner, `Failed to access pipeline ${m[1]}`);
      return {};
    }
    if (p === '/apis/v2beta1/experiments' && method === 'POST') {
      const b = await body();
      const namespace = String(b.namespace ?? '');
      if (!namespace) throw kfpInvalid('Failed to create an experiment: Failed to authorize the request: Invalid input error: An experiment cannot have an empty namespace in multi-user mode');
      this.authorize(req, 'create', 'experiments', namespace, 'Failed to create an experiment: Failed to authorize the request: Failed to authorize with API');
      return {};
    }
    if (p === '/apis/v2beta1/experiments' && method === 'GET') {
      if (!ns) throw kfpInvalid('List experiments failed: Failed to authorize with API: Invalid input error: An experiment cannot have an empty namespace in multi-user mode');
      this.authorize(req, 'list', 'experiments', ns, 'List experiments failed: Failed to authorize with API: Failed to authorize with API');
      return { visible: (r) => r.namespace === ns };
    }
    if ((m = /^\/apis\/v2beta1\/experiments\/([^/:]+)/.exec(p))) {
      const owner = experimentNs(m[1]);
      if (owner) this.authorize(req, method === 'DELETE' ? 'delete' : 'get', 'experiments', owner, `Failed to authorize with the experiment ID ${m[1]}`);
      return {};
    }
    if (p === '/apis/v2beta1/runs' && method === 'POST') {
      const b = await body();
      const experimentId = String(b.experiment_id ?? b.experimentId ?? '');
      if (!experimentId) throw kfpInvalid('Failed to create a run: Failed to create a run due to invalid experimentId and namespace combination: Invalid input error: Experiment id can not be empty in multi-user mode');
      const owner = experimentNs(experimentId);
      if (owner) this.authorize(req, 'create', 'runs', owner, `Failed to create a run: Failed to create a run due to authorization error. Check if you have write permissions to namespace ${owner}: Failed to access run . Check if you have access to namespace ${owner}`);
      return {};
    }
    if (p === '/apis/v2beta1/runs' && method === 'GET') {
      const experimentId = query.get('experiment_id') ?? '';
      const namespace = experimentId ? experimentNs(experimentId) ?? '' : ns;
      if (!namespace) throw kfpInvalid('Failed to list runs: Failed to list runs due to authorization error. Check if you have permission to access namespace : Invalid input error: A run cannot have an empty namespace in multi-user mode');
      this.authorize(req, 'list', 'runs', namespace, `Failed to list runs: Failed to list runs due to authorization error. Check if you have permission to access namespace ${namespace}`);
      return { visible: (r) => experimentNs(String(r.experiment_id ?? '')) === namespace };
    }
    if ((m = /^\/apis\/v2beta1\/runs\/([^/:]+)(?::(\w+))?$/.exec(p))) {
      const owner = runNs(m[1]);
      const verb = m[2] ?? (method === 'DELETE' ? 'delete' : 'get');
      if (owner) this.authorize(req, verb, 'runs', owner, `Failed to authorize the request: Failed to access run ${m[1]}. Check if you have access to namespace ${owner}`);
      return {};
    }
    if (p.startsWith('/apis/v2beta1/recurringruns')) {
      const experimentId = method === 'POST' && p === '/apis/v2beta1/recurringruns' ? String((await body()).experiment_id ?? '') : query.get('experiment_id') ?? '';
      const namespace = experimentId ? experimentNs(experimentId) ?? '' : ns;
      if (namespace) this.authorize(req, method === 'GET' ? 'list' : 'create', 'jobs', namespace, 'Failed to authorize the request');
      else if (p === '/apis/v2beta1/recurringruns') throw kfpInvalid('Invalid input error: A recurring run cannot have an empty namespace in multi-user mode');
      // A list shows the namespace's recurring runs only (those of its experiments).
      return method === 'GET' && p === '/apis/v2beta1/recurringruns' ? { visible: (r) => experimentNs(String(r.experiment_id ?? '')) === namespace } : {};
    }
    return {};
  }

  /** The upload endpoints answer an authorization failure with a bare 400 `{error_message, error_details}`. */
  private uploadCheck(req: IncomingMessage, namespace: string, message: string): void {
    try {
      // A shared pipeline (no namespace) is written in KFP's own namespace.
      this.authorize(req, 'create', 'pipelines', namespace || 'kubeflow', message);
    } catch {
      throw new KfpUploadError(400, message);
    }
  }
}

export interface KfpFrontDoors {
  /** The Kubeflow ingress: `http://127.0.0.1:P/pipeline` (authservice in front of KFP). */
  ingressUrl: string;
  /** The ml-pipeline service reached directly (no login in front; Istio refuses a forged user id header). */
  directUrl: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function splitUrl(req: IncomingMessage): { path: string; query: URLSearchParams } {
  const url = new URL(req.url ?? '/', 'http://kfp');
  return { path: url.pathname, query: url.searchParams };
}

/** Starts the ingress and the direct endpoint in front of `handler` (KFP's API). */
export async function startKfpFrontDoors(multi: KfpMultiUser, handler: ProxyHandler): Promise<KfpFrontDoors> {
  const enter = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => multi.enter(req, handler, res, path, query);
  const ingress = createServer((req, res) => {
    const { path, query } = splitUrl(req);
    if (!path.startsWith('/pipeline/')) return denyText(res, 404, 'no healthy upstream');
    const sessions = multi.options.sessions ?? {};
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined;
    const cookie = /(?:^|;\s*)authservice_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    // Istio's RequestAuthentication checks a bearer JWT; a bad one is refused before any login page.
    if (bearer !== undefined && !sessions[bearer]) return denyText(res, 401, 'Jwt verification fails');
    const user = bearer !== undefined ? sessions[bearer] : cookie !== undefined ? sessions[decodeURIComponent(cookie)] : undefined;
    if (!user) return denyText(res, 302, '', { Location: `/dex/auth?client_id=kubeflow-oidc-authservice&redirect_uri=%2Flogin%2Foidc&state=${randomBytes(6).toString('hex')}` });
    req.headers[multi.header] = `${multi.prefix}${user}`;
    void enter(req, res, path.slice('/pipeline'.length), query);
  });
  const direct = createServer((req, res) => {
    const { path, query } = splitUrl(req);
    if (req.headers[multi.header] !== undefined) return denyText(res, 403, RBAC_DENIED);
    void enter(req, res, path, query);
  });
  const [ingressPort, directPort] = [await listen(ingress), await listen(direct)];
  return {
    ingressUrl: `http://127.0.0.1:${ingressPort}/pipeline`,
    directUrl: `http://127.0.0.1:${directPort}`,
    close: async () => {
      for (const s of [ingress, direct]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}
