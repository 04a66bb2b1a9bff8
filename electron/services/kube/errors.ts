/** Cluster and KFP failures turned into messages a person can act on. */
import type { IncomingHttpHeaders } from 'node:http';

export type ClusterErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'argo-missing'
  | 'conflict'
  | 'invalid'
  | 'gone'
  | 'throttled'
  | 'server'
  | 'unreachable'
  | 'no-context'
  /** A kubeconfig file in Settings runs programs the user has not confirmed (kubeconfigTrust.ts). */
  | 'unconfirmed-programs'
  | 'other';

interface StatusBody {
  message?: string;
  reason?: string;
  error?: string;
  /** KFP's upload endpoints answer `{error_message, error_details}` (apiv1beta1.Error). */
  error_message?: string;
  error_details?: string;
  details?: { kind?: string; group?: string; name?: string; causes?: { field?: string; message?: string; reason?: string }[] };
}

function parseBody(text: string): StatusBody {
  try {
    const body = JSON.parse(text) as StatusBody;
    return typeof body === 'object' && body ? body : {};
  } catch {
    return { message: text.slice(0, 300) };
  }
}

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    /** Whether trying again later can succeed (429, 5xx, network). */
    readonly retryable: boolean,
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ClusterError';
  }

  /** The same failure once retrying has stopped: the message no longer promises another try. */
  givenUp(attempts: number): ClusterError {
    const message = `${this.message.replace(/[;.]? ?retrying\.?$/, '')}; gave up after ${attempts} attempts.`;
    return new ClusterError(this.kind, message, this.retryable, this.status, this.retryAfter);
  }

  static fromResponse(status: number, text: string, action: string, headers: IncomingHttpHeaders = {}): ClusterError {
    const body = parseBody(text);
    const detail = body.message ?? body.error ?? uploadErrorDetail(body) ?? '';
    const retryAfter = Number(headers['retry-after']) || undefined;
    switch (status) {
      case 401:
        return new ClusterError('unauthorized', `Could not ${action}: the cluster did not accept your credentials (401). Log in again or refresh the kubeconfig's token.`, false, status);
      case 403:
        return new ClusterError('forbidden', `Could not ${action}: permission denied (403). ${forbiddenDetail(detail)}`, false, status);
      case 404:
        if (/workflows?\.argoproj\.io|argoproj\.io\/v1alpha1|the server could not find the requested resource/i.test(detail) && /workflow/i.test(action))
          return new ClusterError('argo-missing', 'Argo Workflows is not installed in this cluster (its Workflow resource type was not found).', false, status);
        return new ClusterError('not-found', `Could not ${action}: not found (404)${detail ? `: ${detail}` : ''}.`, false, status);
      case 409:
        return new ClusterError('conflict', `Could not ${action}: it already exists or was changed by someone else (409)${detail ? `: ${detail}` : ''}.`, false, status);
      case 410:
        return new ClusterError('gone', `Could not ${action}: the data asked for has expired on the server (410).`, true, status);
      case 422: {
        const causes = (body.details?.causes ?? []).map((c) => `${c.field ?? '?'}: ${c.message ?? c.reason ?? 'invalid'}`);
        return new ClusterError('invalid', `Could not ${action}: the cluster rejected a field (422): ${causes.length ? causes.join('; ') : detail}`, false, status);
      }
      case 429:
        return new ClusterError('throttled', `Could not ${action}: the cluster is rate-limiting requests (429); retrying.`, true, status, retryAfter);
      default:
        if (status >= 500)
          return new ClusterError('server', `Could not ${action}: the server failed (${status})${detail ? `: ${detail}` : ''}; retrying.`, true, status, retryAfter);
        return new ClusterError('other', `Could not ${action}: HTTP ${status}${detail ? `: ${detail}` : ''}.`, false, status);
    }
  }
}

/** Kubernetes' 403 message names the verb and resource: `... cannot create resource "workflows" in API group "argoproj.io" ...`. */
function forbiddenDetail(detail: string): string {
  const m = /cannot (\w+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(detail);
  if (!m) return detail || 'Ask a cluster admin for access.';
  const [, verb, resource, group, ns] = m;
  const what = group ? `${resource}.${group}` : resource;
  return `You may not ${verb} ${what}${ns ? ` in namespace ${ns}` : ''}. Ask a cluster admin for an RBAC Role granting "${verb}" on "${what}".`;
}

/** KFP's upload error: its message, and the first line of its details when they say more (the rest is a Go stack). */
function uploadErrorDetail(body: StatusBody): string | undefined {
  const message = body.error_message?.trim();
  const first = body.error_details?.split('\n').map((l) => l.trim()).find(Boolean);
  if (!message) return first;
  return first && first !== message && !message.includes(first) ? `${message} (${first})` : message;
}

const TLS_UNTRUSTED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

/** The error's code, or its cause's (fetch wraps the socket error as `cause`). */
function codeOf(err: Error & { code?: string; cause?: unknown }): string | undefined {
  if (err.code) return err.code;
  const cause = err.cause as (Error & { code?: string }) | undefined;
  return cause && typeof cause === 'object' ? cause.code : undefined;
}

/** A failure to reach `host` (socket, DNS, TLS), said plainly with what to do. */
export function networkError(err: Error & { code?: string; cause?: unknown }, host: string): ClusterError {
  const code = codeOf(err);
  const tag = code ? ` (${code})` : '';
  const hostname = host.replace(/:\d+$/, '');
  if (code === 'ECONNREFUSED')
    return new ClusterError('unreachable', `Cannot reach the cluster at ${host}${tag}: nothing is listening there. Is the cluster (or Pipewright's local emulator: Settings › Clusters) running, and is the server address in the kubeconfig right? If it is remote, check your network/VPN.`, true);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ClusterError('unreachable', `Cannot reach the cluster at ${host}${tag}: the name ${hostname} could not be found (DNS). Check the server address in the kubeconfig, or connect the network/VPN that knows that name.`, true);
  if (code && TLS_UNTRUSTED.has(code))
    return new ClusterError('unreachable', `Cannot connect to the cluster at ${host}${tag}: its TLS certificate is not trusted (self-signed or signed by an unknown authority). Put the cluster's CA in the kubeconfig (certificate-authority or certificate-authority-data); for a throwaway test cluster only, insecure-skip-tls-verify: true.`, false);
  if (code === 'CERT_HAS_EXPIRED')
    return new ClusterError('unreachable', `Cannot connect to the cluster at ${host}${tag}: its TLS certificate has expired. Ask the cluster's admin to renew it, or check this computer's clock.`, false);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new ClusterError('unreachable', `Cannot connect to the cluster at ${host}${tag}: its TLS certificate is not valid for the name ${hostname}. Use the server address the certificate was issued for (or set tls-server-name in the kubeconfig's cluster).`, false);
  const detail = err.message === 'fetch failed' && err.cause instanceof Error ? err.cause.message : err.message;
  return new ClusterError('unreachable', `Cannot reach the cluster at ${host}${tag}: ${detail}. It may be down or your network/VPN disconnected.`, true);
}

export interface KubeconfigWhere {
  /** The cluster's server URL. */
  server?: string;
  cluster?: string;
  user?: string;
  /** The user logs in through an exec plugin or auth provider. */
  login?: boolean;
}

/**
 * @kubernetes/client-node's own failures (applying the kubeconfig's TLS and credentials, loading it)
 * in the words of the cluster code: what is wrong, in which entry, and what to do.
 */
export function kubeconfigError(err: unknown, where: KubeconfigWhere = {}): ClusterError {
  if (err instanceof ClusterError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & { code?: string; path?: string; syscall?: string };
  const text = e.message;
  const cluster = where.cluster ? ` "${where.cluster}"` : '';
  const user = where.user ? ` "${where.user}"` : '';
  if (/HTTP protocol is not allowed when skipTLSVerify is not set or false/.test(text))
    return new ClusterError('no-context', `The cluster${cluster} is served over plain http://${where.server ? ` (${where.server})` : ''}, which is refused unless its kubeconfig entry says insecure-skip-tls-verify: true. Use its https:// address, or, for a local test server such as Pipewright's emulator, add insecure-skip-tls-verify: true to that cluster.`, false);
  if (e.code === 'ENOENT' && e.syscall?.startsWith('spawn')) {
    const command = e.path ?? e.syscall.replace(/^spawn /, '');
    return new ClusterError('unauthorized', `The kubeconfig user${user} logs in by running "${command}", which is not installed here (or not on the PATH Pipewright sees). Install it (it is the cloud's kubectl credential plugin), or start Pipewright from a shell where \`${command}\` works.`, false);
  }
  if (/No command was specified for exec authProvider/.test(text))
    return new ClusterError('unauthorized', `The kubeconfig user${user} has an exec login section without a command. Fix the user's exec.command in the kubeconfig, or get a fresh kubeconfig from your cluster.`, false);
  if (/Token is expired!|Failed to refresh token/.test(text)) {
    const why = /Failed to refresh token: (.*)/s.exec(text)?.[1]?.trim().slice(0, 300);
    return new ClusterError('unauthorized', `The login token of kubeconfig user${user} has expired and could not be refreshed${why ? `: ${why}` : ''}. Log in again (e.g. your cloud's get-credentials command) and retry.`, false);
  }
  if (/No (currently )?active cluster/.test(text))
    return new ClusterError('no-context', 'The kubeconfig has no current cluster: choose a context (Settings › Clusters, or the run dialog).', false);
  if (e.code === 'ENOENT' || e.code === 'EACCES')
    return new ClusterError('no-context', `A file the kubeconfig names could not be read${e.path ? `: ${e.path}` : ''} (${e.code}). Fix the path in the kubeconfig${cluster || user ? ` (cluster${cluster}, user${user})` : ''}, or use the -data form of that field.`, false);
  if (/^(clusters|users|contexts)\[\d+\]\.[\w.]+ is missing$|^Duplicate (cluster|user|context):/.test(text))
    return new ClusterError('no-context', `The kubeconfig is not valid: ${text}.`, false);
  if (e.code) return networkError(e, where.server ? where.server.replace(/^\w+:\/\//, '').replace(/\/.*$/, '') : 'the cluster');
  // An exec plugin that exits non-zero rejects with its stderr (possibly empty).
  if (where.login) return new ClusterError('unauthorized', `Logging in as kubeconfig user${user} failed: ${text.trim().slice(0, 400) || 'its login command failed without saying why'}. Run the command in the kubeconfig's exec section in a terminal to see why.`, false);
  return new ClusterError('other', text, false);
}

export function isRetryable(err: unknown): boolean {
  return err instanceof ClusterError ? err.retryable : false;
}
