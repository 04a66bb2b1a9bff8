import { describe, expect, it } from 'vitest';
import type { PodLike } from './podHints.ts';
import { podHint } from './podHints.ts';

const spec = { containers: [{ name: 'main', image: 'repo/trainer:1', resources: { limits: { memory: '200Gi', 'nvidia.com/gpu': '4' } } }] };

describe('podHint', () => {
  const cases: [string, PodLike, string | null, RegExp | null][] = [
    ['running pod', { spec, status: { phase: 'Running', containerStatuses: [{ name: 'main', state: {} }] } }, null, null],
    ['OOMKilled', { spec, status: { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] } }, 'OOMKilled', /limit 200Gi/],
    ['image pull', { spec, status: { phase: 'Pending', containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ImagePullBackOff' } } }] } }, 'ImagePullBackOff', /repo\/trainer:1/],
    ['crash loop', { spec, status: { phase: 'Running', containerStatuses: [{ name: 'main', restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, 'CrashLoopBackOff', /5 times/],
    [
      'unschedulable for GPUs',
      { spec, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }] } },
      'Unschedulable',
      /free nvidia\.com\/gpu/,
    ],
    ['non-zero exit', { spec, status: { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { reason: 'Error', exitCode: 3 } } }] } }, 'Error', /code 3/],
  ];
  it.each(cases)('%s', (_name, pod, reason, hint) => {
    const result = podHint(pod);
    expect(result?.reason ?? null).toBe(reason);
    if (hint) expect(result?.hint).toMatch(hint);
  });

  it('reads FailedScheduling events when the condition has no message', () => {
    const pod: PodLike = { spec, status: { phase: 'Pending' } };
    const hint = podHint(pod, [{ reason: 'FailedScheduling', message: '0/2 nodes are available: 2 Insufficient memory.' }]);
    expect(hint).toEqual({ reason: 'Unschedulable', hint: expect.stringMatching(/free memory/) });
  });
});
