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

describe('alerts in the run state', () => {
  const alert = { id: 'cpt:stall', rule: 'stall' as const, nodeId: 'cpt', step: 40, at: '2026-12-04T10:00:00Z', action: 'notify' as const, message: 'cpt made no progress for 30 minutes (last step 40).' };
  const base: RunSummary = { id: 'r', pipelineName: 'p', target: 'local', phase: 'running', createdAt: '2026-12-04T09:00:00Z', nodes: {} };

  it('keeps each alert once, in order', () => {
    const once = applyRunEvent(base, { kind: 'alert', runId: 'r', nodeId: 'cpt', alert });
    expect(once.alerts).toEqual([alert]);
    expect(applyRunEvent(once, { kind: 'alert', runId: 'r', nodeId: 'cpt', alert })).toBe(once);
  });

  it('a run followed from disk reports the alerts it did not have', () => {
    const after = { ...base, alerts: [alert] };
    expect(diffRunState(base, after, '2026-12-04T10:00:01Z')).toEqual([{ kind: 'alert', runId: 'r', nodeId: 'cpt', alert }]);
    expect(diffRunState(after, after, '2026-12-04T10:00:01Z')).toEqual([]);
  });
});

