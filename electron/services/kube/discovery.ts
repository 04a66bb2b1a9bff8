/** What API groups a cluster serves, asked by discovery (readable by every authenticated user, unlike the CRDs themselves). */
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from './errors.ts';
import { kubeJson } from './request.ts';

/** Argo Workflows is installed: argoproj.io/v1alpha1 serves `workflows` (a 404 for the group: not installed). */
export async function argoInstalled(kc: KubeConfig, timeoutMs: number): Promise<boolean> {
  try {
    const list = await kubeJson<{ resources?: { name: string }[] }>(kc, { path: '/apis/argoproj.io/v1alpha1', timeoutMs }, 'look for Argo Workflows');
    return (list.resources ?? []).some((r) => r.name === 'workflows');
  } catch (error) {
    if (error instanceof ClusterError && error.status === 404) return false;
    throw error;
  }
}
