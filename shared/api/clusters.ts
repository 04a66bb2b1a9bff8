/** Settings › Clusters: which kubeconfig files, which context, the local Kubernetes emulator. */
import type { KubeContextInfo } from './runs.ts';

/** Where the kubeconfig list comes from: the settings, the KUBECONFIG variable, ~/.kube/config, the pod's service account, or nowhere. */
export type KubeconfigOrigin = 'settings' | 'KUBECONFIG' | 'home' | 'in-cluster' | 'none';

export interface KubeconfigFileInfo {
  path: string;
  exists: boolean;
  /** Context names the file defines. */
  contexts: string[];
  /** The file's own current-context. */
  currentContext?: string;
  /** Why the file cannot be read as a kubeconfig. */
  error?: string;
  /** The kubeconfig Pipewright wrote for its local emulator. */
  emulator?: boolean;
}

export interface KubeEmulatorState {
  running: boolean;
  /** API server address while running. */
  url?: string;
  /** The kubeconfig written for it (under the data folder). */
  kubeconfigPath: string;
  context: string;
  /** Why it cannot be started here (e.g. a packaged app without the test tools); absent when it can. */
  unavailable?: string;
}

export interface KubeconfigOverview {
  origin: KubeconfigOrigin;
  /** The files merged, in order (the first to name a cluster, user or context wins). */
  files: KubeconfigFileInfo[];
  /** Contexts of the merged kubeconfig; `current` marks the one in use. */
  contexts: KubeContextInfo[];
  currentContext: string | null;
  /** Why the merged kubeconfig cannot be used, in plain words with what to do. */
  problem?: string;
  emulator: KubeEmulatorState;
}

export interface ClustersApi {
  describeKubeconfig(): Promise<KubeconfigOverview>;
  /** One file as it would be added: there or not, a kubeconfig or why not, its contexts. */
  checkKubeconfigFile(path: string): Promise<KubeconfigFileInfo>;
  /** Starts the local emulator (as `npm run kube-emulator` does), puts its kubeconfig first and switches to its context. */
  startKubeEmulator(): Promise<KubeconfigOverview>;
  /** Stops it and takes its kubeconfig out of the list. */
  stopKubeEmulator(): Promise<KubeconfigOverview>;
}
