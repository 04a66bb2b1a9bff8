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
  | 'other';

interface StatusBody {
  message?: string;
  reason?: string;
  error?: string;
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
    const detail = body.message ?? body.error ?? '';
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

export function networkError(err: Error & { code?: string }, host: string): ClusterError {
  const code = err.code ? ` (${err.code})` : '';
  return new ClusterError('unreachable', `Cannot reach the cluster at ${host}${code}: ${err.message}. It may be down or your network/VPN disconnected.`, true);
}

export function isRetryable(err: unknown): boolean {
  return err instanceof ClusterError ? err.retryable : false;
}
