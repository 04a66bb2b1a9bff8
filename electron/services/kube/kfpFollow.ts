/**
 * Follows one KFP run: polls the run (its state is the source of truth for the final phase), finds
 * the Argo Workflow KFP made for it (label `pipeline/runid`) and follows that with a WorkflowMonitor
 * for node phases, hints and logs. Without access to the Workflow, node phases come from the run's
 * task details (no logs then: KFP's own log endpoint does not stream).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { NodePhase, RunPhase } from '../../../shared/runs/types.ts';
import type { RunContext } from '../runs/target.ts';
import { sleep } from './backoff.ts';
import { ClusterError } from './errors.ts';
import { ConnectionReporter } from './connection.ts';
import type { KfpClient, KfpRun } from './kfpClient.ts';
import { KFP_RUN_ID_LABEL, isTerminalKfpState, kfpPodNode, kfpTaskStates, nodePhaseOfKfpTask, runPhaseOfKfp } from './kfpStatus.ts';
import { KFP_DATA_CHECK_TASK } from '../../../shared/schedules/dataCheck/kfp.ts';
import { KFP_DATA_UNCHANGED_MESSAGE } from '../../../shared/schedules/dataCheck/outcome.ts';
import { readKfpDataCheck } from './kfpDataCheck.ts';
import { NO_REASON_DIRECT_URL, readFailureReason } from './kfpFailure.ts';
import { kubeJson } from './request.ts';
import { WorkflowMonitor } from './workflowMonitor.ts';
import type { FinalPhase } from './workflowMonitor.ts';

export interface KfpFollowOptions {
  client: KfpClient;
  /** Kubernetes access for the Workflow and pods; absent when only KFP's URL is reachable. */
  kc?: KubeConfig;
  kfpRunId: string;
  /** Where KFP may have put the Workflow (the profile namespace, KFP's own). */
  namespaces: string[];
  /** Already known from an earlier session. */
  workflow?: { name: string; namespace: string };
  pollMs: number;
  /** How long to wait for KFP to report the final state once the Workflow ended (ms). */
  settleMs: number;
  /**
   * After a retry: the run's state history length before it (null: KFP keeps none), so the old
   * terminal state is not taken for the new one until KFP has moved on.
   */
  historyBeforeRetry?: number | null;
  drainMs?: number;
  /** The user asked to cancel it (in this session or one before): it ends cancelled, whatever KFP ends it with. */
  cancelRequested?: boolean;
  /** How long KFP may report no state at all before the outcome is called unknown (ms, default settleMs). */
  unknownStateMs?: number;
}

type FollowContext = Pick<RunContext, 'emit' | 'logTail' | 'setExternal'> & { record: RunContext['record'] };

function messageOf(run: KfpRun): string | undefined {
  const message = run.error?.message;
  return message ? `Kubeflow Pipelines: ${message}` : undefined;
}

/** A state KFP actually reported (absent and RUNTIME_STATE_UNSPECIFIED say nothing). */
function knownState(run: KfpRun): boolean {
  return Boolean(run.state) && run.state !== 'RUNTIME_STATE_UNSPECIFIED';
}

export class KfpRunFollower {
  private monitor?: WorkflowMonitor;
  private lastRun?: KfpRun;
  private fresh: boolean;
  private stopped = false;
  private ended = false;
  private wake?: () => void;
  private readonly nodePhases = new Map<string, NodePhase>();
  private readonly connection: ConnectionReporter;
  private lookupProblem?: string;
  private workflowName?: string;
  private workflowNamespace?: string;
  private reportedRunning = false;
  private cancelled: boolean;
  /** Since when KFP has reported no state for the run (ms), while it reports none. */
  private stateMissingSince?: number;

  constructor(
    private readonly ctx: FollowContext,
    private readonly opts: KfpFollowOptions,
  ) {
    this.fresh = opts.historyBeforeRetry === undefined;
    this.cancelled = opts.cancelRequested ?? false;
    this.connection = new ConnectionReporter((state, message) => this.ctx.emit({ kind: 'connection', runId: this.runId, state, ...(message ? { message } : {}) }));
  }

  private get runId(): string {
    return this.ctx.record.id;
  }

  private get nodeIds(): string[] {
    return this.ctx.record.document.nodes.map((n) => n.id);
  }

  async start(): Promise<void> {
    if (this.opts.workflow) await this.startMonitor(this.opts.workflow.name, this.opts.workflow.namespace);
    void this.loop();
  }

  /** The user pressed Cancel: whatever KFP ends the run with now (it stores FAILED for a terminated run), it ends cancelled. */
  markCancelRequested(): void {
    this.cancelled = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connection.stop();
    this.monitor?.stop();
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !this.ended) {
      await this.poll().catch((error: unknown) => console.error(`run ${this.runId}:`, error));
      if (this.stopped || this.ended) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void sleep(this.opts.pollMs).then(resolve);
      });
    }
  }

  private async poll(): Promise<void> {
    let run: KfpRun;
    try {
      run = await this.opts.client.getRun(this.opts.kfpRunId);
      this.connection.set('kfp', 'connected');
    } catch (error) {
      if (error instanceof ClusterError && error.kind === 'not-found') {
        return this.end({ phase: 'error', message: `The run ${this.opts.kfpRunId} no longer exists in Kubeflow Pipelines (it was deleted)` });
      }
      this.connection.set('kfp', 'disconnected', (error as Error).message);
      return;
    }
    if (!knownState(run)) {
      // No state is not "pending": KFP's persistence agent has not told it anything (yet).
      this.stateMissingSince ??= Date.now();
      if (!this.monitor && Date.now() - this.stateMissingSince >= (this.opts.unknownStateMs ?? this.opts.settleMs)) {
        const since = new Date(this.stateMissingSince).toISOString();
        return this.end({ phase: 'error', message: `The outcome is unknown: Kubeflow Pipelines has reported no state for run ${this.opts.kfpRunId} since ${since} (is its persistence agent running?). Look at the run in the Kubeflow Pipelines UI.` });
      }
    } else this.stateMissingSince = undefined;
    const before = this.opts.historyBeforeRetry;
    if (!isTerminalKfpState(run.state) || (typeof before === 'number' && (run.state_history?.length ?? 0) > before)) this.fresh = true;
    this.lastRun = run;
    if (!this.fresh) return;
    if (runPhaseOfKfp(run.state) === 'running' && !this.reportedRunning) {
      this.reportedRunning = true;
      this.ctx.emit({ kind: 'run-phase', runId: this.runId, phase: 'running', at: new Date().toISOString() });
    }
    if (!this.monitor && this.opts.kc) await this.findWorkflow();
    if (this.monitor) return;
    this.reportTasks(run);
    if (isTerminalKfpState(run.state)) {
      const phase: RunPhase = runPhaseOfKfp(run.state);
      const why = this.lookupProblem ? ` (its Workflow could not be read: ${this.lookupProblem}; no logs were followed)` : '';
      const reason = phase === 'failed' && !this.opts.kc && !this.cancelled ? NO_REASON_DIRECT_URL : undefined;
      const message = [messageOf(run), reason].filter(Boolean).join('; ');
      await this.end({ phase, message: message + why || undefined });
    }
  }

  /** Node phases from `run_details.task_details`, while the Workflow cannot be followed. */
  private reportTasks(run: KfpRun): void {
    const known = new Set(this.nodeIds);
    for (const task of run.run_details?.task_details ?? []) {
      const nodeId = task.display_name ?? '';
      if (!known.has(nodeId)) continue;
      const phase = nodePhaseOfKfpTask(task.state);
      if (this.nodePhases.get(nodeId) === phase) continue;
      this.nodePhases.set(nodeId, phase);
      this.ctx.emit({ kind: 'node-phase', runId: this.runId, nodeId, phase, ...(task.error?.message ? { message: task.error.message } : {}), at: new Date().toISOString() });
    }
  }

  private async findWorkflow(): Promise<void> {
    const problems: string[] = [];
    for (const namespace of this.opts.namespaces) {
      try {
        const list = await kubeJson<{ items?: { metadata: { name: string } }[] }>(
          this.opts.kc!,
          { path: `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/workflows`, query: { labelSelector: `${KFP_RUN_ID_LABEL}=${this.opts.kfpRunId}` } },
          `find the Workflow of KFP run ${this.opts.kfpRunId} in namespace ${namespace}`,
        );
        const name = list.items?.[0]?.metadata.name;
        if (!name) continue;
        await this.ctx.setExternal({ workflowName: name, workflowNamespace: namespace });
        await this.startMonitor(name, namespace);
        return;
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    this.lookupProblem = problems.length === this.opts.namespaces.length ? problems.join('; ') : undefined;
  }

  private async startMonitor(name: string, namespace: string): Promise<void> {
    if (!this.opts.kc || this.stopped) return;
    this.workflowName = name;
    this.workflowNamespace = namespace;
    const monitor = new WorkflowMonitor(this.opts.kc, this.ctx, {
      namespace,
      workflowName: name,
      nodeIds: this.nodeIds,
      podNode: kfpPodNode,
      nodeStates: kfpTaskStates,
      drainMs: this.opts.drainMs,
      settle: (fromWorkflow) => this.settle(fromWorkflow),
    });
    this.monitor = monitor;
    await monitor.start();
    void monitor.done.then(() => {
      this.ended = true;
      this.wake?.();
    });
  }

  /** A run the user cancelled is cancelled, whether KFP says CANCELED, FAILED (terminated pods fail) or ERROR; one that still succeeded stays succeeded. */
  private asCancelled(final: FinalPhase): FinalPhase {
    if (!this.cancelled || final.phase === 'cancelled' || final.phase === 'succeeded') return final;
    const state = this.lastRun?.state;
    return { phase: 'cancelled', message: `Cancelled${state && state !== 'CANCELED' ? ` (Kubeflow Pipelines ended it as ${state} after the termination)` : ''}` };
  }

  /** The Workflow ended: the run's final phase is what KFP reports once it has caught up. */
  private async settle(fromWorkflow: FinalPhase): Promise<FinalPhase> {
    return this.withDataCheckDecision(this.asCancelled(await this.settleFromKfp(fromWorkflow)));
  }

  /** A "when the data changes" run that skipped: the data check's exact words (which run, recorded when), read from its log. */
  private async withDataCheckDecision(final: FinalPhase): Promise<FinalPhase> {
    const name = this.workflowName ?? this.ctx.record.external?.workflowName;
    const namespace = this.workflowNamespace ?? this.ctx.record.external?.workflowNamespace;
    if (final.phase !== 'succeeded' || final.message !== KFP_DATA_UNCHANGED_MESSAGE || !this.opts.kc || !name || !namespace) return final;
    const decision = (await readKfpDataCheck(this.opts.kc, namespace, name))?.decision;
    return decision ? { ...final, message: decision } : final;
  }

  private async settleFromKfp(fromWorkflow: FinalPhase): Promise<FinalPhase> {
    const deadline = Date.now() + this.opts.settleMs;
    while (!this.stopped && Date.now() < deadline) {
      const run = this.lastRun;
      if (run && this.fresh && isTerminalKfpState(run.state)) {
        // A Workflow stopped by KFP's termination (activeDeadlineSeconds 0) was cancelled, even if the Cancel came from elsewhere.
        if (fromWorkflow.phase === 'cancelled' && runPhaseOfKfp(run.state) === 'failed') return { phase: 'cancelled' };
        return this.withReason({ phase: runPhaseOfKfp(run.state), message: messageOf(run) ?? fromWorkflow.message });
      }
      this.wake?.();
      await sleep(Math.min(this.opts.pollMs, 250));
    }
    return this.withReason(fromWorkflow);
  }

  /** A failed run's message with the reasons its Workflow and pods give (when KFP's own says nothing about them). */
  private async withReason(final: FinalPhase): Promise<FinalPhase> {
    if (final.phase !== 'failed' || this.cancelled || !this.opts.kc) return final;
    const wf = this.ctx.record.external;
    const name = this.workflowName ?? wf?.workflowName;
    const namespace = this.workflowNamespace ?? wf?.workflowNamespace;
    if (!name || !namespace) return final;
    // No task of the pipeline failed: a data check's own error (an account without the Role) is the reason.
    const checkError = async () => {
      const error = (await readKfpDataCheck(this.opts.kc!, namespace, name))?.error;
      return error ? `${KFP_DATA_CHECK_TASK}: ${error}` : undefined;
    };
    const reason = (await readFailureReason(this.opts.kc, namespace, name, this.nodeIds)) ?? (await checkError());
    if (!reason || final.message?.includes(reason)) return final;
    return { ...final, message: final.message ? `${final.message}. Failed: ${reason}` : `Failed: ${reason}` };
  }

  private async end(final: FinalPhase): Promise<void> {
    if (this.ended || this.stopped) return;
    this.ended = true;
    final = this.asCancelled(final);
    this.connection.stop();
    this.ctx.emit({ kind: 'run-phase', runId: this.runId, phase: final.phase, ...(final.message ? { message: final.message } : {}), at: new Date().toISOString() });
  }
}
