/** GPU steps against the cluster's nodes: product label, taints, allocatable and what is free now. */
import type { Toleration } from '../pipeline/types.ts';
import { quantityValue } from './requirements.ts';
import type { StepNeed } from './requirements.ts';
import type { ClusterNode, ClusterPod, PreflightFinding } from './types.ts';

export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
const BLOCKING_EFFECTS = new Set(['NoSchedule', 'NoExecute']);

/** Kubernetes' ToleratesTaint: effect empty or equal; Exists matches the key (an empty key every key); Equal also the value. */
export function tolerates(toleration: Toleration, taint: ClusterNode['taints'][number]): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

function untolerated(node: ClusterNode, tolerations: readonly Toleration[]): ClusterNode['taints'] {
  return node.taints.filter((t) => BLOCKING_EFFECTS.has(t.effect) && !tolerations.some((tol) => tolerates(tol, t)));
}

const taintText = (t: ClusterNode['taints'][number]) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
const cores = (milli: number) => `${+(milli / 1000).toFixed(3)} CPU`;
const gib = (bytes: number) => `${+(bytes / 2 ** 30).toFixed(1)}Gi`;

/** Resources each node has left: allocatable minus the requests of the pods bound to it that still run or wait. */
export function freeByNode(nodes: readonly ClusterNode[], pods: readonly ClusterPod[] | undefined): Map<string, Record<string, number>> {
  const free = new Map<string, Record<string, number>>();
  for (const n of nodes) {
    const left: Record<string, number> = {};
    for (const [res, q] of Object.entries(n.allocatable)) left[res] = quantityValue(res, q) ?? 0;
    free.set(n.name, left);
  }
  for (const pod of pods ?? []) {
    const left = free.get(pod.nodeName);
    if (!left) continue;
    for (const [res, v] of Object.entries(pod.requests)) left[res] = (left[res] ?? 0) - v;
  }
  return free;
}

interface Amounts {
  gpus: number;
  cpu: number;
  memory: number;
}

function holds(have: Amounts, step: StepNeed): boolean {
  return have.gpus >= step.gpus && (step.cpu === undefined || have.cpu >= step.cpu) && (step.memory === undefined || have.memory >= step.memory);
}

function amounts(values: Record<string, number>, res: string): Amounts {
  return { gpus: values[res] ?? 0, cpu: values.cpu ?? 0, memory: values.memory ?? 0 };
}

function describeNeed(step: StepNeed): string {
  const extra = [step.cpu !== undefined ? cores(step.cpu) : '', step.memory !== undefined ? gib(step.memory) : ''].filter(Boolean);
  return `${step.gpus} ${step.gpuResource}${extra.length ? ` with ${extra.join(' and ')}` : ''}`;
}

const describeAmounts = (a: Amounts, res: string) => `${a.gpus} ${res}, ${cores(a.cpu)}, ${gib(a.memory)}`;

export interface NodeIndex {
  nodes: readonly ClusterNode[];
  allocatable: Map<string, Record<string, number>>;
  /** undefined when pods could not be listed: free-now is then not judged. */
  free: Map<string, Record<string, number>> | undefined;
}

export function indexNodes(nodes: readonly ClusterNode[], pods: readonly ClusterPod[] | undefined): NodeIndex {
  return { nodes, allocatable: freeByNode(nodes, []), free: pods ? freeByNode(nodes, pods) : undefined };
}

/** At most one finding per GPU step: the first thing that stops it (or makes it wait). */
export function gpuStepFinding(step: StepNeed, index: NodeIndex): PreflightFinding | undefined {
  if (step.gpus <= 0) return undefined;
  const res = step.gpuResource;
  const node = step.id;
  const usable = index.nodes.filter((n) => n.ready && !n.unschedulable && (index.allocatable.get(n.name)?.[res] ?? 0) > 0);
  if (usable.length === 0) {
    return {
      code: 'no-gpu-nodes', severity: 'error', node,
      message: `No ready, schedulable node offers ${res} (${index.nodes.length} node(s) looked at), so step ${node} would stay Pending.`,
      fix: `Check the GPU nodes with \`kubectl describe nodes\` (the NVIDIA device plugin or GPU operator must be running and the nodes uncordoned), or run on another target.`,
    };
  }
  const product = step.gpuProduct;
  const matching = product ? usable.filter((n) => n.labels[GPU_PRODUCT_LABEL] === product) : usable;
  if (matching.length === 0) {
    const offered = new Map<string, number>();
    for (const n of usable) {
      const label = n.labels[GPU_PRODUCT_LABEL] ?? '(no product label)';
      offered.set(label, (offered.get(label) ?? 0) + 1);
    }
    const list = [...offered].map(([p, count]) => `${p} (${count} node${count > 1 ? 's' : ''})`).join(', ');
    return {
      code: 'gpu-product-missing', severity: 'error', node,
      message: `No schedulable node has ${GPU_PRODUCT_LABEL}=${product}; the GPU nodes here are ${list}.`,
      fix: `Set step ${node}'s GPU product to one the cluster has (${[...offered.keys()].filter((p) => !p.startsWith('(')).join(', ') || 'none is labelled'}), or clear it to take any GPU node.`,
    };
  }
  const tolerated = matching.filter((n) => untolerated(n, step.tolerations).length === 0);
  if (tolerated.length === 0) {
    const taints = new Map<string, ClusterNode['taints'][number]>();
    for (const n of matching) for (const t of untolerated(n, step.tolerations)) taints.set(taintText(t), t);
    const shown = matching.slice(0, 3).map((n) => `${n.name} (${untolerated(n, step.tolerations).map(taintText).join(', ')})`).join('; ');
    const tolerations = [...taints.values()].map((t) => `{key: ${t.key}, operator: ${t.value ? 'Equal' : 'Exists'}${t.value ? `, value: ${t.value}` : ''}, effect: ${t.effect}}`);
    return {
      code: 'taint-not-tolerated', severity: 'error', node,
      message: `Every node that could run step ${node}${product ? ` (${product})` : ''} has a taint the step does not tolerate: ${shown}${matching.length > 3 ? `, and ${matching.length - 3} more` : ''}.`,
      fix: `Add ${tolerations.length > 1 ? 'these tolerations' : 'this toleration'} to step ${node} (Inspector → Resources → Tolerations): ${tolerations.join(', ')}.`,
    };
  }
  const sized = tolerated.filter((n) => holds(amounts(index.allocatable.get(n.name)!, res), step));
  if (sized.length === 0) {
    const largest = [...tolerated].sort((a, b) => (index.allocatable.get(b.name)![res] ?? 0) - (index.allocatable.get(a.name)![res] ?? 0))[0];
    const have = amounts(index.allocatable.get(largest.name)!, res);
    return {
      code: 'gpu-insufficient', severity: 'error', node,
      message: `Step ${node} needs ${describeNeed(step)} on one node; the largest node it may use, ${largest.name}, has ${describeAmounts(have, res)} allocatable, so it can never be scheduled.`,
      fix: have.gpus < step.gpus
        ? `Lower step ${node}'s GPUs to ${have.gpus} or fewer (more gradient accumulation keeps the batch), or add a node with ${step.gpus} GPUs.`
        : `Lower step ${node}'s CPU or memory request to what ${largest.name} offers (${cores(have.cpu)}, ${gib(have.memory)}).`,
    };
  }
  if (!index.free) return undefined;
  const freeNow = sized.filter((n) => holds(amounts(index.free!.get(n.name)!, res), step));
  if (freeNow.length > 0) return undefined;
  const most = [...sized].sort((a, b) => (index.free!.get(b.name)![res] ?? 0) - (index.free!.get(a.name)![res] ?? 0))[0];
  const free = Math.max(0, index.free.get(most.name)![res] ?? 0);
  return {
    code: 'gpu-busy', severity: 'warning', node,
    message: `No node has ${describeNeed(step)} free now (most free: ${most.name}, ${free} of ${index.allocatable.get(most.name)![res]} ${res}); step ${node} will wait Pending until running pods release them.`,
    fix: `Start later, lower step ${node}'s GPUs to ${Math.max(1, free)} or pick a GPU product with free nodes.`,
  };
}

/**
 * Steps of one level of the graph may start together: when their GPUs of one product add up to more than
 * the nodes with that product have free now (each step already fitting alone), some of them will queue.
 */
export function gpuLevelFindings(steps: readonly StepNeed[], index: NodeIndex, alreadyFlagged: ReadonlySet<string>): PreflightFinding[] {
  if (!index.free) return [];
  const groups = new Map<string, { level: number; product?: string; res: string; gpus: number; ids: string[] }>();
  for (const step of steps) {
    if (step.gpus <= 0 || alreadyFlagged.has(step.id)) continue;
    const key = `${step.level}\n${step.gpuProduct ?? ''}\n${step.gpuResource}`;
    const group = groups.get(key) ?? { level: step.level, product: step.gpuProduct, res: step.gpuResource, gpus: 0, ids: [] };
    group.gpus += step.gpus;
    group.ids.push(step.id);
    groups.set(key, group);
  }
  const findings: PreflightFinding[] = [];
  for (const g of groups.values()) {
    if (g.ids.length < 2) continue;
    const nodes = index.nodes.filter((n) => n.ready && !n.unschedulable && (!g.product || n.labels[GPU_PRODUCT_LABEL] === g.product));
    const free = nodes.reduce((sum, n) => sum + Math.max(0, index.free!.get(n.name)?.[g.res] ?? 0), 0);
    if (g.gpus <= free) continue;
    const shown = g.ids.length > 5 ? `${g.ids.slice(0, 5).join(', ')} and ${g.ids.length - 5} more` : g.ids.join(', ');
    findings.push({
      code: 'gpu-busy', severity: 'warning', node: null,
      message: `Steps ${shown} can start together and ask for ${g.gpus} ${g.res}${g.product ? ` (${g.product})` : ''} at once; the nodes they may use have ${free} free now, so some will wait Pending for others to finish.`,
      fix: 'Accept the queueing (the run still completes), or lower the GPUs per step so more run side by side.',
    });
  }
  return findings;
}
