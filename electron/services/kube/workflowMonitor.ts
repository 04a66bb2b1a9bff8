/**
 * Follows one Argo Workflow (submitted by Pipewright directly, or by KFP) until it ends: node phases
 * from the Workflow watch, hints from its pods, and each node's `main` container log through the
 * one log parser, all as RunEvents. Survives disconnects: watches resume, logs resume from their
 * last timestamp with nothing lost or repeated.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { LogStreamParser } from '../../../shared/runs/parseStream.ts';
import type { NodeHint, NodePhase, RunEvent, RunPhase } from '../../../shared/runs/types.ts';
import type { RunContext } from '../runs/target.ts';
import { dataCheckOutcome } from '../../../shared/schedules/dataCheck/outcome.ts';
import { parseNodeName, runPhaseOf, taskStates, wasStopped } from './argoStatus.ts';
import type { WorkflowLike } from './argoStatus.ts';
import { ConnectionReporter } from './connection.ts';
import { compareTimestamps, followContainerLog } from './logs.ts';
import type { TimedLine } from './logs.ts';
import { podHint } from './podHints.ts';
import type { PodLike } from './podHints.ts';
import { watchCollection } from './watch.ts';
import type { KubeObject } from './watch.ts';

export const WORKFLOW_LABEL = 'workflows.argoproj.io/workflow';
export const NODE_NAME_ANNOTATION = 'workflows.argoproj.io/node-name';

export type Pod = PodLike & KubeObject;

export interface FinalPhase {
  phase: RunPhase;
  message?: string;
}

export interface MonitorOptions {
  namespace: string;
  workflowName: string;
  /** Pipeline node ids (the DAG task names). */
  nodeIds: readonly string[];
  /** Which pipeline node a pod runs, and whether it is the pod whose log to follow (KFP: the executor, not the driver). */
  podNode?: (pod: Pod, workflowName: string, nodeIds: readonly string[]) => string | undefined;
  /** Node states from the Workflow (default: Argo DAG tasks named by node id). */
  nodeStates?: (wf: WorkflowLike, nodeIds: readonly string[]) => ReturnType<typeof taskStates>;
  /** Log container name (default `main`). */
  container?: string;
  /** Once the Workflow has ended, how long log follows may go without delivering a line before they are given up (ms, default 30000). */
  drainMs?: number;
  /** Decides the final phase once the Workflow ended and its logs drained (KFP asks its own API). */
  settle?: (fromWorkflow: FinalPhase) => Promise<FinalPhase>;
  /** The run phase is reported by someone else (KFP's run state); the monitor only reports nodes, logs and the end. */
  quietRunPhase?: boolean;
  /** A lost connection is reported after this long (ms, default 1000). */
  disconnectGraceMs?: number;
}

export function argoPodNode(pod: Pod, workflowName: string): string | undefined {
  const nodeName = pod.metadata?.annotations?.[NODE_NAME_ANNOTATION];
  return nodeName ? parseNodeName(workflowName, nodeName)?.task : undefined;
}

function containerStarted(pod: Pod, container: string): boolean {
  const status = pod.status?.containerStatuses?.find((c) => c.name === container);
  return Boolean(status?.state && ('running' in status.state || status.state.terminated)) || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function podFinished(pod: Pod | undefined): boolean {
  return !pod || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Pods are told apart by uid: a retried Argo node gets a new pod under the same name. */
function podKey(pod: Pod): string {
  return pod.metadata?.uid ?? pod.metadata?.name ?? '';
}

export class WorkflowMonitor {
  private readonly stops: (() => void)[] = [];
  private readonly phases = new Map<string, NodePhase>();
  private readonly hints = new Map<string, string>();
  private readonly pods = new Map<string, Pod>();
  private readonly following = new Set<string>();
  private readonly parsers = new Map<string, LogStreamParser>();
  private readonly openFollows = new Set<string>();
  /** Per node, the last timestamp delivered and the texts delivered at it: where a new follow resumes. */
  private readonly resume = new Map<string, { ts: string; delivered: string[] }>();
  private readonly connection: ConnectionReporter;
  private podsSynced = false;
  private lastProgress = 0;
  private runPhase: RunPhase = 'pending';
  private finished = false;
  private stopped = false;
  private detached = false;
  private resolveDone!: (phase: RunPhase) => void;
  /** Resolves with the final run phase once the Workflow ended and its logs drained. */
  readonly done: Promise<RunPhase>;

  constructor(
    private readonly kc: KubeConfig,
    private readonly ctx: Pick<RunContext, 'emit' | 'logTail'> & { record: { id: string } },
    private readonly opts: MonitorOptions,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.connection = new ConnectionReporter(
      (state, message) => this.emit({ kind: 'connection', runId: this.runId, state, ...(message ? { message } : {}) }),
      opts.disconnectGraceMs ?? 1000,
    );
  }

  private emit(event: RunEvent): void {
    this.ctx.emit(event);
  }

  private get runId(): string {
    return this.ctx.record.id;
  }

  private get container(): string {
    return this.opts.container ?? 'main';
  }

  async start(): Promise<void> {
    // Resume seq numbering and log positions from what the history already holds.
    for (const nodeId of this.opts.nodeIds) {
      const tail = await this.ctx.logTail(nodeId, 200);
      this.parsers.set(nodeId, new LogStreamParser({ runId: this.runId, nodeId, lastSeq: tail.at(-1)?.seq ?? 0 }));
      const lastTs = tail.at(-1)?.ts;
      if (lastTs) this.resume.set(nodeId, { ts: lastTs, delivered: tail.filter((l) => l.ts === lastTs).map((l) => l.text) });
    }
    const { namespace, workflowName } = this.opts;
    const onConnection = (source: string) => (state: 'connected' | 'disconnected', message?: string) => this.connection.set(source, state, message);
    this.stops.push(
      watchCollection<WorkflowLike & KubeObject>(
        this.kc,
        { path: `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/workflows`, fieldSelector: `metadata.name=${workflowName}` },
        {
          onUpsert: (wf) => this.onWorkflow(wf),
          onDelete: () => this.onWorkflowDeleted(),
          onSynced: (names) => (names.has(workflowName) ? undefined : this.onWorkflowDeleted()),
          onConnection: onConnection('workflow'),
        },
      ),
      watchCollection<Pod>(
        this.kc,
        { path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, labelSelector: `${WORKFLOW_LABEL}=${workflowName}` },
        {
          onUpsert: (pod) => this.onPod(pod),
          onDelete: (pod) => this.pods.delete(podKey(pod)),
          onSynced: (names) => {
            for (const [key, pod] of this.pods) if (!names.has(pod.metadata?.name ?? '')) this.pods.delete(key);
            this.podsSynced = true;
          },
          onConnection: onConnection('pods'),
        },
      ),
    );
  }

  /** Stop following (this process is going away): nothing more is reported, the run is left as it is. */
  stop(): void {
    this.detached = true;
    this.halt();
  }

  private halt(): void {
    this.stopped = true;
    this.connection.stop();
    for (const stop of this.stops.splice(0)) stop();
  }

  private onWorkflow(wf: WorkflowLike): void {
    if (this.finished) return;
    const at = new Date().toISOString();
    const states = (this.opts.nodeStates ?? taskStates)(wf, this.opts.nodeIds);
    const cancelled = wasStopped(wf);
    const ended = ['Succeeded', 'Failed', 'Error'].includes(wf.status?.phase ?? '');
    // A scheduled run whose data check found nothing changed: its steps never start.
    const unchanged = dataCheckOutcome(wf)?.changed === false ? dataCheckOutcome(wf) : undefined;
    for (const nodeId of this.opts.nodeIds) {
      const state = states.get(nodeId);
      let phase: NodePhase = state?.phase ?? 'pending';
      if (cancelled && (phase === 'failed' || (ended && (phase === 'pending' || phase === 'running')))) phase = 'cancelled';
      else if (ended && (!state || phase === 'pending') && (wf.status?.phase !== 'Succeeded' || unchanged)) phase = 'skipped';
      if (this.phases.get(nodeId) === phase) continue;
      this.phases.set(nodeId, phase);
      this.emit({ kind: 'node-phase', runId: this.runId, nodeId, phase, message: state?.message ?? (phase === 'skipped' ? unchanged?.message : undefined), at: state?.finishedAt ?? state?.startedAt ?? at });
      if (phase === 'cancelled') this.setHint(nodeId, null);
    }
    const runPhase = runPhaseOf(wf);
    if (runPhase === 'running' && this.runPhase === 'pending') {
      this.runPhase = 'running';
      if (!this.opts.quietRunPhase) this.emit({ kind: 'run-phase', runId: this.runId, phase: 'running', at });
    }
    if (ended) {
      this.finished = true;
      void this.finish({ phase: runPhase, message: wf.status?.message ?? unchanged?.message });
    }
  }

  private setHint(nodeId: string, hint: NodeHint | null): void {
    const key = hint ? `${hint.reason}:${hint.hint}` : '';
    if ((this.hints.get(nodeId) ?? '') === key) return;
    this.hints.set(nodeId, key);
    this.emit({ kind: 'hint', runId: this.runId, nodeId, hint });
  }

  private onWorkflowDeleted(): void {
    if (this.finished) return;
    this.finished = true;
    const message = `The Workflow ${this.opts.workflowName} no longer exists in namespace ${this.opts.namespace} (deleted before it finished, or removed by a TTL); the logs recorded so far are kept`;
    void this.finish({ phase: 'error', message });
  }

  private onPod(pod: Pod): void {
    const name = pod.metadata?.name ?? '';
    const key = podKey(pod);
    const nodeId = (this.opts.podNode ?? argoPodNode)(pod, this.opts.workflowName, this.opts.nodeIds);
    if (!nodeId || !this.parsers.has(nodeId)) return;
    this.pods.set(key, pod);
    // A step stopped by Cancel exits non-zero; that is no fault of the step, so no hint.
    this.setHint(nodeId, this.phases.get(nodeId) === 'cancelled' ? null : podHint(pod, [], this.container));
    if (!this.following.has(key) && !this.stopped && containerStarted(pod, this.container)) {
      this.following.add(key);
      // Counted at once, so a Workflow that ends meanwhile waits for this log too.
      this.openFollows.add(key);
      this.emit({ kind: 'node-info', runId: this.runId, nodeId, podName: name });
      this.followPod(key, name, nodeId);
    }
  }

  private followPod(key: string, podName: string, nodeId: string): void {
    const parser = this.parsers.get(nodeId)!;
    const resume = this.resume.get(nodeId);
    const source = `log:${key}`;
    const stop = followContainerLog(this.kc, {
      namespace: this.opts.namespace,
      pod: podName,
      container: this.container,
      since: resume ? { ts: resume.ts, delivered: [...resume.delivered] } : undefined,
      onLines: (lines: TimedLine[]) => {
        this.noteDelivered(nodeId, lines);
        const chunk = lines.map((l) => `${l.ts} ${l.text}\n`).join('');
        for (const event of parser.push(chunk)) this.emit(event);
      },
      afterStreamEnd: async () => (podFinished(this.pods.get(key)) ? 'done' : 'more'),
      onConnection: (state, message) => this.connection.set(source, state, message),
      onEnd: () => {
        this.connection.forget(source);
        this.openFollows.delete(key);
      },
    });
    this.stops.push(stop);
  }

  private noteDelivered(nodeId: string, lines: TimedLine[]): void {
    this.lastProgress = Date.now();
    let at = this.resume.get(nodeId);
    for (const line of lines) {
      if (at && line.ts === at.ts) at.delivered.push(line.text);
      else if (!at || compareTimestamps(line.ts, at.ts) > 0) this.resume.set(nodeId, (at = { ts: line.ts, delivered: [line.text] }));
    }
  }

  private async finish(fromWorkflow: FinalPhase): Promise<void> {
    const drainMs = this.opts.drainMs ?? 30_000;
    const wait = () => new Promise((r) => setTimeout(r, 50));
    // Pods listed after the Workflow (a reattach to a finished run) still have logs to read.
    this.lastProgress = Date.now();
    const draining = () => !this.detached && Date.now() - this.lastProgress < drainMs;
    while (!this.podsSynced && draining()) await wait();
    // Follows that still deliver (or retry a flaky server) are waited for; a silent one is given up.
    while (this.openFollows.size > 0 && draining()) await wait();
    // Detached meanwhile (the app quit): the next process settles the run.
    if (this.detached) return;
    for (const parser of this.parsers.values()) for (const event of parser.end()) this.emit(event);
    const reportedDown = this.connection.disconnected;
    this.halt();
    if (reportedDown) this.emit({ kind: 'connection', runId: this.runId, state: 'connected' });
    let final = fromWorkflow;
    if (this.opts.settle) final = await this.opts.settle(fromWorkflow).catch(() => fromWorkflow);
    if (this.detached) return;
    this.emit({ kind: 'run-phase', runId: this.runId, phase: final.phase, ...(final.message ? { message: final.message } : {}), at: new Date().toISOString() });
    this.resolveDone(final.phase);
  }
}
