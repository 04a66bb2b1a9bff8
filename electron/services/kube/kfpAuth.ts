/**
 * How Pipewright proves who it is to Kubeflow Pipelines, in the three ways real users reach it:
 * - `proxy`: the API server's service proxy with the kubeconfig's credentials (single-user KFP; the
 *   API server strips `Authorization`, so a multi-user KFP sees no identity this way);
 * - `session`: the Kubeflow ingress URL with the user's login, an OIDC/Dex bearer token or the
 *   `authservice_session` cookie (what kfp.Client's `existing_token` / `cookies` send), read from an
 *   environment variable and kept in memory only;
 * - `service-account`: a token for a ServiceAccount requested with audience `pipelines.kubeflow.org`
 *   (TokenRequest API), sent straight to the KFP endpoint, which checks it by TokenReview (what the
 *   SDK's ServiceAccountTokenVolumeCredentials does in a pod), requested again before it expires.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KfpAuthMode } from '../../../shared/runs/kfpConnection.ts';
import { ClusterError } from './errors.ts';
import { kubeJson } from './request.ts';

export type { KfpAuthMode };

/** The audience KFP's TokenReview authenticator asks for (TOKEN_REVIEW_AUDIENCE's default). */
export const KFP_TOKEN_AUDIENCE = 'pipelines.kubeflow.org';
/** The ServiceAccount Kubeflow creates in every profile namespace, bound to kubeflow-edit. */
export const DEFAULT_KFP_SERVICE_ACCOUNT = 'default-editor';
/** The cookie Kubeflow's authservice (oidc-authservice) keeps the login in. */
export const SESSION_COOKIE = 'authservice_session';

export interface KfpCredentials {
  readonly mode: KfpAuthMode;
  /** Headers for the next request (a service account token is requested or renewed here). */
  headers(): Promise<Record<string, string>>;
  /** After a 401: forget a cached token; true when a new one may succeed (worth one more try). */
  invalidate(): boolean;
  /** What the user should do after KFP (or what stands in front of it) refused with this status. */
  advice(status: 401 | 403, namespace?: string): string;
}

/** Where a session's secret comes from: environment variables named by the user (the names may be stored, never the values). */
export interface SessionReference {
  tokenEnv?: string;
  cookieEnv?: string;
}

function cookieHeader(value: string): string {
  const v = value.trim();
  // A whole cookie (`authservice_session=...`, or oauth2-proxy's `oauth2_proxy_kubeflow=...`) is sent as it is; a bare value is the session cookie's.
  return /^(authservice_session|oauth2_proxy[A-Za-z0-9_]*)=/.test(v) ? v : `${SESSION_COOKIE}=${v}`;
}

/**
 * The user's Kubeflow login: a bearer token and/or the session cookie, given directly (held in memory)
 * or read from the named environment variables. Throws when a named variable is not set.
 */
export function sessionCredentials(ref: SessionReference & { token?: string; cookie?: string }, env: Readonly<Record<string, string | undefined>> = process.env): KfpCredentials {
  const read = (name: string | undefined, what: string): string | undefined => {
    if (!name) return undefined;
    const value = env[name];
    if (!value) throw new ClusterError('unauthorized', `The environment variable ${name} (the ${what}) is not set or empty: set it in the environment Pipewright was started from.`, false);
    return value;
  };
  const token = ref.token ?? read(ref.tokenEnv, 'Kubeflow bearer token');
  const cookie = ref.cookie ?? read(ref.cookieEnv, `${SESSION_COOKIE} cookie`);
  const where = [ref.tokenEnv && `$${ref.tokenEnv}`, ref.cookieEnv && `$${ref.cookieEnv}`].filter(Boolean).join(' / ') || 'the token field';
  return {
    mode: 'session',
    headers: async () => ({
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(cookie ? { Cookie: cookieHeader(cookie) } : {}),
    }),
    invalidate: () => false,
    advice: (status, namespace) =>
      status === 401
        ? `Kubeflow did not accept your login session (expired or wrong). Sign in to the Kubeflow dashboard again and put a fresh ${SESSION_COOKIE} cookie or ID token in ${where}.`
        : `You are signed in, but your user may not do this${namespace ? ` in namespace ${namespace}` : ''}: ask the owner of that Kubeflow profile to add you as a contributor (Manage Contributors), or pick your own profile namespace.`,
  };
}

export interface ServiceAccountOptions {
  kc: KubeConfig;
  namespace: string;
  name?: string;
  /** Seconds the token is asked to live (the API server may shorten it; default 3600). */
  expirationSeconds?: number;
  now?: () => number;
}

interface TokenRequestAnswer {
  status?: { token?: string; expirationTimestamp?: string };
}

/** A ServiceAccount token with audience pipelines.kubeflow.org, requested through the kubeconfig and renewed before it expires. */
export function serviceAccountCredentials(options: ServiceAccountOptions): KfpCredentials & { readonly subject: string } {
  const name = options.name || DEFAULT_KFP_SERVICE_ACCOUNT;
  const now = options.now ?? Date.now;
  const lifetime = options.expirationSeconds ?? 3600;
  const subject = `system:serviceaccount:${options.namespace}:${name}`;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const request = async (): Promise<string> => {
    const asked = now();
    const answer = await kubeJson<TokenRequestAnswer>(
      options.kc,
      {
        method: 'POST',
        path: `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [KFP_TOKEN_AUDIENCE], expirationSeconds: lifetime } },
      },
      `request a token for service account ${name} in namespace ${options.namespace} (audience ${KFP_TOKEN_AUDIENCE})`,
    );
    const token = answer.status?.token;
    if (!token) throw new ClusterError('other', `The TokenRequest for service account ${options.namespace}/${name} came back without a token`, false);
    const expires = Date.parse(answer.status?.expirationTimestamp ?? '') || asked + lifetime * 1000;
    // Renewed once 80 % of its life has passed, and at least a minute before it expires.
    const life = Math.max(0, expires - asked);
    cached = { token, renewAt: asked + Math.min(life * 0.8, Math.max(0, life - 60_000)) };
    return token;
  };
  return {
    mode: 'service-account',
    subject,
    headers: async () => {
      if (!cached || now() >= cached.renewAt) {
        pending ??= request().finally(() => (pending = undefined));
        await pending;
      }
      return { Authorization: `Bearer ${cached!.token}` };
    },
    invalidate: () => {
      const had = cached !== undefined;
      cached = undefined;
      return had;
    },
    advice: (status, namespace) =>
      status === 401
        ? `Kubeflow Pipelines did not accept the token of service account ${subject} (its TokenReview failed: the token expired, or the server checks another audience than ${KFP_TOKEN_AUDIENCE}). Check that the URL reaches the ml-pipeline API directly (not through the ingress's login).`
        : `Service account ${subject} may not do this${namespace ? ` in namespace ${namespace}` : ''}: bind it to the kubeflow-edit ClusterRole there (Kubeflow's default-editor already is), or use another service account.`,
  };
}

/** Through the service proxy: the kubeconfig authenticates to the API server, nothing reaches KFP. */
export const proxyCredentials: KfpCredentials = {
  mode: 'proxy',
  headers: async () => ({}),
  invalidate: () => false,
  advice: (status, namespace) =>
    status === 401
      ? 'Through the Kubernetes service proxy no user identity reaches Kubeflow Pipelines, and this one is multi-user. Use the Kubeflow URL with your login session, or a service account token sent to the KFP endpoint (see "Multi-user Kubeflow" in the README).'
      : `Kubeflow Pipelines refused the user the service proxy presents${namespace ? ` in namespace ${namespace}` : ''}. Use the Kubeflow URL with your login session, or a service account token with access to that profile namespace.`,
};
