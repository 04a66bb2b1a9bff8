/** Local schedules from the app: kept in the data folder, run while the app is open. */
import type { PipelineDocument } from '../pipeline/types.ts';
import type { KfpAuthMode } from '../runs/kfpConnection.ts';
import type { RunSummary } from '../runs/types.ts';
import type { ScheduleSpec } from '../schedules/types.ts';

export interface LocalScheduleView extends ScheduleSpec {
  pipeline: string;
  /** The pipeline file each run reads when it starts. */
  file: string;
  paused: boolean;
  /** ISO time of the next firing, null when paused or none. */
  next: string | null;
  last: { at: string; outcome: 'started' | 'unchanged' | 'skipped' | 'failed'; runId?: string; message: string } | null;
}

export interface SchedulesApi {
  /** `serving`: this back end runs them now (always true in the app; they stop when it closes). */
  listSchedules(): Promise<{ schedules: LocalScheduleView[]; serving: boolean }>;
  /** Adds or replaces (by name) a schedule of the saved pipeline at `documentPath`. */
  addSchedule(documentPath: string, spec: ScheduleSpec): Promise<LocalScheduleView>;
  setSchedulePaused(name: string, paused: boolean): Promise<LocalScheduleView>;
  deleteSchedule(name: string): Promise<void>;
}

/** A schedule on a cluster: an Argo CronWorkflow or a KFP recurring run, seen the same way. */
export interface ClusterSchedule {
  target: 'argo' | 'kfp';
  /** The CronWorkflow's name, or the recurring run's id. */
  id: string;
  name: string;
  pipeline?: string;
  /** As the target keeps it: Argo's five fields in `timezone`; KFP's six fields in UTC. */
  cron: string;
  timezone: string;
  paused: boolean;
  maxConcurrency?: string;
  catchUp?: boolean;
  lastScheduled?: string;
  /** Only when it starts runs only if the data changed (Argo: the CronWorkflow's data check). */
  trigger?: 'data-changed';
  /** Made elsewhere (not by Pipewright: no Pipewright label or description); shown, and can be paused or deleted. */
  external?: true;
  /** ISO time it fires next, as its target reads the cron (Argo: in `timezone`; KFP: UTC); absent when paused or not knowable (no zone, an interval). */
  nextRun?: string;
  /** KFP: a periodic recurring run's interval in seconds (it has no cron). */
  every?: number;
  /** KFP: the experiment it belongs to (named in the list of other schedules, which spans the namespace). */
  experiment?: string;
  /** Not read from the cluster just now (why, in words): what Pipewright recorded when it made it; state, cron and times unknown. */
  unread?: string;
}

/** Where cluster schedules are: a kubeconfig context and namespace (Argo, or KFP through the service proxy), or a KFP URL and token. */
export interface ClusterScheduleEndpoint {
  target: 'argo' | 'kfp';
  context?: string;
  namespace?: string;
  kfpUrl?: string;
  /** Kept in the back end's memory only, never written to disk. */
  kfpToken?: string;
  /** KFP: how Pipewright proves who it is, as a run request says it (shared/runs/kfpConnection.ts); the variables' names, never their values. */
  kfpAuth?: KfpAuthMode;
  kfpTokenEnv?: string;
  kfpCookieEnv?: string;
  kfpServiceAccount?: string;
  /** KFP: the experiment (by name) the recurring runs belong to; created when missing (default: Default). */
  experiment?: string;
}

export interface ClusterScheduleList {
  schedules: ClusterSchedule[];
  /** Where they were read, in words: `Argo on CONTEXT, namespace NS` / `KFP on CONTEXT, experiment E`. */
  where: string;
  /** The same, as data (the app words it in the user's language). */
  place: { target: 'argo' | 'kfp'; context?: string; namespace?: string; kfpUrl?: string; experiment?: string };
  /**
   * With a pipeline asked for: every other schedule there (Argo: the namespace's CronWorkflows; KFP: the
   * namespace's recurring runs in any experiment): other pipelines' (`pipeline` set) and those made outside
   * Pipewright (`external`). `schedules` keeps the pipeline's own.
   */
  others?: ClusterSchedule[];
  /** What could not be read (no permission to list CronWorkflows, KFP unreachable), one sentence each; the rest is listed. */
  problems?: string[];
  /** The pipeline's own could not be listed: `schedules` holds only those this data folder made (read one by one, or as recorded). */
  ownPartial?: true;
}

export interface ClusterSchedulesApi {
  /**
   * The pipeline's schedules at the endpoint, with `others` and `problems` (every schedule there in
   * `schedules` when `pipeline` is absent). The pipeline's own are listed even when the rest cannot be
   * read: fetched one by one, or as recorded when they were made here (`unread`).
   */
  listClusterSchedules(endpoint: ClusterScheduleEndpoint, pipeline?: string): Promise<ClusterScheduleList>;
  /** Creates the schedule of `document` (compiled now, as `pipewright schedule` does) on the cluster. */
  /** The schedule made, with `warnings` about what will keep it from working (the data check's missing RBAC). */
  addClusterSchedule(endpoint: ClusterScheduleEndpoint, document: PipelineDocument, spec: ScheduleSpec): Promise<ClusterSchedule & { warnings?: string[] }>;
  setClusterSchedulePaused(endpoint: ClusterScheduleEndpoint, id: string, paused: boolean): Promise<ClusterSchedule>;
  deleteClusterSchedule(endpoint: ClusterScheduleEndpoint, id: string): Promise<void>;
  /**
   * Looks for runs the pipeline's schedules at the endpoint started and imports the new ones into the
   * run history, marked scheduled, followed like any cluster run. Returns the runs imported now.
   */
  syncScheduledRuns(endpoint: ClusterScheduleEndpoint, document: PipelineDocument): Promise<RunSummary[]>;
}
