/**
 * The persistence agent's part: each change of a run's Workflow is reported and stored as KFP's backend
 * does (kubeflow/pipelines 7b70c7b9, backend 2.17: ResourceManager.ReportWorkflowResource,
 * server/api_converter.go toModelTasks / toApiPipelineTaskDetail, storage/task_store.go).
 */
import type { ObjectStore } from '../store.ts';
import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';
import type { Run, RunState } from './store.ts';
import { ZERO_TIME, newId, now } from './store.ts';
import { RUN_ID_LABEL } from './workflow.ts';

type Json = Record<string, unknown>;
interface NodeLike {
  id: string;
  name: string;
  displayName: string;
  templateName?: string;
  phase?: string;
  startedAt?: string;
  finishedAt?: string | null;
  children?: string[];
}

/** model.RuntimeState(phase).ToV2(): Argo's phase names upper-cased; Error is FAILED, anything else unspecified. */
function toV2(phase: string | undefined): RunState {
  const upper = (phase ?? '').toUpperCase();
  if (upper === 'ERROR') return 'FAILED';
  if (upper === 'TERMINATING') return 'CANCELING';
  return (['PENDING', 'RUNNING', 'SUCCEEDED', 'SKIPPED', 'FAILED', 'CANCELING', 'CANCELED', 'PAUSED'] as string[]).includes(upper) ? (upper as RunState) : 'RUNTIME_STATE_UNSPECIFIED';
}

const isFinal = (phase: unknown) => phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';

/**
 * The state ReportWorkflowResource stores: the Workflow's phase, except that a Workflow KFP terminated
 * (`activeDeadlineSeconds: 0`) and not yet final is CANCELING. A terminated Workflow ends Failed, so the
 * run ends FAILED: the backend never stores CANCELED for it.
 */
export function runStateOf(wf: KubeObject): RunState | undefined {
  const phase = (wf.status as Json | undefined)?.phase;
  if (!phase) return undefined;
  const terminating = isRecord(wf.spec) && wf.spec.activeDeadlineSeconds === 0 && !isFinal(phase);
  return terminating ? 'CANCELING' : toV2(String(phase));
}

const seconds = (t: string | null | undefined) => (t ? t.replace(/\.\d+Z$/, 'Z') : ZERO_TIME);
/** A node time Argo has not set: Go's zero time, as timestamppb writes it. */
const nodeTime = (t: string | null | undefined) => (t ? seconds(t) : '0001-01-01T00:00:00Z');

/** RetrievePodName (common/util/workflow.go): the pod-name form of a node's id, Argo's v2 pod names. */
function podNameOf(wf: KubeObject, node: NodeLike): string {
  if (wf.metadata.annotations?.['workflows.argoproj.io/pod-name-format'] === 'v1') return node.id;
  if (node.name === wf.metadata.name) return wf.metadata.name;
  const hash = node.id.split('-').at(-1);
  return node.name.includes('.inline') ? `${wf.metadata.name}-${hash}` : `${wf.metadata.name}-${node.templateName}-${hash}`;
}

/** Keeps each run's state, times, history and task details in step with its Workflow. */
export class RunSync {
  /** The tasks table: one row per Argo node, keyed by run and pod name, with its id and state history. */
  private readonly tasks = new Map<string, Map<string, Json>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly runs: Map<string, Run>,
  ) {}

  workflowOf(run: Run): KubeObject | undefined {
    return this.store.list('workflows', undefined, (w) => w.metadata.labels?.[RUN_ID_LABEL] === run.run_id)[0];
  }

  start(): () => void {
    return this.store.subscribe((event) => {
      if (event.resource !== 'workflows') return;
      const runId = event.object.metadata.labels?.[RUN_ID_LABEL];
      const run = runId ? this.runs.get(runId) : undefined;
      if (run && event.type !== 'DELETED') this.refresh(run, event.object);
    });
  }

  refresh(run: Run, wf = this.workflowOf(run)): void {
    if (!wf) return;
    const state = runStateOf(wf);
    if (!state) return;
    if (state !== run.state) {
      run.state = state;
      run.state_history.push({ update_time: now(), state });
    }
    const status = (wf.status ?? {}) as Json;
    run.finished_at = isFinal(status.phase) ? seconds(status.finishedAt as string | undefined) : ZERO_TIME;
    const tasks = this.reportTasks(run, wf);
    if (tasks.length) run.run_details = { task_details: tasks };
  }

  /** toModelTasks + CreateOrUpdateTasks + toApiPipelineTaskDetail: one task per node, sorted by node id. */
  private reportTasks(run: Run, wf: KubeObject): Json[] {
    const nodes = ((wf.status as Json | undefined)?.nodes ?? {}) as Record<string, NodeLike>;
    let table = this.tasks.get(run.run_id);
    if (!table) this.tasks.set(run.run_id, (table = new Map()));
    const created = seconds(wf.metadata.creationTimestamp);
    return Object.keys(nodes)
      .sort()
      .map((key) => {
        const node = nodes[key];
        const podName = podNameOf(wf, node);
        const state = toV2(node.phase);
        const existing = table!.get(podName);
        const history = (existing?.state_history ?? []) as Json[];
        if (history.at(-1)?.state !== state) history.push({ update_time: now(), state });
        const task: Json = {
          run_id: run.run_id,
          task_id: existing?.task_id ?? newId(),
          display_name: node.displayName,
          create_time: created,
          start_time: nodeTime(node.startedAt),
          end_time: nodeTime(node.finishedAt),
          state,
          state_history: history,
          // The node's children are Argo node ids; KFP stores them as the child tasks' pod names.
          child_tasks: (node.children ?? []).map((id) => ({ pod_name: id })),
        };
        table!.set(podName, task);
        return task;
      });
  }
}
