/** Run events and records shared by every run target (local, kfp, argo), the CLI and the UI. */
import type { KfpAuthMode, KfpServiceSettings } from './kfpConnection.ts';
import type { RunAlert } from '../alerts/types.ts';
import type { PipelineDocument } from '../pipeline/types.ts';

export type RunTarget = 'local' | 'kfp' | 'argo';

export type NodePhase = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cached' | 'cancelled';
export type RunPhase = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'error';

export const TERMINAL_RUN_PHASES: readonly RunPhase[] = ['succeeded', 'failed', 'cancelled', 'error'];
export const TERMINAL_NODE_PHASES: readonly NodePhase[] = ['succeeded', 'failed', 'skipped', 'cached', 'cancelled'];

export interface LogLine {
  /** 1-based, dense per (run, node): the UI and the history use it to drop duplicates. */
  seq: number;
  /** ISO-8601 time the line was written (the container's timestamp on clusters). */
  ts: string;
  text: string;
  stream?: 'stdout' | 'stderr';
}

export interface MetricRecord {
  step: number;
  /** Named scalar values: loss, learning_rate, epoch, tokens_per_second, accuracy, ... */
  values: Record<string, number>;
  ts?: string;
}

export interface Progress {
  current: number;
  total: number;
  /** Optional label, e.g. the tqdm description. */
  label?: string;
  /** Items per second (tqdm's rate; `s/it` bars are inverted), when known. */
  rate?: number;
  /** Seconds left, when known (tqdm's remaining time). */
  etaSeconds?: number;
}

/** What a deploy step last said of its rollout (PIPEWRIGHT_DEPLOY lines, node-catalog/deploy/step.py). */
export interface DeployStatus {
  kind: 'Deployment' | 'Rollout';
  name?: string;
  /** Rendered (not applied), Progressing, Paused, Healthy, Degraded, Failed, Aborted. */
  phase: string;
  /** Canary step index and count, and the canary weight in percent (Rollouts). */
  step?: number;
  steps?: number;
  weight?: number;
  /** Why it is paused (CanaryPauseStep, InconclusiveAnalysis). */
  paused?: string;
  /** Background analysis phase (Running, Successful, Failed, Inconclusive, Error) and its last measured value. */
  analysis?: string;
  analysisValue?: string;
  ready?: number;
  replicas?: number;
  message?: string;
}

/** Where a step's MLflow records are (PIPEWRIGHT_INFO mlflow_* keys). */
export interface MlflowLinks {
  runId?: string;
  runUrl?: string;
  experimentId?: string;
  modelName?: string;
  modelVersion?: string;
  modelUrl?: string;
}

/** The content of one output a step wrote (the same SHA-256 as InputHash: a file's, or a folder's over its files). */
export interface OutputHash {
  sha256?: string;
  bytes?: number;
}

/** A one-line explanation of why a node is stuck or failed (Unschedulable, OOMKilled, ...). */
export interface NodeHint {
  reason: string;
  hint: string;
}

export type RunEvent =
  | { kind: 'run-phase'; runId: string; phase: RunPhase; message?: string; at: string }
  | { kind: 'node-phase'; runId: string; nodeId: string; phase: NodePhase; message?: string; at: string }
  | { kind: 'node-info'; runId: string; nodeId: string; engine?: string; podName?: string; deploy?: DeployStatus; mlflow?: MlflowLinks; outputs?: Record<string, OutputHash> }
  | { kind: 'log'; runId: string; nodeId: string; lines: LogLine[] }
  | { kind: 'metrics'; runId: string; nodeId: string; records: MetricRecord[] }
  | { kind: 'progress'; runId: string; nodeId: string; progress: Progress }
  | { kind: 'hint'; runId: string; nodeId: string; hint: NodeHint | null }
  | { kind: 'connection'; runId: string; state: 'connected' | 'disconnected'; message?: string }
  /** Pipewright's own alert rules fired on a node (shared/alerts); the run record keeps it. */
  | { kind: 'alert'; runId: string; nodeId: string; alert: RunAlert };

export interface NodeRunState {
  phase: NodePhase;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  engine?: string;
  podName?: string;
  /** The deploy step's rollout, as last reported. */
  deploy?: DeployStatus;
  /** The step's MLflow run and registered model version, once it said. */
  mlflow?: MlflowLinks;
  /** Content hashes of the outputs it wrote, by output port (the lineage across runs). */
  outputs?: Record<string, OutputHash>;
  progress?: Progress;
  hint?: NodeHint | null;
  /** The last value of each metric, for summaries and run comparison. */
  lastMetrics?: Record<string, number>;
}

export interface RunSummary {
  id: string;
  pipelineName: string;
  target: RunTarget;
  context?: string;
  namespace?: string;
  phase: RunPhase;
  message?: string;
  createdAt: string;
  finishedAt?: string;
  nodes: Record<string, NodeRunState>;
  /** Alerts that fired while it ran, in order (each rule at most once per node). */
  alerts?: RunAlert[];
  /** Target-side identity: Argo Workflow name, KFP run id, local workspace path. */
  external?: {
    workflowName?: string;
    kfpRunId?: string;
    kfpPipelineId?: string;
    workspace?: string;
    workflowNamespace?: string;
    kfpUrl?: string;
    /** KFP: the profile namespace the run was started in (multi-user KFP); reattach, retry and cancel use it. */
    kfpNamespace?: string;
    /** KFP: when the user asked to cancel it (the run then ends cancelled, whatever state KFP gives it). */
    kfpCancelRequestedAt?: string;
  };
  /** The pipeline parameters' values the run used (defaults filled in); absent when it had none. */
  parameterValues?: Record<string, string | number | boolean>;
  /** The schedule that started it (`local:NAME`, `argo:CRONWORKFLOW`, `kfp:RECURRING_RUN_ID`); absent for runs started by hand. */
  scheduledBy?: string;
  /** The name of that schedule as its users know it (a KFP recurring run's display name); absent when it is the part after `:` of scheduledBy. */
  scheduleName?: string;
}

/** The content hash of one input a run read: a dataset node's `uri`, a step's data folder, a python step's code. */
export interface InputHash {
  nodeId: string;
  /** `uri` (dataset nodes), `data_uri` (ko-bench), `code` (python steps). */
  param: string;
  /** What was hashed: the URI or path as the run resolved it; absent for code. */
  uri?: string;
  /** Hex SHA-256 of the content (a folder: of its files' relative paths and contents, in path order). */
  sha256?: string;
  bytes?: number;
  files?: number;
  /** Why there is no hash (a remote URI, a missing file, a folder too large): the diff then compares the URI. */
  unavailable?: string;
}

export interface RunRecord extends RunSummary {
  /** The document exactly as it was submitted. */
  document: PipelineDocument;
  /** Compiled files as submitted, keyed by file name (`pipeline.yaml`, `workflow.yaml`, `dvc.yaml`, ...). */
  compiled: Record<string, string>;
  /** Content hashes of the dataset inputs and python steps' code, taken when the run was created (runs since the run diff). */
  inputs?: InputHash[];
  /** The pipeline parameters' values this run used (defaults filled in); absent in older records (then the document's defaults). */
  parameterValues?: Record<string, string | number | boolean>;
}

/** Where a KFP API is: through a context's service proxy, or a URL with a bearer token. */
export type KfpEndpointRequest = Pick<StartRunRequest, 'context' | 'namespace' | 'kfpUrl' | 'kfpToken' | 'kfpAuth' | 'kfpTokenEnv' | 'kfpCookieEnv' | 'kfpServiceAccount' | 'kfpService'>;

export interface StartRunRequest {
  document: PipelineDocument;
  target: RunTarget;
  context?: string;
  namespace?: string;
  /** KFP only: reach the API at this URL with this bearer token instead of the service proxy. */
  kfpUrl?: string;
  kfpToken?: string;
  /** KFP with a URL: the environment variable holding the token (its name is kept, never the token), so a reattach can read it again. */
  kfpTokenEnv?: string;
  /**
   * KFP: how Pipewright proves who it is (see shared/runs/kfpConnection.ts). Absent: `proxy` without
   * `kfpUrl`, `session` with it.
   */
  kfpAuth?: KfpAuthMode;
  /** KFP `session`: the environment variable holding the `authservice_session` cookie (its name is kept, never the value). */
  kfpCookieEnv?: string;
  /** KFP `service-account`: the ServiceAccount (in `namespace`) whose token is requested; default `default-editor`. */
  kfpServiceAccount?: string;
  /** KFP `proxy`: the ml-pipeline service to proxy to (default kubeflow / ml-pipeline / 8888 / http). */
  kfpService?: Partial<KfpServiceSettings>;
  experiment?: string;
  /** Values of the pipeline's run-time parameters for this run, typed (`--param`, the run dialog); the others take their defaults. */
  parameterValues?: Record<string, string | number | boolean>;
  /** Set by a schedule that starts the run (see RunSummary.scheduledBy). */
  scheduledBy?: string;
}
