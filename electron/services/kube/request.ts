/** Raw HTTP requests to the API server with the kubeconfig's TLS and authentication applied (exec, OIDC, tokens). */
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, kubeconfigError, networkError } from './errors.ts';

export interface KubeRequest {
  method?: string;
  /** Path below the server URL, e.g. `/apis/argoproj.io/v1alpha1/namespaces/ns/workflows`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Raw body (multipart uploads); `contentType` must be given with it. */
  rawBody?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds of silence (no byte sent or received) after which the request fails, streams included. */
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function buildUrl(kc: KubeConfig, path: string, query?: KubeRequest['query']): URL {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ClusterError('no-context', 'The kubeconfig has no current cluster: choose a context.', false);
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/** Opens a request and resolves with the response stream once headers arrive. */
export async function openKubeStream(kc: KubeConfig, req: KubeRequest): Promise<IncomingMessage> {
  const url = buildUrl(kc, req.path, req.query);
  const opts: https.RequestOptions = { method: req.method ?? 'GET', headers: { Accept: 'application/json', ...req.headers } };
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (err) {
    // TLS files, exec/OIDC logins, plain http without insecure-skip-tls-verify: the library's own words, made plain.
    const cluster = kc.getCurrentCluster();
    const user = kc.getCurrentUser();
    throw kubeconfigError(err, { server: cluster?.server, cluster: cluster?.name, user: user?.name, login: Boolean(user?.exec || user?.authProvider) });
  }
  let payload: Buffer | undefined;
  if (req.rawBody) {
    payload = req.rawBody;
    (opts.headers as Record<string, string>)['Content-Type'] = req.contentType ?? 'application/octet-stream';
  } else if (req.body !== undefined) {
    payload = Buffer.from(JSON.stringify(req.body));
    (opts.headers as Record<string, string>)['Content-Type'] = req.contentType ?? 'application/json';
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = transport.request(url, { ...opts, signal: req.signal }, resolve);
    r.on('error', (err) => reject(req.signal?.aborted ? err : networkError(err, url.host)));
    const idleMs = req.timeoutMs;
    if (idleMs) r.setTimeout(idleMs, () => r.destroy(new Error(`nothing heard for ${idleMs / 1000} s`)));
    if (payload) r.write(payload);
    r.end();
  });
}

export async function kubeRequest(kc: KubeConfig, req: KubeRequest): Promise<KubeResponse> {
  const res = await openKubeStream(kc, { timeoutMs: 30_000, ...req });
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (err) {
    // A connection cut mid-answer is as retryable as one that never opened.
    if (req.signal?.aborted) throw err;
    throw networkError(err as Error, buildUrl(kc, req.path).host);
  }
  return { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
}

/** A request whose non-2xx answer becomes a ClusterError with a plain-language message. */
export async function kubeJson<T>(kc: KubeConfig, req: KubeRequest, action: string): Promise<T> {
  const res = await kubeRequest(kc, req);
  if (res.status < 200 || res.status >= 300) throw ClusterError.fromResponse(res.status, res.text, action, res.headers);
  return (res.text ? JSON.parse(res.text) : {}) as T;
}
