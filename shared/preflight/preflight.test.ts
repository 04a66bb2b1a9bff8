import { describe, expect, it } from 'vitest';
import { tolerates } from './gpuNodes.ts';
import { quotaFindings, withDefaults } from './namespace.ts';
import type { StepNeed } from './requirements.ts';

const taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

describe('tolerations against taints (Kubernetes rules)', () => {
  it.each([
    [{ key: 'nvidia.com/gpu', operator: 'Exists' as const }, true],
    [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }, true],
    [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoExecute' as const }, false],
    [{ operator: 'Exists' as const }, true],
    [{ key: 'nvidia.com/gpu', operator: 'Equal' as const, value: 'present' }, true],
    [{ key: 'nvidia.com/gpu', value: 'present' }, true],
    [{ key: 'nvidia.com/gpu', operator: 'Equal' as const, value: 'absent' }, false],
    [{ key: 'other', operator: 'Exists' as const }, false],
  ])('%j tolerates nvidia.com/gpu=present:NoSchedule: %s', (toleration, expected) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });
});

const need = (id: string, level: number, gpus: number, cpu?: number): StepNeed => ({ id, level, gpus, gpuResource: 'nvidia.com/gpu', cpu, memory: 2 ** 30, tolerations: [] });

describe('quota against the run', () => {
  const quota = { name: 'q', hard: { 'requests.nvidia.com/gpu': '4' }, used: { 'requests.nvidia.com/gpu': '0' } };

  it('steps of one level add up (they may run at once); steps in sequence do not', () => {
    expect(quotaFindings([need('a', 1, 2, 1000), need('b', 1, 2, 1000)], [quota], 'ml')).toEqual([]);
    const wide = quotaFindings([need('a', 1, 2, 1000), need('b', 1, 2, 1000), need('c', 1, 2, 1000)], [quota], 'ml');
    expect(wide).toEqual([expect.objectContaining({ code: 'quota-queued', severity: 'warning', node: null })]);
    expect(wide[0].message).toContain('6 nvidia.com/gpu at once (6 nvidia.com/gpu over the whole run)');
    expect(quotaFindings([need('a', 1, 4, 1000), need('b', 2, 4, 1000), need('c', 3, 4, 1000)], [quota], 'ml')).toEqual([]);
  });

  it('a LimitRange default request satisfies a CPU quota; without one the step is refused', () => {
    const cpuQuota = { name: 'c', hard: { 'requests.cpu': '10' }, used: {} };
    const bare = need('a', 0, 0);
    expect(quotaFindings([bare], [cpuQuota], 'ml').map((f) => f.code)).toEqual(['quota-requires-requests']);
    const defaulted = withDefaults(bare, [{ name: 'lr', limits: [{ type: 'Container', defaultRequest: { cpu: '500m' } }] }]);
    expect(defaulted.cpu).toBe(500);
    expect(quotaFindings([defaulted], [cpuQuota], 'ml')).toEqual([]);
  });
});
