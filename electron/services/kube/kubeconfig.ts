/** kubeconfig as kubectl reads it: KUBECONFIG (several files merged), then ~/.kube/config, then in-cluster. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeContextInfo } from '../../../shared/api/runs.ts';
import { ClusterError } from './errors.ts';

/**
 * KUBECONFIG's files merged as kubectl merges them: missing files are skipped, the first file to
 * name a cluster, user or context (or the current context) wins.
 */
function loadKubeconfigList(files: string[]): KubeConfig {
  const merged = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '' };
  let found = 0;
  for (const file of files) {
    if (!existsSync(file)) continue;
    const part = new KubeConfig();
    try {
      part.loadFromFile(file);
    } catch (err) {
      throw new ClusterError('no-context', `Could not read the kubeconfig ${file}: ${(err as Error).message}`, false);
    }
    found += 1;
    for (const c of part.clusters) if (!merged.clusters.has(c.name)) merged.clusters.set(c.name, c);
    for (const u of part.users) if (!merged.users.has(u.name)) merged.users.set(u.name, u);
    for (const c of part.contexts) if (!merged.contexts.has(c.name)) merged.contexts.set(c.name, c);
    merged.currentContext ||= part.currentContext;
  }
  if (found === 0) throw new ClusterError('no-context', `None of the kubeconfig files in KUBECONFIG exists (${files.join(path.delimiter)}).`, false);
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [...merged.clusters.values()], users: [...merged.users.values()], contexts: [...merged.contexts.values()], currentContext: merged.currentContext });
  return kc;
}

export function loadKubeConfig(env: Readonly<Record<string, string | undefined>> = process.env): KubeConfig {
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (list.length > 0) return loadKubeconfigList(list);
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
