/** The runs half of the renderer <-> back end contract. Served by electron/services/runs. */
import type { LogLine, MetricRecord, RunEvent, RunRecord, RunSummary, StartRunRequest } from '../runs/types.ts';

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

export interface RunsApi {
  listContexts(): Promise<KubeContextInfo[]>;
  testConnection(context: string, namespace: string): Promise<ConnectionCheck>;
  startRun(request: StartRunRequest): Promise<RunSummary>;
  cancelRun(runId: string): Promise<void>;
  retryRun(runId: string): Promise<RunSummary>;
  listRuns(): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunRecord>;
  /** Lines with seq > afterSeq, at most `limit`. */
  readLog(runId: string, nodeId: string, afterSeq: number, limit: number): Promise<LogPage>;
  readMetrics(runId: string, nodeId: string): Promise<MetricRecord[]>;
  deleteRun(runId: string): Promise<void>;
}

/** Live run events reach the renderer through one subscription. */
export type RunEventListener = (event: RunEvent) => void;

/** How a runs service pushes live events; the back end forwards them to every renderer. */
export interface RunEventSource {
  /** Returns the unsubscribe function. */
  subscribe(listener: RunEventListener): () => void;
}
