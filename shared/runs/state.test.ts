import { describe, expect, it } from 'vitest';
import { applyRunEvent, diffRunState } from './state.ts';
import type { RunEvent, RunSummary } from './types.ts';

const base: RunSummary = { id: 'r', pipelineName: 'p', target: 'local', phase: 'pending', createdAt: 't0', nodes: { a: { phase: 'pending' } } };
const apply = (events: RunEvent[], run: RunSummary = base) => events.reduce((s, e) => applyRunEvent(s, e), run);

describe('applyRunEvent', () => {
  it('tracks node times, info, progress and the last value of each metric', () => {
    const run = apply([
      { kind: 'run-phase', runId: 'r', phase: 'running', at: 't1' },
      { kind: 'node-phase', runId: 'r', nodeId: 'a', phase: 'running', at: 't2' },
      { kind: 'node-info', runId: 'r', nodeId: 'a', engine: 'tiny' },
      { kind: 'progress', runId: 'r', nodeId: 'a', progress: { current: 1, total: 2 } },
      { kind: 'metrics', runId: 'r', nodeId: 'a', records: [{ step: 1, values: { loss: 3, lr: 1 } }, { step: 2, values: { loss: 2 } }] },
      { kind: 'node-phase', runId: 'r', nodeId: 'a', phase: 'failed', message: 'exit 1', at: 't3' },
      { kind: 'run-phase', runId: 'r', phase: 'failed', message: 'a failed', at: 't4' },
    ]);
    expect(run).toMatchObject({ phase: 'failed', message: 'a failed', finishedAt: 't4' });
    expect(run.nodes.a).toEqual({
      phase: 'failed',
      message: 'exit 1',
      startedAt: 't2',
      finishedAt: 't3',
      engine: 'tiny',
      progress: { current: 1, total: 2 },
      lastMetrics: { loss: 2, lr: 1 },
    });
    expect(base.nodes.a).toEqual({ phase: 'pending' });
  });

  it('returns the same object for events that change nothing', () => {
    expect(applyRunEvent(base, { kind: 'log', runId: 'r', nodeId: 'a', lines: [] })).toBe(base);
  });

  it('gives a cached node a start and finish time', () => {
    expect(apply([{ kind: 'node-phase', runId: 'r', nodeId: 'a', phase: 'cached', at: 't5' }]).nodes.a).toMatchObject({ startedAt: 't5', finishedAt: 't5' });
  });
});

describe('diffRunState', () => {
  it('turns two states into the events between them', () => {
    const after = apply([
      { kind: 'node-phase', runId: 'r', nodeId: 'a', phase: 'running', at: 't2' },
      { kind: 'node-info', runId: 'r', nodeId: 'a', engine: 'tiny' },
      { kind: 'run-phase', runId: 'r', phase: 'running', at: 't1' },
    ]);
    const events = diffRunState(base, after, 'now');
    expect(events).toEqual([
      { kind: 'node-phase', runId: 'r', nodeId: 'a', phase: 'running', at: 't2' },
      { kind: 'node-info', runId: 'r', nodeId: 'a', engine: 'tiny' },
      { kind: 'run-phase', runId: 'r', phase: 'running', at: 'now' },
    ]);
    expect(apply(events)).toMatchObject({ phase: 'running', nodes: { a: { phase: 'running', engine: 'tiny' } } });
  });
});
