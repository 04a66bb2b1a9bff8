import type { ObjectStore } from '../store.ts';
import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';
import type { Run, RunState } from './store.ts';
import { ZERO_TIME, now } from './store.ts';
import { RUN_ID_LABEL } from './workflow.ts';

type Json = Record<string, unknown>;
interface NodeLike {
  id: string;
  name: string;
  displayName: string;
  type: string;
  templateName: string;
  phase: string;
  startedAt?: string;
  finishedAt?: string | null;
  message?: string;
  boundaryID?: string;
}

/** KFP's mapping from the Workflow's phase to the run's state (a terminated run ends CANCELED). */
export function runStateOf(wf: KubeObject | undefined): RunState {
  const status = (wf?.status ?? {}) as Json;
  const terminating = isRecord(wf?.spec) && wf.spec.shutdown === 'Terminate';
  switch (status.phase) {
    case 'Running':
      return terminating ? 'CANCELING' : 'RUNNING';
    case 'Succeeded':
      return 'SUCCEEDED';
    case 'Failed':
    case 'Error':
      return terminating ? 'CANCELED' : 'FAILED';
    default:
      return 'PENDING';
  }
}

function taskState(phase: string): RunState {
  return ({ Pending: 'PENDING', Running: 'RUNNING', Succeeded: 'SUCCEEDED', Skipped: 'SKIPPED', Omitted: 'SKIPPED', Failed: 'FAILED', Error: 'FAILED' } as Record<string, RunState>)[phase] ?? 'PENDING';
}

/** One task detail per pipeline task, naming its driver and executor pods (`child_tasks[].pod_name`). */
function taskDetails(run: Run, wf: KubeObject, podNames: Map<string, string>): Json[] {
  const nodes = Object.values(((wf.status as Json | undefined)?.nodes ?? {}) as Record<string, NodeLike>);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const details: Json[] = [];
  for (const node of nodes) {
    if (/system-importer$/.test(node.templateName)) {
      const pod = podNames.get(node.id) ?? '';
      details.push({ run_id: run.run_id, task_id: node.id, display_name: node.displayName, create_time: node.startedAt ?? ZERO_TIME, start_time: node.startedAt ?? ZERO_TIME, end_time: node.finishedAt ?? ZERO_TIME, state: taskState(node.phase), parent_task_id: node.boundaryID ?? '', pod_name: pod, executor_detail: { main_job: pod, failed_main_jobs: [] }, child_tasks: [{ pod_name: pod }] });
      continue;
    }
    if (!/system-container-executor$/.test(node.templateName)) continue;
    const executorPods = nodes.filter((n) => n.type === 'Pod' && n.boundaryID === node.id);
    const driver = nodes.find((n) => n.name === `${node.name}-driver`);
    const parent = node.boundaryID ? byId.get(node.boundaryID) : undefined;
    const children = [driver, ...executorPods].filter((n): n is NodeLike => !!n).map((n) => ({ pod_name: podNames.get(n.id) ?? '' }));
    const mainPod = executorPods.at(-1);
    details.push({
      run_id: run.run_id,
      task_id: node.id,
      display_name: node.displayName,
      create_time: node.startedAt ?? ZERO_TIME,
      start_time: node.startedAt ?? ZERO_TIME,
      end_time: node.finishedAt ?? ZERO_TIME,
      state: taskState(mainPod?.phase ?? node.phase),
      ...(node.message && /Failed|Error/.test(node.phase) ? { error: { code: 2, message: node.message } } : {}),
      parent_task_id: parent?.id ?? '',
      pod_name: mainPod ? podNames.get(mainPod.id) ?? '' : '',
      executor_detail: { main_job: mainPod ? podNames.get(mainPod.id) ?? '' : '', failed_main_jobs: executorPods.slice(0, -1).map((n) => podNames.get(n.id) ?? '') },
      child_tasks: children,
    });
  }
  return details;
}

/** Keeps each run's state, times, history and task details in step with its Workflow. */
export class RunSync {
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
    if (state !== run.state) {
      run.state = state;
      run.state_history.push({ update_time: now(), state });
    }
    const status = (wf.status ?? {}) as Json;
    if (['SUCCEEDED', 'FAILED', 'CANCELED'].includes(state)) run.finished_at = String(status.finishedAt ?? now());
    else run.finished_at = ZERO_TIME;
    if (state === 'FAILED' || state === 'CANCELED') run.error = { code: state === 'CANCELED' ? 1 : 2, message: String(status.message ?? 'run failed'), details: [] };
    else delete run.error;
    const podNames = new Map<string, string>();
    for (const pod of this.store.list('pods', wf.metadata.namespace, (p) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === wf.metadata.name)) {
      const id = pod.metadata.annotations?.['workflows.argoproj.io/node-id'];
      if (id) podNames.set(id, pod.metadata.name);
    }
    run.run_details = { pipeline_context_id: '1', pipeline_run_context_id: '2', task_details: taskDetails(run, wf, podNames) };
  }
}
