/**
 * Why a KFP run failed, in words: KFP's own run error is often empty or generic ("child 'x' failed"),
 * so with Kubernetes access the reason is read where it is, in the Workflow's failed task nodes and
 * their pods (OOMKilled, exit code, image pull, eviction). Without it, say plainly that none can be had.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { WorkflowLike } from './argoStatus.ts';
import { kfpPodNode, kfpTaskStates } from './kfpStatus.ts';
import { podHint } from './podHints.ts';
import { kubeJson } from './request.ts';
import { NODE_NAME_ANNOTATION } from './workflowMonitor.ts';
import type { Pod } from './workflowMonitor.ts';

export const NO_REASON_DIRECT_URL = 'no reason available (direct URL: Pipewright has no Kubernetes access to read the run\'s Workflow and pods)';

type PodItem = Pod;

/** One line per failed task: `cpt: OOMKilled (exit code 137): Out of memory (limit 200Gi): ...`. */
export function failureReasons(wf: WorkflowLike, pods: readonly PodItem[], nodeIds: readonly string[]): string[] {
  const name = wf.metadata?.name ?? '';
  const states = kfpTaskStates(wf, nodeIds);
  const podsByTask = new Map<string, PodItem[]>();
  for (const pod of pods) {
    const task = kfpPodNode(pod, name, nodeIds);
    if (task) podsByTask.set(task, [...(podsByTask.get(task) ?? []), pod]);
  }
  const out: string[] = [];
  for (const id of nodeIds) {
    const state = states.get(id);
    if (state?.phase !== 'failed') continue;
    // The last attempt's pod tells the final reason.
    const attempts = (podsByTask.get(id) ?? []).sort((a, b) => (a.metadata?.annotations?.[NODE_NAME_ANNOTATION] ?? '').localeCompare(b.metadata?.annotations?.[NODE_NAME_ANNOTATION] ?? ''));
    const pod = attempts.at(-1);
    const main = pod?.status?.containerStatuses?.find((c) => c.name === 'main');
    const terminated = main?.state?.terminated;
    const hint = pod ? podHint(pod) : null;
    const exit = terminated?.exitCode !== undefined ? ` (exit code ${terminated.exitCode})` : '';
    const what = hint ? `${hint.reason}${hint.reason === terminated?.reason ? exit : ''}: ${hint.hint}` : terminated ? `${terminated.reason ?? 'Error'}${exit}${terminated.message ? `: ${terminated.message.trim().slice(0, 200)}` : ''}` : state.message;
    out.push(`${id}: ${what ?? 'failed (no reason recorded on its Workflow node or pod)'}`);
  }
  return out;
}

/** Reads the Workflow and its pods; undefined when nothing names a reason (or they cannot be read). */
export async function readFailureReason(kc: KubeConfig, namespace: string, workflowName: string, nodeIds: readonly string[]): Promise<string | undefined> {
  try {
    const ns = encodeURIComponent(namespace);
    const [wf, pods] = await Promise.all([
      kubeJson<WorkflowLike>(kc, { path: `/apis/argoproj.io/v1alpha1/namespaces/${ns}/workflows/${encodeURIComponent(workflowName)}` }, `read Workflow ${workflowName}`),
      kubeJson<{ items?: PodItem[] }>(kc, { path: `/api/v1/namespaces/${ns}/pods`, query: { labelSelector: `workflows.argoproj.io/workflow=${workflowName}` } }, `list the pods of Workflow ${workflowName}`),
    ]);
    const reasons = failureReasons(wf, pods.items ?? [], nodeIds);
    return reasons.length ? reasons.join('; ') : undefined;
  } catch {
    return undefined;
  }
}
