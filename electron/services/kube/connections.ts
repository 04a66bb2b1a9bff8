/**
 * Cluster connections for the Run dialog: the kubeconfig's contexts, and "Test connection": can the
 * server be reached, is Argo installed, does KFP answer through the service proxy, may this identity
 * create workflows. Each failed check is one plain-language message.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ConnectionCheck, KfpConnectionRequest, KubeContextInfo } from '../../../shared/api/runs.ts';
import { KfpClient } from './kfpClient.ts';
import { openKfpEndpoint } from './kfpEndpoint.ts';
import { kfpService } from '../../../shared/runs/kfpConnection.ts';
import type { KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import { kubeConfigFor, listContexts, loadKubeConfig } from './kubeconfig.ts';
import { KubeconfigNotConfirmedError } from './kubeconfigTrust.ts';
import { kubeJson } from './request.ts';
import { argoInstalled } from './discovery.ts';

export interface KubeConnectionsOptions {
  /** The kubeconfig as kubectl reads it (default: loadKubeConfig, read again on every call so edits show up). */
  load?: () => KubeConfig;
  /** Namespace of KFP's `ml-pipeline` service (default `kubeflow`). */
  kfpNamespace?: string;
  /** KFP's API service as the settings name it (port, scheme: the TLS overlay's https:tls); wins over kfpNamespace. */
  kfpService?: Partial<KfpServiceSettings>;
}

export interface KubeConnectionsService {
  listContexts(): Promise<KubeContextInfo[]>;
  testConnection(context: string, namespace: string, kfp?: KfpConnectionRequest): Promise<ConnectionCheck>;
}

const QUICK = { timeoutMs: 10_000 };

async function serverVersion(kc: KubeConfig): Promise<string> {
  const v = await kubeJson<{ gitVersion?: string; major?: string; minor?: string }>(kc, { path: '/version', ...QUICK }, 'read the server version');
  return v.gitVersion ?? `${v.major ?? '?'}.${v.minor ?? '?'}`;
}

async function mayCreateWorkflows(kc: KubeConfig, namespace: string): Promise<boolean> {
  const review = await kubeJson<{ status?: { allowed?: boolean } }>(
    kc,
    {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, verb: 'create', group: 'argoproj.io', resource: 'workflows' } } },
      ...QUICK,
    },
    'check your permissions',
  );
  return review.status?.allowed === true;
}

export function createKubeConnections(options: KubeConnectionsOptions = {}): KubeConnectionsService {
  const load = options.load ?? loadKubeConfig;
  const service = kfpService({ ...(options.kfpNamespace ? { namespace: options.kfpNamespace } : {}), ...options.kfpService });
  const kfpNamespace = service.namespace;
  return {
    async listContexts() {
      return listContexts(load());
    },

    async testConnection(context, namespace, kfpRequest) {
      const messages: string[] = [];
      let kc: KubeConfig;
      try {
        kc = kubeConfigFor(load(), context);
      } catch (error) {
        // Files that run programs nobody confirmed: a refusal of its own, which the back end hands to the page as such.
        if (error instanceof KubeconfigNotConfirmedError) throw error;
        return { ok: false, messages: [(error as Error).message] };
      }
      const check: ConnectionCheck = { ok: false, messages };
      const direct = Boolean(kfpRequest?.kfpUrl) || (kfpRequest?.kfpAuth !== undefined && kfpRequest.kfpAuth !== 'proxy');
      try {
        check.serverVersion = await serverVersion(kc);
      } catch (error) {
        messages.push((error as Error).message);
        return check;
      }
      const [argo, kfp, create] = await Promise.allSettled([
        argoInstalled(kc, QUICK.timeoutMs),
        // KFP as the run would reach it: at its URL with the login or service account token, else through the proxy.
        direct ? openKfpEndpoint({ ...kfpRequest }, namespace, { kubeConfigFor: () => kc, service }).client.healthz(1) : new KfpClient({ kubeConfig: kc, service }).healthz(1),
        mayCreateWorkflows(kc, namespace),
      ]);
      if (argo.status === 'fulfilled') {
        check.argoInstalled = argo.value;
        if (!argo.value) messages.push('Argo Workflows is not installed in this cluster (its Workflow resource type was not found).');
      } else messages.push((argo.reason as Error).message);
      check.kfpReachable = kfp.status === 'fulfilled';
      if (kfp.status === 'fulfilled' && kfp.value.multi_user && !direct) {
        // It answers healthz, but a multi-user KFP refuses every other call that comes through the proxy.
        check.kfpReachable = false;
        messages.push('This Kubeflow Pipelines is multi-user: through the Kubernetes service proxy no user identity reaches it. Choose the Kubeflow URL with your login session, or a service account token (Connection).');
      }
      if (kfp.status === 'rejected' && direct) messages.push(`Kubeflow Pipelines does not answer at ${kfpRequest!.kfpUrl} (${kfpRequest!.kfpAuth === 'service-account' ? 'service account token' : 'login session'}): ${(kfp.reason as Error).message}`);
      else if (kfp.status === 'rejected') {
        messages.push(`Kubeflow Pipelines does not answer through the service proxy (service ${service.scheme === 'https' ? 'https:' : ''}${service.name}${service.port === '8888' && service.scheme === 'http' ? '' : `:${service.port}`} in namespace ${kfpNamespace}): ${(kfp.reason as Error).message}`);
      }
      if (create.status === 'fulfilled') {
        check.canCreateWorkflows = create.value;
        if (!create.value) messages.push(`You may not create workflows.argoproj.io in namespace ${namespace}. Ask a cluster admin for an RBAC Role granting "create" on "workflows.argoproj.io".`);
      } else messages.push((create.reason as Error).message);
      // Usable: the server answers and at least one cluster target can take a run from this identity.
      check.ok = (check.argoInstalled === true && check.canCreateWorkflows === true) || check.kfpReachable;
      return check;
    },
  };
}
