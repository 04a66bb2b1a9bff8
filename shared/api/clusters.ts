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
  /** Listed files that now run programs nobody confirmed (edited since): they are not used until confirmed. */
  unconfirmed?: KubeconfigFilePrograms[];
  emulator: KubeEmulatorState;
}

/** Why what a kubeconfig file runs cannot be told now. */
export type KubeconfigUncheckable = 'missing' | 'not-a-file' | 'too-large' | 'cannot-read' | 'not-yaml';

/** The programs one kubeconfig file makes Pipewright run (exec credential plugins, an auth-provider's cmd-path). */
export interface KubeconfigFilePrograms {
  /** Absolute path. */
  file: string;
  /** Command lines with their environment and user: `AWS_PROFILE=prod aws eks get-token --cluster-name prod (user eks-admin)`. */
  commands: string[];
  /** Set when the file cannot be checked now: what it will run is unknown. */
  unreadable?: KubeconfigUncheckable;
  /** The error behind `unreadable` (errno code, parser's first line). */
  detail?: string;
}

/**
 * A refusal because kubeconfig files run programs (carried by ApiError.reason; the UI words it).
 * `add`: files being added to the list; `changed`: listed files that run programs not confirmed since they
 * were added (someone edited them). `declined`: the desktop app asked and the user said no; otherwise browser
 * mode, which has no dialog outside the page to ask in.
 */
export interface KubeconfigProgramsReason {
  kind: 'kubeconfig-programs';
  situation: 'add' | 'changed';
  declined: boolean;
  files: KubeconfigFilePrograms[];
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
