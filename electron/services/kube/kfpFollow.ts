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
}

type FollowContext = Pick<RunContext, 'emit' | 'logTail' | 'setExternal'> & { record: RunContext['record'] };

function messageOf(run: KfpRun): string | undefined {
  const message = run.error?.message;
  return message ? `Kubeflow Pipelines: ${message}` : undefined;
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
  private reportedRunning = false;
  private cancelRequested = false;

  constructor(
    private readonly ctx: FollowContext,
    private readonly opts: KfpFollowOptions,
  ) {
    this.fresh = opts.historyBeforeRetry === undefined;
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

  /** The user asked to cancel: KFP ends a terminated run FAILED (it never stores CANCELED), and that failure is the user's doing. */
  markCancelRequested(): void {
    this.cancelRequested = true;
  }

  /** The run's final phase from KFP's state, read as cancelled when the user (or the Workflow) says it was stopped. */
  private finalPhase(state: string | undefined, stopped: boolean): RunPhase {
    const phase = runPhaseOfKfp(state);
    return phase === 'failed' && (stopped || this.cancelRequested) ? 'cancelled' : phase;
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
      const phase = this.finalPhase(run.state, false);
      const why = this.lookupProblem ? ` (its Workflow could not be read: ${this.lookupProblem}; no logs were followed)` : '';
      await this.end({ phase, message: (messageOf(run) ?? '') + why || undefined });
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

  /** The Workflow ended: the run's final phase is what KFP reports once it has caught up. */
  private async settle(fromWorkflow: FinalPhase): Promise<FinalPhase> {
    const deadline = Date.now() + this.opts.settleMs;
    while (!this.stopped && Date.now() < deadline) {
      const run = this.lastRun;
      if (run && this.fresh && isTerminalKfpState(run.state)) {
        const phase = this.finalPhase(run.state, fromWorkflow.phase === 'cancelled');
        return { phase, message: phase === 'cancelled' ? undefined : messageOf(run) ?? fromWorkflow.message };
      }
      this.wake?.();
      await sleep(Math.min(this.opts.pollMs, 250));
    }
    return fromWorkflow;
  }

  private async end(final: FinalPhase): Promise<void> {
    if (this.ended || this.stopped) return;
    this.ended = true;
    this.connection.stop();
    this.ctx.emit({ kind: 'run-phase', runId: this.runId, phase: final.phase, ...(final.message ? { message: final.message } : {}), at: new Date().toISOString() });
  }
}
