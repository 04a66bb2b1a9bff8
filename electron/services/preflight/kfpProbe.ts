/**
 * Pre-flight's look at Kubeflow Pipelines: the endpoint the run will use, opened as the run opens it
 * (kfpEndpoint.ts: the KFP service setting behind the service proxy, or the URL with the login session or a
 * service account token), its healthz read, and which endpoint that was, to say so.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { kfpService } from '../../../shared/runs/kfpConnection.ts';
import type { KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import type { KfpEndpointRequest } from '../../../shared/runs/types.ts';
import type { KfpCheckedEndpoint, Part } from '../../../shared/preflight/types.ts';
import { ClusterError } from '../kube/errors.ts';
import { openKfpEndpoint } from '../kube/kfpEndpoint.ts';
import { kubeJson } from '../kube/request.ts';

const QUICK = { timeoutMs: 15_000 };

export interface KfpProbeOptions {
  /** How the run reaches KFP (absent: the service proxy). */
  request?: Omit<KfpEndpointRequest, 'context' | 'namespace'>;
  /** The app's KFP service setting (the request's own wins), as a run applies it. */
  service?: Partial<KfpServiceSettings>;
  /** Where variables named by the request are read. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface KfpProbe {
  /** Installed and answering (false: the service is not there). */
  engine: Part<boolean>;
  endpoint: KfpCheckedEndpoint;
  multiUser?: boolean;
  /** The proxied service's namespace. */
  serviceNamespace: string;
}

/** The endpoint the request names, before anything is asked. */
export function kfpCheckedEndpoint(request: KfpProbeOptions['request'], service: KfpServiceSettings): KfpCheckedEndpoint {
  const mode = request?.kfpAuth ?? (request?.kfpUrl ? 'session' : 'proxy');
  if (mode === 'proxy' || !request?.kfpUrl) return { via: 'proxy', namespace: service.namespace, name: service.name, service: `${service.scheme === 'https' ? 'https:' : ''}${service.name}:${service.port}` };
  return { via: mode, url: request.kfpUrl };
}

/** `namespace`: the run's (profile) namespace, where a service account token is requested. */
export async function probeKfp(kc: KubeConfig, namespace: string, options: KfpProbeOptions): Promise<KfpProbe> {
  const service = kfpService({ ...options.service, ...options.request?.kfpService });
  const endpoint = kfpCheckedEndpoint(options.request, service);
  const done = (engine: Part<boolean>, multiUser?: boolean): KfpProbe => ({ engine, endpoint, serviceNamespace: service.namespace, ...(multiUser !== undefined ? { multiUser } : {}) });
  try {
    if (endpoint.via === 'proxy') {
      try {
        await kubeJson(kc, { path: `/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(service.name)}`, ...QUICK }, 'look for Kubeflow Pipelines');
      } catch (error) {
        if (error instanceof ClusterError && error.status === 404) return done({ ok: true, value: false });
        // Not allowed to read services: the health check below still says whether KFP answers.
        if (!(error instanceof ClusterError && error.status === 403)) throw error;
      }
    }
    const { client } = openKfpEndpoint({ ...options.request }, namespace, { kubeConfigFor: () => kc, env: options.env, service });
    const health = await client.healthz(1);
    return done({ ok: true, value: true }, health.multi_user === true);
  } catch (error) {
    return done({ ok: false, error: (error as Error).message });
  }
}
