/**
 * kubeconfig as kubectl reads it: the files chosen in Settings › Clusters, else KUBECONFIG (several
 * files merged), else ~/.kube/config, else in-cluster; never the library's made-up `loaded-context`.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeconfigFileInfo, KubeconfigOrigin } from '../../../shared/api/clusters.ts';
import type { KubeContextInfo } from '../../../shared/api/runs.ts';
import { ClusterError } from './errors.ts';
import { userCommands } from './kubeconfigExec.ts';
import type { KubeconfigPrograms } from './kubeconfigExec.ts';
import { KubeconfigNotConfirmedError, environmentKubeconfigFiles, notConfirmed } from './kubeconfigTrust.ts';
import type { ConfirmedPrograms, TrustScope } from './kubeconfigTrust.ts';

export const NO_KUBECONFIG =
  'No kubeconfig found (KUBECONFIG, ~/.kube/config). Add your cluster\'s kubeconfig file in Settings › Clusters (or set KUBECONFIG before starting Pipewright), or choose "Use the local emulator" there to try a cluster run on this computer.';

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** What the user chose in Settings › Clusters (empty: follow the environment, as kubectl does). */
export interface KubeconfigChoice {
  files?: readonly string[];
  /** Context to use instead of the files' current-context (ignored when it no longer exists). */
  context?: string | null;
  /** What the user confirmed the listed files may run (kubeconfigTrust.ts); absent: nothing. */
  confirmed?: ConfirmedPrograms;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Which files make up the kubeconfig, and where that list came from. */
export function kubeconfigSources(choice: KubeconfigChoice = {}, env: Env = process.env, home = os.homedir()): { origin: KubeconfigOrigin; files: string[] } {
  if (choice.files && choice.files.length > 0) return { origin: 'settings', files: [...choice.files] };
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (list.length > 0) return { origin: 'KUBECONFIG', files: list };
  const homeFile = path.join(home, '.kube', 'config');
  if (existsSync(homeFile)) return { origin: 'home', files: [homeFile] };
  if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) return { origin: 'in-cluster', files: [] };
  return { origin: 'none', files: [] };
}

function readFile(file: string): KubeConfig {
  const part = new KubeConfig();
  try {
    part.loadFromFile(file);
  } catch (err) {
    const e = err as Error & { code?: string };
    // The parser's first line only: the lines after it quote the file, which may hold credentials.
    const why = e.code === 'EISDIR' ? 'it is a folder, not a file' : e.message.split('\n')[0]!.trim();
    throw new ClusterError('no-context', `Could not read the kubeconfig ${file}: ${why}`, false);
  }
  return part;
}

/**
 * The files merged as kubectl merges a KUBECONFIG list: missing files are skipped, the first file to
 * name a cluster, user or context wins, and the current context is the first file's that sets one.
 * With `check`, each file not trusted must run only confirmed programs, judged on the users as the client
 * parsed them (the very objects it would run), else nothing is loaded.
 */
export function mergeKubeconfigFiles(files: readonly string[], check?: TrustScope): KubeConfig {
  const merged = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '' };
  let found = 0;
  const trusted = new Set(check?.trusted ?? []);
  const unconfirmed: KubeconfigPrograms[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const part = readFile(file);
    found += 1;
    const resolved = path.resolve(file);
    if (check && !trusted.has(resolved)) {
      const fresh = notConfirmed({ file: resolved, commands: userCommands(part.users) }, check.confirmed);
      if (fresh) unconfirmed.push(fresh);
    }
    for (const c of part.clusters) if (!merged.clusters.has(c.name)) merged.clusters.set(c.name, c);
    for (const u of part.users) if (!merged.users.has(u.name)) merged.users.set(u.name, u);
    for (const c of part.contexts) if (!merged.contexts.has(c.name)) merged.contexts.set(c.name, c);
    merged.currentContext ||= part.currentContext;
  }
  if (unconfirmed.length > 0) throw new KubeconfigNotConfirmedError(unconfirmed);
  if (found === 0) throw new ClusterError('no-context', `None of the kubeconfig files exists (${files.join(', ')}). ${NO_KUBECONFIG.replace(/^No kubeconfig found \([^)]*\)\. /, '')}`, false);
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [...merged.clusters.values()], users: [...merged.users.values()], contexts: [...merged.contexts.values()], currentContext: merged.currentContext });
  return kc;
}

export function loadKubeConfig(env: Env = process.env, choice: KubeconfigChoice = {}, home = os.homedir()): KubeConfig {
  const { origin, files } = kubeconfigSources(choice, env, home);
  if (origin === 'none') throw new ClusterError('no-context', NO_KUBECONFIG, false);
  let kc: KubeConfig;
  if (origin === 'in-cluster') {
    kc = new KubeConfig();
    kc.loadFromCluster();
  } else if (origin === 'settings') {
    // Files chosen in Settings run only what the user confirmed; the environment's own are kubectl's to trust.
    kc = mergeKubeconfigFiles(files, { confirmed: choice.confirmed ?? {}, trusted: environmentKubeconfigFiles(env, home) });
  } else kc = mergeKubeconfigFiles(files);
  if (choice.context && kc.getContextObject(choice.context)) kc.setCurrentContext(choice.context);
  return kc;
}

/** Each file of the list as the Clusters settings show it: there or not, readable or why not, its contexts. */
export function describeKubeconfigFile(file: string): KubeconfigFileInfo {
  if (!existsSync(file)) return { path: file, exists: false, contexts: [] };
  try {
    const part = readFile(file);
    // kubectl skips such a file in a list; offered on its own it is most likely the wrong file.
    if (part.clusters.length === 0 && part.users.length === 0 && part.contexts.length === 0)
      return { path: file, exists: true, contexts: [], error: `Could not read the kubeconfig ${file}: it defines no clusters, users or contexts (is it a kubeconfig?)` };
    return { path: file, exists: true, contexts: part.getContexts().map((c) => c.name), ...(part.currentContext ? { currentContext: part.currentContext } : {}) };
  } catch (err) {
    return { path: file, exists: true, contexts: [], error: (err as Error).message };
  }
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
