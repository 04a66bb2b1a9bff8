/**
 * The seam between the run core (RunManager: state, history, events) and each run target
 * (`local`, `argo`, `kfp`). A driver compiles, starts, follows and stops runs of one target; it
 * reports everything as RunEvents through `ctx.emit` and never touches the run history itself.
 */
import type { LogLine, RunEvent, RunRecord, RunSummary, RunTarget, StartRunRequest } from '../../../shared/runs/types.ts';

/** What a driver may keep of the request: everything but the document and the secret token. */
export type RunRequestOptions = Omit<StartRunRequest, 'document' | 'kfpToken'>;

export interface RunContext {
  /** The run as recorded when the driver is called (id, document, compiled files, target, context...). */
  readonly record: Readonly<RunRecord>;
  /** The request. `kfpToken` is present only on `start` and `retry` (it is never written to disk). */
  readonly request: StartRunRequest;
  /** The run's own folder in the history: drivers may keep files there (the local workspace does). */
  readonly dir: string;
  /** Report an event. Log lines need dense `seq` per node; lines at or below the last recorded seq are dropped. */
  emit(event: RunEvent): void;
  /** Record target-side ids at once (Argo Workflow name, KFP run id, workspace path), so reattach finds them. */
  setExternal(external: NonNullable<RunSummary['external']>): Promise<void>;
  /**
   * Backpressure: undefined while few log lines wait in memory, else a promise resolved once they are
   * written. A driver reading a process's output pauses it until then, so memory stays bounded
   * however fast a step prints.
   */
  drain?(): Promise<void> | undefined;
  /** The last `count` log lines recorded for a node (to resume a log follow without duplicates). */
  logTail(nodeId: string, count: number): Promise<LogLine[]>;
}

export interface RunHandle {
  /** Stop the run. The driver then emits the final node phases and a `run-phase` `cancelled`. */
  cancel(): Promise<void>;
  /**
   * This process is going away (the app quits): stop following the run. Cluster runs go on and are
   * reattached on the next start; a local run cannot outlive its runner and ends failed.
   */
  detach(): Promise<void>;
}

export interface RunTargetDriver {
  readonly target: RunTarget;
  /**
   * Compile the document for this target: the files that will be submitted, by file name. Throws
   * an Error whose message names the problem (and the node id) when the document cannot run.
   */
  compile(request: StartRunRequest): Promise<Record<string, string>>;
  /** Submit / start the run. It is already recorded (phase `pending`). Events follow through ctx.emit. */
  start(ctx: RunContext): Promise<RunHandle>;
  /**
   * Pick up a run that was still running when the process that owned it went away (found on start
   * up). Resume following it, or settle it: emit its final phases and return null.
   */
  reattach(ctx: RunContext): Promise<RunHandle | null>;
  /** Retry in place (KFP retries a run under the same id). Without it, a retry is a new run of the same request. */
  retry?(ctx: RunContext): Promise<RunHandle>;
}
