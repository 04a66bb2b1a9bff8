/** kubeconfig as kubectl reads it: KUBECONFIG (several files merged), then ~/.kube/config, then in-cluster. */
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeContextInfo } from '../../../shared/api/runs.ts';
import { ClusterError } from './errors.ts';

export function loadKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (err) {
    throw new ClusterError('no-context', `Could not read the kubeconfig: ${(err as Error).message}`, false);
  }
  return kc;
}

export function listContexts(kc: KubeConfig): KubeContextInfo[] {
  const current = kc.getCurrentContext();
  return kc.getContexts().map((c) => ({
    name: c.name,
    cluster: c.cluster,
    user: c.user,
    namespace: c.namespace,
    server: kc.getCluster(c.cluster)?.server ?? '',
    current: c.name === current,
  }));
}

/** A copy of the kubeconfig switched to `context` (the loaded one is shared and stays as it is). */
export function kubeConfigFor(base: KubeConfig, context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(base.exportConfig());
  if (context) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new ClusterError('no-context', `No context "${context}" in the kubeconfig (contexts: ${known}).`, false);
    }
    kc.setCurrentContext(context);
  }
  return kc;
}
