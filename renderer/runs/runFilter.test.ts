import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/runs/types.ts';
import { filterRuns, togglePick } from './runFilter.ts';

const run = (id: string, over: Partial<RunSummary>): RunSummary => ({ id, pipelineName: 'korean-llm', target: 'local', phase: 'succeeded', createdAt: `2026-01-0${id.length}T00:00:00Z`, nodes: {}, ...over });

const runs = [
  run('a', { target: 'argo', context: 'prod-gpu', namespace: 'ml', phase: 'failed', message: 'cpt OOMKilled' }),
  run('bb', { pipelineName: 'smoke' }),
  run('ccc', { target: 'kfp', phase: 'running' }),
];

describe('filterRuns', () => {
  it.each([
    ['everything, newest first', { text: '', target: 'all', phase: 'all' }, ['ccc', 'bb', 'a']],
    ['by target', { text: '', target: 'argo', phase: 'all' }, ['a']],
    ['by phase', { text: '', target: 'all', phase: 'running' }, ['ccc']],
    ['by text in the context', { text: 'PROD', target: 'all', phase: 'all' }, ['a']],
    ['by text in the failure message', { text: 'oomkilled', target: 'all', phase: 'all' }, ['a']],
    ['every word must match', { text: 'korean ml', target: 'all', phase: 'all' }, ['a']],
    ['nothing matches', { text: 'zzz', target: 'all', phase: 'all' }, []],
  ] as const)('%s', (_name, filter, ids) => {
    expect(filterRuns(runs, filter).map((r) => r.id)).toEqual(ids);
  });
});

describe('togglePick', () => {
  it.each([
    [[], 'a', ['a']],
    [['a'], 'b', ['a', 'b']],
    [['a', 'b'], 'c', ['a', 'b', 'c']],
    [['a', 'b', 'c', 'd', 'e', 'f'], 'g', ['b', 'c', 'd', 'e', 'f', 'g']],
    [['a', 'b'], 'a', ['b']],
  ] as const)('%j + %s → %j', (picked, id, out) => {
    expect(togglePick(picked, id)).toEqual(out);
  });
});
