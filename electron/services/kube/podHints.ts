/** One-line explanations of why a pod is stuck or died, read from its status the way kubectl describe shows it. */
import type { NodeHint } from '../../../shared/runs/types.ts';

export interface PodLike {
  metadata?: { name?: string };
  spec?: { containers?: { name: string; image?: string; resources?: { limits?: Record<string, string> } }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      restartCount?: number;
      state?: {
        waiting?: { reason?: string; message?: string };
        terminated?: { reason?: string; exitCode?: number; message?: string };
      };
      lastState?: { terminated?: { reason?: string; exitCode?: number } };
    }[];
  };
}

export interface EventLike {
  reason?: string;
  message?: string;
  type?: string;
}

function limitOf(pod: PodLike, container: string, resource: string): string | undefined {
  return pod.spec?.containers?.find((c) => c.name === container)?.resources?.limits?.[resource];
}

export function podHint(pod: PodLike, events: EventLike[] = [], container = 'main'): NodeHint | null {
  const status = pod.status ?? {};
  const main = status.containerStatuses?.find((c) => c.name === container);
  const terminated = main?.state?.terminated ?? main?.lastState?.terminated;
  if (terminated?.reason === 'OOMKilled') {
    const mem = limitOf(pod, container, 'memory');
    return { reason: 'OOMKilled', hint: `Out of memory${mem ? ` (limit ${mem})` : ''}: raise the node's memory or lower the batch size / sequence length.` };
  }
  const waiting = main?.state?.waiting?.reason;
  if (waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull' || waiting === 'InvalidImageName') {
    const image = pod.spec?.containers?.find((c) => c.name === container)?.image;
    return { reason: waiting, hint: `Cannot pull image ${image ?? 'of the step'}: check its name and tag, and that the cluster may pull it (imagePullSecrets).` };
  }
  if (waiting === 'CrashLoopBackOff') {
    return { reason: 'CrashLoopBackOff', hint: `The step keeps crashing (restarted ${main?.restartCount ?? 0} times): read the end of its log.` };
  }
  if (waiting === 'CreateContainerConfigError') {
    return { reason: waiting, hint: `The container cannot be created: ${main?.state?.waiting?.message ?? 'a referenced Secret or ConfigMap may be missing'}.` };
  }
  const unschedulable = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  const failedScheduling = [...events].reverse().find((e) => e.reason === 'FailedScheduling');
  if (status.phase === 'Pending' && (unschedulable || failedScheduling)) {
    const detail = unschedulable?.message ?? failedScheduling?.message ?? '';
    const gpu = /Insufficient ([\w./-]*gpu[\w./-]*)/i.exec(detail);
    const cpu = /Insufficient cpu/.test(detail);
    const memory = /Insufficient memory/.test(detail);
    const what = gpu ? `free ${gpu[1]}` : cpu ? 'free CPU' : memory ? 'free memory' : 'room';
    return { reason: 'Unschedulable', hint: `Waiting for a node with enough ${what}: ${detail || 'no node can take this pod yet'}.` };
  }
  if (status.reason === 'Evicted') return { reason: 'Evicted', hint: `The pod was evicted: ${status.message ?? 'the node ran short of resources'}.` };
  if (terminated && terminated.exitCode !== 0 && terminated.exitCode !== undefined) {
    return { reason: terminated.reason ?? 'Error', hint: `The step exited with code ${terminated.exitCode}: read the end of its log.` };
  }
  return null;
}
