/** The runs half of the renderer <-> back end contract. Served by electron/services/runs. */
import type { Lineage } from '../lineage/types.ts';
import type { KfpEndpointRequest, LogLine, MetricRecord, RunEvent, RunRecord, RunSummary, StartRunRequest } from '../runs/types.ts';

export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server: string;
  current: boolean;
}

export interface ConnectionCheck {
  ok: boolean;
  serverVersion?: string;
  argoInstalled?: boolean;
  kfpReachable?: boolean;
  canCreateWorkflows?: boolean;
  /** Plain-language messages, one per failed check. */
  messages: string[];
}

export interface LogPage {
  lines: LogLine[];
  /** seq of the last line held for this node (so callers know whether more exists). */
  lastSeq: number;
}

export interface ArtifactFile {
  /** Relative to the node's output folder, starting with the output port's name. */
  path: string;
  port: string;
  size: number;
  /** SHA-256 of the content (absent for files too large to hash). */
  sha256?: string;
}

export interface PredictionRow {
  prompt: string;
  expected: string;
  answer: string;
  correct: boolean;
}

/** A manifest the deploy step rendered (local runs: its output file) or applied (cluster runs: from its PIPEWRIGHT_APPLIED lines). */
export interface ManifestArtifact {
  /** `endpoint/deployment.yaml` (a rendered file) or the step's file name of an applied object (`deployment.yaml`). */
  file: string;
  text: string;
  /** Set when the object was applied to a cluster: where, and the generation the API server gave it. */
  applied?: { kind: string; name: string; namespace: string; generation?: number; at: string };
}

export interface NodeArtifacts {
  /** false: `reason` says why nothing can be listed (not-local: a cluster run's outputs are in its artifact store; no-outputs).
   *  A cluster run's deploy step still lists the manifests it applied (`manifests`, with `reason` not-local). */
  available: boolean;
  reason?: 'not-local' | 'no-outputs';
  files: ArtifactFile[];
  truncated?: boolean;
  predictions?: PredictionRow[];
  predictionsTotal?: number;
  manifests?: ManifestArtifact[];
  modelCard?: Record<string, unknown>;
}

/** How a run reaches KFP, without where (context, namespace) and the service (the app's setting). */
export type KfpConnectionRequest = Pick<KfpEndpointRequest, 'kfpUrl' | 'kfpToken' | 'kfpAuth' | 'kfpTokenEnv' | 'kfpCookieEnv' | 'kfpServiceAccount'>;

export interface RunsApi {
  listContexts(): Promise<KubeContextInfo[]>;
  /** `kfp`: the KFP connection the run would use (URL and login or service account); absent: the service proxy. */
  testConnection(context: string, namespace: string, kfp?: KfpConnectionRequest): Promise<ConnectionCheck>;
  /** KFP: the experiments' names, to choose one for a run (a new name is created when the run starts). */
  listKfpExperiments(request: KfpEndpointRequest): Promise<string[]>;
  startRun(request: StartRunRequest): Promise<RunSummary>;
  cancelRun(runId: string): Promise<void>;
  retryRun(runId: string): Promise<RunSummary>;
  listRuns(): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunRecord>;
  /** Lines with seq > afterSeq, at most `limit`. */
  readLog(runId: string, nodeId: string, afterSeq: number, limit: number): Promise<LogPage>;
  readMetrics(runId: string, nodeId: string): Promise<MetricRecord[]>;
  /** The node's outputs (local runs): files with sizes and hashes, eval predictions, manifests, the model card. */
  readArtifacts(runId: string, nodeId: string): Promise<NodeArtifacts>;
  /** The node's lineage across the run history: its upstream and downstream, the same data and models in other runs (null: the whole run). */
  readLineage(runId: string, nodeId: string | null): Promise<Lineage>;
  deleteRun(runId: string): Promise<void>;
}

/** Live run events reach the renderer through one subscription. */
export type RunEventListener = (event: RunEvent) => void;

/** How a runs service pushes live events; the back end forwards them to every renderer. */
export interface RunEventSource {
  /** Returns the unsubscribe function. */
  subscribe(listener: RunEventListener): () => void;
}
