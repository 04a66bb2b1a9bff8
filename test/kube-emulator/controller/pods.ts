import type { KubeObject } from '../types.ts';
import { clone, isRecord } from '../types.ts';
import { podName } from './argo-names.ts';

export const WORKFLOW_LABEL = 'workflows.argoproj.io/workflow';
export const COMPLETED_LABEL = 'workflows.argoproj.io/completed';
export const NODE_NAME_ANNOTATION = 'workflows.argoproj.io/node-name';
export const NODE_ID_ANNOTATION = 'workflows.argoproj.io/node-id';
const EXECUTOR_IMAGE = 'quay.io/argoproj/argoexec:v3.5.10';

export type Template = Record<string, unknown> & { name: string };
type Container = Record<string, unknown> & { name?: string };

/** Replaces `{{...}}` placeholders in every string of a JSON value. */
export function substitute<T>(value: T, lookup: (key: string) => string | undefined): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (whole, key: string) => lookup(key) ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, lookup)) as T;
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, lookup);
    return out as T;
  }
  return value;
}

function applyPodSpecPatch(spec: Record<string, unknown>, patchText: unknown): void {
  if (typeof patchText !== 'string' || !patchText.trim().startsWith('{')) return;
  let patch: Record<string, unknown>;
  try {
    patch = JSON.parse(patchText) as Record<string, unknown>;
  } catch {
    return;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'containers' && Array.isArray(value)) {
      const containers = spec.containers as Container[];
      for (const c of value as Container[]) {
        const target = containers.find((t) => t.name === c.name);
        if (target) Object.assign(target, c);
        else containers.push(c);
      }
    } else spec[key] = value;
  }
}

export interface PodInput {
  workflow: KubeObject;
  nodeName: string;
  nodeId: string;
  template: Template;
  /** `{{...}}` lookup for this node (inputs, workflow, pod name). */
  lookup: (key: string) => string | undefined;
}

/** The pod Argo's controller would create for a container template (emissary executor, v2 pod names). */
export function buildPod(input: PodInput): KubeObject {
  const { workflow, template } = input;
  const wfName = workflow.metadata.name;
  const name = podName(wfName, input.nodeName, template.name);
  const lookup = (key: string) => (key === 'pod.name' ? name : input.lookup(key));
  const resolved = substitute(clone(template), lookup);
  const spec = isRecord(workflow.spec) ? workflow.spec : {};
  const main: Container = { ...(isRecord(resolved.container) ? resolved.container : isRecord(resolved.script) ? resolved.script : { image: 'busybox' }) };
  if (isRecord(resolved.script) && typeof resolved.script.source === 'string') {
    main.command = [...((main.command as string[]) ?? ['sh']), '/argo/staging/script'];
    delete main.source;
  }
  const originalCommand = [...((main.command as string[]) ?? []), ...((main.args as string[]) ?? [])];
  main.name = 'main';
  main.command = ['/var/run/argo/argoexec', 'emissary', '--loglevel', 'info', '--log-format', 'text', '--', ...originalCommand];
  delete main.args;
  const executorVolume = { name: 'var-run-argo', mountPath: '/var/run/argo' };
  main.volumeMounts = [...((main.volumeMounts as unknown[]) ?? []), executorVolume];
  // Argo's executor (init: input artifacts, wait: outputs) works from the resolved template in ARGO_TEMPLATE.
  const executorEnv = [{ name: 'ARGO_POD_NAME', value: name }, { name: 'ARGO_TEMPLATE', value: JSON.stringify(resolved) }];
  const podSpec: Record<string, unknown> = {
    initContainers: [{ name: 'init', image: EXECUTOR_IMAGE, command: ['argoexec', 'init', '--loglevel', 'info', '--log-format', 'text'], env: executorEnv, volumeMounts: [executorVolume] }],
    containers: [
      { name: 'wait', image: EXECUTOR_IMAGE, command: ['argoexec', 'wait', '--loglevel', 'info', '--log-format', 'text'], env: executorEnv, volumeMounts: [executorVolume] },
      main,
    ],
    volumes: [{ name: 'var-run-argo', emptyDir: {} }, ...((resolved.volumes as unknown[]) ?? []), ...((spec.volumes as unknown[]) ?? [])],
    restartPolicy: 'Never',
    serviceAccountName: (resolved.serviceAccountName as string | undefined) ?? (spec.serviceAccountName as string | undefined) ?? 'default',
    schedulerName: 'default-scheduler',
    enableServiceLinks: false,
  };
  const nodeSelector = resolved.nodeSelector ?? spec.nodeSelector;
  if (nodeSelector) podSpec.nodeSelector = nodeSelector;
  const tolerations = resolved.tolerations ?? spec.tolerations;
  if (tolerations) podSpec.tolerations = tolerations;
  applyPodSpecPatch(podSpec, resolved.podSpecPatch);
  const podMetadata = isRecord(spec.podMetadata) ? spec.podMetadata : {};
  const templateMetadata = isRecord(resolved.metadata) ? resolved.metadata : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: workflow.metadata.namespace,
      labels: {
        ...((podMetadata.labels as Record<string, string>) ?? {}),
        ...((templateMetadata.labels as Record<string, string>) ?? {}),
        [WORKFLOW_LABEL]: wfName,
        [COMPLETED_LABEL]: 'false',
      },
      annotations: {
        ...((podMetadata.annotations as Record<string, string>) ?? {}),
        ...((templateMetadata.annotations as Record<string, string>) ?? {}),
        [NODE_NAME_ANNOTATION]: input.nodeName,
        [NODE_ID_ANNOTATION]: input.nodeId,
        'workflows.argoproj.io/outputs': '',
        'kubectl.kubernetes.io/default-container': 'main',
      },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: wfName, uid: workflow.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: podSpec,
    status: { phase: 'Pending', qosClass: isRecord(main.resources) ? 'Burstable' : 'BestEffort' },
  };
}

/** The main container's command line as the user wrote it (after `--` in the emissary wrapper). */
export function userArgv(pod: KubeObject): string[] {
  const containers = ((pod.spec as Record<string, unknown>).containers as Container[]) ?? [];
  const command = (containers.find((c) => c.name === 'main')?.command as string[]) ?? [];
  const i = command.indexOf('--');
  return i >= 0 ? command.slice(i + 1) : command;
}
