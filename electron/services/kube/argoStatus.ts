/** Reading an Argo Workflow's status as Pipewright node phases, and finding each node's pod. */
import type { NodePhase, RunPhase } from '../../../shared/runs/types.ts';

export interface ArgoNodeStatus {
  id: string;
  name: string;
  displayName?: string;
  type: string;
  templateName?: string;
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  progress?: string;
  children?: string[];
  memoizationStatus?: { hit?: boolean };
}

export interface WorkflowLike {
  metadata?: { name?: string; resourceVersion?: string; labels?: Record<string, string> };
  spec?: { shutdown?: string; activeDeadlineSeconds?: number };
  status?: { phase?: string; message?: string; startedAt?: string; finishedAt?: string; nodes?: Record<string, ArgoNodeStatus> };
}

/**
 * Someone stopped the Workflow: Argo's `shutdown` (what Pipewright's argo target sets), or the zero
 * `activeDeadlineSeconds` Kubeflow Pipelines' terminate patches in (resource_manager.go TerminateWorkflow).
 */
export function wasStopped(wf: WorkflowLike): boolean {
  return Boolean(wf.spec?.shutdown) || wf.spec?.activeDeadlineSeconds === 0;
}

export function runPhaseOf(wf: WorkflowLike): RunPhase {
  switch (wf.status?.phase) {
    case 'Running':
      return 'running';
    case 'Succeeded':
      return 'succeeded';
    case 'Failed':
      return wasStopped(wf) ? 'cancelled' : 'failed';
    case 'Error':
      return 'error';
    default:
      return 'pending';
  }
}

export function nodePhaseOf(node: ArgoNodeStatus): NodePhase {
  if (node.memoizationStatus?.hit && node.phase === 'Succeeded') return 'cached';
  switch (node.phase) {
    case 'Running':
      return 'running';
    case 'Succeeded':
      return 'succeeded';
    case 'Failed':
    case 'Error':
      return 'failed';
    case 'Skipped':
    case 'Omitted':
      return 'skipped';
    default:
      return 'pending';
  }
}

export interface TaskState {
  phase: NodePhase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

/**
 * The state of each DAG task by task name. A retried task has a `Retry` node whose children are the
 * attempts; the Retry node carries the task's overall phase, so it wins over its attempts.
 */
export function taskStates(wf: WorkflowLike, taskNames: readonly string[]): Map<string, TaskState> {
  const wanted = new Set(taskNames);
  const result = new Map<string, TaskState>();
  const rank = (type: string) => (type === 'Retry' ? 2 : type === 'Pod' || type === 'Skipped' ? 1 : 0);
  const chosen = new Map<string, ArgoNodeStatus>();
  for (const node of Object.values(wf.status?.nodes ?? {})) {
    const task = node.displayName ?? node.name.split('.').pop() ?? '';
    if (!wanted.has(task)) continue;
    const prev = chosen.get(task);
    if (!prev || rank(node.type) > rank(prev.type)) chosen.set(task, node);
  }
  for (const [task, node] of chosen) {
    result.set(task, { phase: nodePhaseOf(node), message: node.message, startedAt: node.startedAt, finishedAt: node.finishedAt });
  }
  return result;
}

/** `wf.cpt(1)` → { task: 'cpt', attempt: 1 }; the node-name annotation Argo puts on each pod. */
export function parseNodeName(workflowName: string, nodeName: string): { task: string; attempt: number } | undefined {
  const prefix = `${workflowName}.`;
  if (!nodeName.startsWith(prefix)) return undefined;
  const rest = nodeName.slice(prefix.length);
  const m = /^(.*?)(?:\((\d+)\))?$/.exec(rest);
  if (!m) return undefined;
  const task = m[1].split('.').pop() ?? m[1];
  return { task, attempt: m[2] ? Number(m[2]) : 0 };
}
