/** A node's `resources` and `retries`: GPU counts, Kubernetes quantities, resource names, tolerations. */
import { memoryToBytes, parseQuantity, quantityScaledValue } from './quantity.ts';
import { problem, show } from './validateCodes.ts';
import { isExtendedResourceName, isLabelValue, isQualifiedName } from './validateNames.ts';
import type { NodeResources, Problem } from './types.ts';

const RESOURCE_FIELDS = ['gpus', 'gpuResource', 'gpuProduct', 'cpu', 'memory', 'tolerations'];
const TOLERATION_FIELDS = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
export const MAX_RETRIES = 10;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkQuantity(nodeId: string, field: 'cpu' | 'memory', value: unknown, problems: Problem[]): void {
  const code = field === 'cpu' ? 'resources-cpu-invalid' : 'resources-memory-invalid';
  const location = { nodeId, field: `resources.${field}` };
  const example = field === 'cpu' ? '"32", "500m" or "1.5"' : '"200Gi", "512Mi" or "1e9"';
  if (typeof value !== 'string') {
    problems.push(problem(code, `${field} of node "${nodeId}" is ${show(value)}; write it as a quoted Kubernetes quantity such as ${example}.`, location));
    return;
  }
  const parsed = parseQuantity(value);
  if (!parsed.ok) {
    problems.push(problem(code, `${field} of node "${nodeId}" is ${show(value)}, which is not a Kubernetes quantity: ${parsed.reason}.`, location));
    return;
  }
  if (parsed.quantity.negative || quantityScaledValue(parsed.quantity, 9) <= 0) {
    problems.push(problem(code, `${field} of node "${nodeId}" is ${show(value)}; it must be more than zero (leave it out for no limit).`, location));
    return;
  }
  if (field === 'memory' && memoryToBytes(value) < 2 ** 20) {
    const hint = /^[0-9.]+m$/.test(value) ? ` ("m" means thousandths of a byte; did you mean "${value.slice(0, -1)}Mi"?)` : '';
    problems.push(problem('resources-memory-tiny', `memory of node "${nodeId}" is ${show(value)}, less than 1 MiB${hint}.`, location));
  }
}

function checkToleration(nodeId: string, t: unknown, i: number, problems: Problem[]): void {
  const field = `resources.tolerations.${i}`;
  const report = (detail: string, sub = ''): void => {
    problems.push(problem('resources-toleration-invalid', `Toleration ${i + 1} of node "${nodeId}": ${detail}.`, { nodeId, field: `${field}${sub}` }));
  };
  if (!isObject(t)) return report(`${show(t)} is not a toleration object`);
  for (const key of Object.keys(t)) if (!TOLERATION_FIELDS.includes(key)) report(`unknown field "${key}" (use ${TOLERATION_FIELDS.join(', ')})`, `.${key}`);
  const operator = t.operator ?? 'Equal';
  if (operator !== 'Equal' && operator !== 'Exists') return report(`operator is ${show(t.operator)}, not "Exists" or "Equal"`, '.operator');
  if (t.key !== undefined && t.key !== '' && !isQualifiedName(t.key)) report(`key ${show(t.key)} is not a valid label key`, '.key');
  const hasKey = typeof t.key === 'string' && t.key !== '';
  if (!hasKey && operator !== 'Exists') report('a toleration without a key must use operator "Exists"', '.operator');
  if (operator === 'Exists' && t.value !== undefined && t.value !== '') report(`operator "Exists" takes no value, but value is ${show(t.value)}`, '.value');
  if (operator === 'Equal' && t.value !== undefined && !isLabelValue(t.value)) report(`value ${show(t.value)} is not a valid label value`, '.value');
  if (t.effect !== undefined && t.effect !== '' && !EFFECTS.includes(t.effect as string)) report(`effect is ${show(t.effect)}, not one of ${EFFECTS.join(', ')}`, '.effect');
  if (t.tolerationSeconds !== undefined) {
    if (typeof t.tolerationSeconds !== 'number' || !Number.isInteger(t.tolerationSeconds)) report(`tolerationSeconds is ${show(t.tolerationSeconds)}, not a whole number`, '.tolerationSeconds');
    else if (t.effect !== 'NoExecute') report('tolerationSeconds applies only with effect "NoExecute"', '.tolerationSeconds');
  }
}

/** Every problem of a node's own `resources` (not the catalog defaults, which are trusted). */
export function checkResources(nodeId: string, resources: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(resources)) {
    if (!RESOURCE_FIELDS.includes(key)) {
      problems.push(problem('field-unknown', `Node "${nodeId}" has an unknown resource "${key}" (use ${RESOURCE_FIELDS.join(', ')}).`, { nodeId, field: `resources.${key}` }));
    }
  }
  const { gpus, gpuResource, gpuProduct, cpu, memory, tolerations } = resources;
  if (gpus !== undefined && !(typeof gpus === 'number' && Number.isInteger(gpus) && gpus >= 0)) {
    problems.push(problem('resources-gpus-invalid', `gpus of node "${nodeId}" is ${show(gpus)}; it must be a whole number, 0 or more.`, { nodeId, field: 'resources.gpus' }));
  }
  if (gpuResource !== undefined && !isExtendedResourceName(gpuResource)) {
    problems.push(
      problem('resources-gpu-resource-invalid', `gpuResource of node "${nodeId}" is ${show(gpuResource)}; it must be an extended resource name with a domain, such as "nvidia.com/gpu" or "amd.com/gpu".`, {
        nodeId,
        field: 'resources.gpuResource',
      }),
    );
  }
  if (gpuProduct !== undefined && (gpuProduct === '' || !isLabelValue(gpuProduct))) {
    problems.push(
      problem('resources-gpu-product-invalid', `gpuProduct of node "${nodeId}" is ${show(gpuProduct)}; it must be a Kubernetes label value such as "NVIDIA-H100-80GB-HBM3" (letters, digits, "-", "_", "."; at most 63).`, {
        nodeId,
        field: 'resources.gpuProduct',
      }),
    );
  }
  if (cpu !== undefined) checkQuantity(nodeId, 'cpu', cpu, problems);
  if (memory !== undefined) checkQuantity(nodeId, 'memory', memory, problems);
  if (tolerations !== undefined) {
    if (!Array.isArray(tolerations)) {
      problems.push(problem('resources-toleration-invalid', `tolerations of node "${nodeId}" is ${show(tolerations)}, not a list.`, { nodeId, field: 'resources.tolerations' }));
    } else tolerations.forEach((t, i) => checkToleration(nodeId, t, i, problems));
  }
  return problems;
}

/** A warning when the node (with catalog defaults filled in) asks for GPUs without naming their resource. */
export function checkGpuResource(nodeId: string, merged: NodeResources): Problem[] {
  const gpus = merged.gpus;
  if (typeof gpus !== 'number' || !Number.isInteger(gpus) || gpus <= 0 || merged.gpuResource) return [];
  return [
    problem('gpu-resource-missing', `Node "${nodeId}" asks for ${gpus} GPU${gpus === 1 ? '' : 's'} but names no gpuResource; set resources.gpuResource (for example "nvidia.com/gpu").`, {
      nodeId,
      field: 'resources.gpuResource',
    }),
  ];
}

export function checkRetries(nodeId: string, retries: unknown): Problem[] {
  if (retries === undefined || (typeof retries === 'number' && Number.isInteger(retries) && retries >= 0 && retries <= MAX_RETRIES)) return [];
  return [problem('retries-invalid', `retries of node "${nodeId}" is ${show(retries)}; it must be a whole number from 0 to ${MAX_RETRIES}.`, { nodeId, field: 'retries' })];
}
