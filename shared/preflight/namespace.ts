/** A run against its namespace: ResourceQuota, LimitRange, and the Secrets and PVCs it names. */
import { quantityValue } from './requirements.ts';
import type { RunNeeds, StepNeed } from './requirements.ts';
import type { ClusterLimitRange, ClusterQuota, PreflightFinding } from './types.ts';

type Field = 'gpus' | 'cpu' | 'memory' | 'pods';

/** The quota key's meaning for a step, or undefined for keys pre-flight does not judge. */
function fieldOf(key: string, gpuResource: string): Field | undefined {
  if (key === 'requests.cpu' || key === 'cpu' || key === 'limits.cpu') return 'cpu';
  if (key === 'requests.memory' || key === 'memory' || key === 'limits.memory') return 'memory';
  if (key === 'pods' || key === 'count/pods') return 'pods';
  if (key === `requests.${gpuResource}` || key === `limits.${gpuResource}`) return 'gpus';
  return undefined;
}

/** CPU and memory after the namespace's LimitRange defaults (what admission fills in). */
export function withDefaults(step: StepNeed, ranges: readonly ClusterLimitRange[]): StepNeed {
  let { cpu, memory } = step;
  for (const range of ranges) {
    for (const item of range.limits) {
      if (item.type !== 'Container') continue;
      cpu ??= quantityValue('cpu', item.defaultRequest?.cpu ?? item.default?.cpu);
      memory ??= quantityValue('memory', item.defaultRequest?.memory ?? item.default?.memory);
    }
  }
  return { ...step, cpu, memory };
}

function valueOf(step: StepNeed, field: Field): number | undefined {
  return field === 'pods' ? 1 : field === 'gpus' ? step.gpus : step[field];
}

function show(field: Field, value: number, gpuResource: string): string {
  if (field === 'cpu') return `${+(value / 1000).toFixed(3)} CPU`;
  if (field === 'memory') return `${+(value / 2 ** 30).toFixed(1)}Gi`;
  if (field === 'gpus') return `${value} ${gpuResource}`;
  return `${value} pod${value === 1 ? '' : 's'}`;
}

const INSPECTOR: Record<Field, string> = { gpus: 'GPUs', cpu: 'CPU', memory: 'memory', pods: 'steps' };

export function quotaFindings(steps: readonly StepNeed[], quotas: readonly ClusterQuota[], namespace: string): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const q of quotas) {
    for (const [key, hardText] of Object.entries(q.hard)) {
      const gpuResource = steps.find((s) => s.gpus > 0)?.gpuResource ?? 'nvidia.com/gpu';
      const field = fieldOf(key, gpuResource);
      if (!field) continue;
      const hard = quantityValue(key, hardText) ?? 0;
      const used = quantityValue(key, q.used[key] ?? '0') ?? 0;
      const left = hard - used;
      let flagged = false;
      const byLevel = new Map<number, number>();
      for (const step of steps) {
        const value = valueOf(step, field);
        if (value === undefined) {
          if (field === 'cpu' || field === 'memory') {
            flagged = true;
            findings.push({
              code: 'quota-requires-requests', severity: 'error', node: step.id,
              message: `ResourceQuota ${q.name} in namespace ${namespace} limits ${key}, so every pod must state its ${field}; step ${step.id} sets none and no LimitRange gives a default, so its pod would be refused.`,
              fix: `Set step ${step.id}'s ${INSPECTOR[field]} (Inspector → Resources), or ask the namespace's admin for a LimitRange with a default ${field} request.`,
            });
          }
          continue;
        }
        if (value === 0) continue;
        byLevel.set(step.level, (byLevel.get(step.level) ?? 0) + value);
        if (value > hard) {
          flagged = true;
          findings.push({
            code: 'quota-exceeded', severity: 'error', node: step.id,
            message: `Step ${step.id} asks for ${show(field, value, gpuResource)}, more than ResourceQuota ${q.name} allows in namespace ${namespace} at all (${key}: ${hardText}); its pod would be refused.`,
            fix: `Lower step ${step.id}'s ${INSPECTOR[field]} to ${show(field, hard, gpuResource)} or less, or ask the namespace's admin to raise ${key} in ResourceQuota ${q.name}.`,
          });
        } else if (value > left) {
          flagged = true;
          findings.push({
            code: 'quota-queued', severity: 'warning', node: step.id,
            message: `Step ${step.id} asks for ${show(field, value, gpuResource)}; ResourceQuota ${q.name} has ${show(field, Math.max(0, left), gpuResource)} of ${hardText} left (${q.used[key] ?? '0'} used) in namespace ${namespace}, so it waits until other pods there finish.`,
            fix: `Wait for the namespace's other work to finish, lower step ${step.id}'s ${INSPECTOR[field]}, or ask for more ${key} in ResourceQuota ${q.name}.`,
          });
        }
      }
      const peak = Math.max(0, ...byLevel.values());
      if (!flagged && peak > left) {
        const total = [...byLevel.values()].reduce((a, b) => a + b, 0);
        findings.push({
          code: 'quota-queued', severity: 'warning', node: null,
          message: `At its widest the run asks for ${show(field, peak, gpuResource)} at once (${show(field, total, gpuResource)} over the whole run); ResourceQuota ${q.name} leaves ${show(field, Math.max(0, left), gpuResource)} of ${hardText} in namespace ${namespace}, so parallel steps will wait for each other.`,
          fix: `Accept the slower run, or ask the namespace's admin to raise ${key} in ResourceQuota ${q.name}.`,
        });
      }
    }
  }
  return findings;
}

export function limitRangeFindings(steps: readonly StepNeed[], ranges: readonly ClusterLimitRange[], namespace: string): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const range of ranges) {
    for (const item of range.limits) {
      if (item.type !== 'Container' && item.type !== 'Pod') continue;
      for (const step of steps) {
        const checks: Array<[string, Field]> = [['cpu', 'cpu'], ['memory', 'memory'], [step.gpuResource, 'gpus']];
        for (const [res, field] of checks) {
          const value = valueOf(step, field);
          if (value === undefined || (field === 'gpus' && value === 0)) continue;
          const max = quantityValue(res, item.max?.[res]);
          const min = quantityValue(res, item.min?.[res]);
          const over = max !== undefined && value > max;
          const under = min !== undefined && value < min;
          if (!over && !under) continue;
          const bound = over ? `at most ${item.max![res]}` : `at least ${item.min![res]}`;
          findings.push({
            code: 'limitrange-exceeded', severity: 'error', node: step.id,
            message: `Step ${step.id} asks for ${show(field, value, res)}; LimitRange ${range.name} in namespace ${namespace} allows ${bound} ${res} per ${item.type === 'Pod' ? 'pod' : 'container'}, so its pod would be refused.`,
            fix: `Set step ${step.id}'s ${INSPECTOR[field]} to ${over ? item.max![res] : item.min![res]} or ${over ? 'less' : 'more'}, or ask the namespace's admin to change LimitRange ${range.name}.`,
          });
        }
      }
    }
  }
  return findings;
}

export function secretFindings(needs: RunNeeds, secrets: ReadonlySet<string>, namespace: string): PreflightFinding[] {
  return needs.secrets
    .filter((s) => !secrets.has(s.name))
    .map((s) => ({
      code: 'secret-missing' as const, severity: 'error' as const, node: null,
      message: `Secret ${s.name} (keys ${s.keys.join(', ')}, from the pipeline's secret environment) does not exist in namespace ${namespace}; every step's pod would fail with CreateContainerConfigError.`,
      fix: `kubectl create secret generic ${s.name} -n ${namespace} ${s.keys.map((k) => `--from-literal=${k}=...`).join(' ')}  (or fix the name in Pipeline settings → Secret environment)`,
    }));
}

export function pvcFindings(needs: RunNeeds, pvcs: ReadonlyMap<string, string>, namespace: string): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  for (const name of needs.pvcs) {
    const phase = pvcs.get(name);
    if (phase === undefined) {
      findings.push({
        code: 'pvc-missing', severity: 'error', node: null,
        message: `PersistentVolumeClaim ${name} (the pipeline's checkpoint volume) does not exist in namespace ${namespace}; training pods would stay Pending.`,
        fix: `Create it (kubectl apply -n ${namespace} -f a PersistentVolumeClaim named ${name}) or change Pipeline settings → Checkpoint PVC.`,
      });
    } else if (phase !== 'Bound') {
      findings.push({
        code: 'pvc-not-bound', severity: 'warning', node: null,
        message: `PersistentVolumeClaim ${name} in namespace ${namespace} is ${phase || 'not yet bound'}; pods that mount it wait until a volume binds.`,
        fix: `kubectl describe pvc ${name} -n ${namespace} says why (no matching StorageClass or volume, or WaitForFirstConsumer binding, which is fine).`,
      });
    }
  }
  return findings;
}
