/**
 * Opens the KFP API the way a request says (service proxy, Kubeflow login session, service account
 * token), for the run driver, the run dialog's experiment list and the CLI's schedules alike.
 * Secrets come from the request (in memory) or the environment variables it names; none is stored.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { kfpService } from '../../../shared/runs/kfpConnection.ts';
import type { KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import type { KfpEndpointRequest } from '../../../shared/runs/types.ts';
import { ClusterError } from './errors.ts';
import { serviceAccountCredentials, sessionCredentials } from './kfpAuth.ts';
import type { KfpCredentials } from './kfpAuth.ts';
import { KfpClient } from './kfpClient.ts';

export interface OpenKfpOptions {
  kubeConfigFor(context?: string): KubeConfig;
  /** Where variables named by the request are read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The app's KFP service settings; the request's own `kfpService` wins over them. */
  service?: Partial<KfpServiceSettings>;
}

export interface OpenedKfp {
  client: KfpClient;
  /** Kubernetes access, when there is some (required for the proxy and a service account; best effort with a session). */
  kc?: KubeConfig;
  service: KfpServiceSettings;
}

/**
 * `namespace` is the profile namespace: where a service account token is requested, and what 401/403
 * advice names. Throws a ClusterError naming what is missing (URL, namespace, a variable not set).
 */
export function openKfpEndpoint(request: KfpEndpointRequest, namespace: string | undefined, options: OpenKfpOptions): OpenedKfp {
  const service = kfpService({ ...options.service, ...request.kfpService });
  const url = request.kfpUrl;
  const mode = request.kfpAuth ?? (url ? 'session' : 'proxy');
  const kube = (required: boolean): KubeConfig | undefined => {
    try {
      return options.kubeConfigFor(request.context || undefined);
    } catch (error) {
      if (required) throw error;
      return undefined;
    }
  };
  if (mode === 'proxy') {
    if (url) throw new ClusterError('invalid', 'A KFP URL was given with the service proxy connection: choose the Kubeflow login session or a service account token to use the URL.', false);
    const kc = kube(true)!;
    return { client: new KfpClient({ kubeConfig: kc, service, namespace }), kc, service };
  }
  if (!url) throw new ClusterError('invalid', `The ${mode === 'session' ? 'Kubeflow login session' : 'service account token'} connection needs the URL of Kubeflow Pipelines (e.g. https://kubeflow.example.com/pipeline).`, false);
  let credentials: KfpCredentials;
  let kc: KubeConfig | undefined;
  if (mode === 'service-account') {
    if (!namespace) throw new ClusterError('invalid', 'A service account token is requested in your profile namespace: choose the namespace.', false);
    kc = kube(true)!;
    credentials = serviceAccountCredentials({ kc, namespace, name: request.kfpServiceAccount });
  } else {
    const token = request.kfpToken;
    credentials = sessionCredentials({ token, tokenEnv: token ? undefined : request.kfpTokenEnv, cookieEnv: request.kfpCookieEnv }, options.env ?? process.env);
    kc = kube(false);
  }
  return { client: new KfpClient({ url, credentials, namespace }), kc, service };
}

/** The profile namespace a multi-user KFP needs (the request's, else the pipeline's); none for a single-user one. */
export function kfpProfileNamespace(multiUser: boolean | undefined, namespace: string | undefined, pipelineNamespace?: string): string | undefined {
  if (!multiUser) return undefined;
  const chosen = namespace || pipelineNamespace;
  if (!chosen) throw new ClusterError('invalid', 'This Kubeflow Pipelines runs in multi-user mode: choose the namespace (your Kubeflow profile) to run in.', false);
  return chosen;
}
