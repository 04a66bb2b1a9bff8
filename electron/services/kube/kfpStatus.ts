/**
 * Reading the Argo Workflow that KFP v2's backend made for a run. Per pipeline task it holds a
 * `<task>-driver` pod (decides caching, resolves inputs), then a `<task>` DAG (template
 * `system-container-executor`) whose `executor` child (a pod, or a Retry node over attempts
 * `executor(N)`) runs the component's `main` container. Importer tasks are one `system-importer` pod.
 */
import type { NodePhase, RunPhase } from '../../../shared/runs/types.ts';
import { nodePhaseOf } from './argoStatus.ts';
import type { ArgoNodeStatus, TaskState, WorkflowLike } from './argoStatus.ts';
import { NODE_NAME_ANNOTATION } from './workflowMonitor.ts';
import type { Pod } from './workflowMonitor.ts';

/** The label KFP's API server puts on the Workflow (and its pods) of run `<run_id>`. */
export const KFP_RUN_ID_LABEL = 'pipeline/runid';

const EXECUTOR_DAG = /(^|-)system-container-executor$/;
const IMPORTER = /(^|-)system-importer$/;
const DRIVER = /(^|-)system-(container|dag)-driver$/;

/** `wf.root.cpt.executor(1)` → `cpt`; `wf.root.corpus` (an importer pod) → `corpus`; drivers → undefined. */
export function kfpPodNode(pod: Pod, workflowName: string, nodeIds: readonly string[]): string | undefined {
  const nodeName = pod.metadata?.annotations?.[NODE_NAME_ANNOTATION];
  if (!nodeName?.startsWith(`${workflowName}.`)) return undefined;
  const parts = nodeName.slice(workflowName.length + 1).split('.');
  const last = parts.at(-1)!.replace(/\(\d+\)$/, '');
  if (last === 'executor' && parts.length >= 2) return parts.at(-2);
  // An importer runs as the task's own pod; a driver's node is `<task>-driver`, never a task of its own.
  if (nodeIds.includes(last) && !(last.endsWith('-driver') && nodeIds.includes(last.slice(0, -'-driver'.length)))) return last;
  return undefined;
}

function state(node: ArgoNodeStatus, phase: NodePhase): TaskState {
  return { phase, message: node.message, startedAt: node.startedAt, finishedAt: node.finishedAt };
}

function executorPhase(dag: ArgoNodeStatus, executor: ArgoNodeStatus | undefined): NodePhase {
  const phase = nodePhaseOf(dag);
  // The driver found a cached execution: the executor pod never runs and its node is skipped.
  if (phase === 'succeeded' && (!executor || nodePhaseOf(executor) === 'skipped')) return 'cached';
  if (phase === 'running') return executor && nodePhaseOf(executor) === 'running' ? 'running' : 'pending';
  return phase;
}

/** Each pipeline task's state, read from the driver, executor DAG and executor nodes. */
export function kfpTaskStates(wf: WorkflowLike, nodeIds: readonly string[]): Map<string, TaskState> {
  const nodes = Object.values(wf.status?.nodes ?? {});
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const result = new Map<string, TaskState>();
  for (const id of nodeIds) {
    const dag = nodes.find((n) => n.displayName === id && EXECUTOR_DAG.test(n.templateName ?? ''));
    if (dag) {
      result.set(id, state(dag, executorPhase(dag, byName.get(`${dag.name}.executor`))));
      continue;
    }
    const importer = nodes.find((n) => n.displayName === id && IMPORTER.test(n.templateName ?? ''));
    if (importer) {
      result.set(id, state(importer, nodePhaseOf(importer)));
      continue;
    }
    const driver = nodes.find((n) => n.displayName === `${id}-driver` && DRIVER.test(n.templateName ?? ''));
    if (!driver) continue;
    const phase = nodePhaseOf(driver);
    // A running or finished driver only means the task is about to start.
    result.set(id, state(driver, phase === 'failed' || phase === 'skipped' ? phase : 'pending'));
  }
  return result;
}

/** KFP v2beta1 run states (V2beta1RuntimeState). */
export const KFP_TERMINAL_STATES = ['SUCCEEDED', 'FAILED', 'CANCELED', 'SKIPPED'] as const;

export function isTerminalKfpState(state: string | undefined): boolean {
  return (KFP_TERMINAL_STATES as readonly string[]).includes(state ?? '');
}

export function runPhaseOfKfp(state: string | undefined): RunPhase {
  switch (state) {
    case 'RUNNING':
    case 'CANCELING':
    case 'PAUSED':
      return 'running';
    case 'SUCCEEDED':
    case 'SKIPPED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'CANCELED':
      return 'cancelled';
    default:
      return 'pending';
  }
}

/** A task's state from `run_details.task_details` (used while no Workflow can be read). */
export function nodePhaseOfKfpTask(state: string | undefined): NodePhase {
  switch (state) {
    case 'RUNNING':
      return 'running';
    case 'SUCCEEDED':
      return 'succeeded';
    case 'SKIPPED':
      return 'skipped';
    case 'FAILED':
      return 'failed';
    case 'CANCELED':
    case 'CANCELING':
      return 'cancelled';
    case 'CACHED':
      return 'cached';
    default:
      return 'pending';
  }
}
