import { describe, expect, it } from 'vitest';
import type { MetricRecord, RunEvent, RunSummary } from '../../shared/runs/types.ts';
import { appendSeries, foldRunEvents, latestRunId, lossValues, mergeRunList, mergeSeries, nodeView, panelNodeFor, runViewOf } from './runFolding.ts';
import type { RunsData } from './runFolding.ts';

const at = '2026-01-01T00:00:00.000Z';

function summary(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return { id, pipelineName: 'smoke', target: 'local', phase: 'running', createdAt: at, nodes: { cpt: { phase: 'pending' }, sft: { phase: 'pending' } }, ...over };
}

function data(over: Partial<RunsData> = {}): RunsData {
  return { runs: { r1: summary('r1') }, stubRunIds: {}, connections: {}, series: {}, seriesRunId: 'r1', ...over };
}

const metric = (step: number, loss: number): MetricRecord => ({ step, values: { loss } });

describe('foldRunEvents', () => {
  it('folds phases, progress, engine and hints into the run and names the touched nodes', () => {
    const events: RunEvent[] = [
      { kind: 'node-phase', runId: 'r1', nodeId: 'cpt', phase: 'running', at },
      { kind: 'node-info', runId: 'r1', nodeId: 'cpt', engine: 'tiny' },
      { kind: 'progress', runId: 'r1', nodeId: 'cpt', progress: { current: 10, total: 40 } },
      { kind: 'hint', runId: 'r1', nodeId: 'sft', hint: { reason: 'Unschedulable', hint: 'No node has 2 free GPUs' } },
    ];
    const { data: out, touchedNodes, runsChanged } = foldRunEvents(data(), events);
    expect(out.runs.r1.nodes.cpt).toMatchObject({ phase: 'running', engine: 'tiny', progress: { current: 10, total: 40 } });
    expect(out.runs.r1.nodes.sft.hint?.reason).toBe('Unschedulable');
    expect([...touchedNodes].sort()).toEqual(['cpt', 'sft']);
    expect(runsChanged).toBe(true);
  });

  it('appends metrics to the shown run only; other runs keep their last values', () => {
    const start = data({ runs: { r1: summary('r1'), r2: summary('r2') } });
    const out = foldRunEvents(start, [
      { kind: 'metrics', runId: 'r1', nodeId: 'cpt', records: [metric(5, 4.1), metric(10, 3.2)] },
      { kind: 'metrics', runId: 'r2', nodeId: 'cpt', records: [metric(5, 9)] },
    ]).data;
    expect(out.series.cpt.map((r) => r.step)).toEqual([5, 10]);
    expect(out.runs.r2.nodes.cpt.lastMetrics).toEqual({ loss: 9 });
    expect(out.runs.r1.nodes.cpt.lastMetrics).toEqual({ loss: 3.2 });
  });

  it('ignores log events and leaves the input untouched', () => {
    const start = data();
    const { data: out, runsChanged } = foldRunEvents(start, [{ kind: 'log', runId: 'r1', nodeId: 'cpt', lines: [{ seq: 1, ts: at, text: 'x' }] }]);
    expect(runsChanged).toBe(false);
    expect(out.runs).toBe(start.runs);
  });

  it('tracks the connection, and a run that reports again is connected again', () => {
    let out = foldRunEvents(data(), [{ kind: 'connection', runId: 'r1', state: 'disconnected', message: 'ECONNREFUSED' }]).data;
    expect(out.connections.r1).toEqual({ state: 'disconnected', message: 'ECONNREFUSED' });
    out = foldRunEvents(out, [{ kind: 'node-phase', runId: 'r1', nodeId: 'cpt', phase: 'succeeded', at }]).data;
    expect(out.connections.r1.state).toBe('connected');
  });

  it('an unknown run becomes a stub the next list read completes', () => {
    const out = foldRunEvents(data(), [{ kind: 'run-phase', runId: 'r9', phase: 'running', at }]).data;
    expect(out.stubRunIds).toEqual({ r9: true });
    expect(out.runs.r9.phase).toBe('running');
    const merged = mergeRunList(out, [summary('r1'), summary('r9', { phase: 'pending', pipelineName: 'smoke', target: 'argo' })]);
    expect(merged.stubRunIds).toEqual({});
    expect(merged.runs.r9).toMatchObject({ target: 'argo', pipelineName: 'smoke', phase: 'running' });
  });
});

describe('mergeRunList', () => {
  it('keeps live state of a running run, takes the list where it has moved on', () => {
    const local = data({ runs: { a: summary('a', { phase: 'running' }), b: summary('b', { phase: 'running' }) } });
    const merged = mergeRunList(local, [summary('a', { phase: 'pending' }), summary('b', { phase: 'succeeded' }), summary('c')]);
    expect(merged.runs.a.phase).toBe('running');
    expect(merged.runs.b.phase).toBe('succeeded');
    expect(Object.keys(merged.runs).sort()).toEqual(['a', 'b', 'c']);
  });

  it('drops runs deleted elsewhere', () => {
    expect(Object.keys(mergeRunList(data(), []).runs)).toEqual([]);
  });
});

describe('series', () => {
  it('thins the older half past the cap, keeping the newest points', () => {
    const many = Array.from({ length: 120 }, (_, i) => metric(i, i));
    const out = appendSeries([], many, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.at(-1)?.step).toBe(119);
    expect(out.slice(-60).map((r) => r.step)).toEqual(many.slice(-60).map((r) => r.step));
  });

  it('merges disk and live records without repeating one', () => {
    expect(mergeSeries([metric(5, 4), metric(10, 3)], [metric(10, 3), metric(15, 2)]).map((r) => r.step)).toEqual([5, 10, 15]);
    expect(mergeSeries([metric(5, 4)], undefined)).toEqual([metric(5, 4)]);
  });

  it('loss values for the sparkline: the last ones, finite only', () => {
    const records = [metric(1, 3), { step: 2, values: { accuracy: 0.5 } }, metric(3, Number.NaN), metric(4, 2)];
    expect(lossValues(records)).toEqual([3, 2]);
    expect(lossValues(Array.from({ length: 100 }, (_, i) => metric(i, i)), 60)?.[0]).toBe(40);
    expect(lossValues([])).toBeUndefined();
  });
});

describe('node view', () => {
  it.each([
    ['running with progress', { phase: 'running', progress: { current: 3, total: 4 } }, { phase: 'running', progress: 0.75, timing: { progress: { current: 3, total: 4 } } }],
    [
      'running: the progress line and start, for the time left',
      { phase: 'running', startedAt: '2026-01-01T00:00:00Z', progress: { current: 3, total: 4, etaSeconds: 20 } },
      { phase: 'running', progress: 0.75, timing: { progress: { current: 3, total: 4, etaSeconds: 20 }, startedAt: '2026-01-01T00:00:00Z' } },
    ],
    ['succeeded after progress: full', { phase: 'succeeded', progress: { current: 3, total: 4 } }, { phase: 'succeeded', progress: 1 }],
    ['cached without progress: no bar', { phase: 'cached' }, { phase: 'cached' }],
    ['engine and hint', { phase: 'pending', engine: 'tiny', hint: { reason: 'OOMKilled', hint: 'raise memory' } }, { phase: 'pending', engine: 'tiny', hint: { reason: 'OOMKilled', hint: 'raise memory' } }],
    ['a cleared hint is not shown', { phase: 'running', hint: null }, { phase: 'running' }],
    ['eval scores, not other metrics', { phase: 'succeeded', lastMetrics: { accuracy: 0.25, perplexity: 45.6, loss: 3.8 } }, { phase: 'succeeded', scores: { accuracy: 0.25, perplexity: 45.6 } }],
  ] as const)('%s', (_name, node, view) => {
    expect(nodeView(node as never, undefined)).toEqual(view);
  });

  it('updates only the touched nodes and keeps the others by identity', () => {
    const run = summary('r1', { nodes: { cpt: { phase: 'running' }, sft: { phase: 'pending' } } });
    const previous = runViewOf(run, {}, {});
    const next = runViewOf({ ...run, nodes: { ...run.nodes, cpt: { phase: 'succeeded' } } }, {}, previous, new Set(['cpt']));
    expect(next.cpt.phase).toBe('succeeded');
    expect(next.sft).toBe(previous.sft);
  });
});

describe('latestRunId', () => {
  it('the newest run of this pipeline', () => {
    const runs = {
      a: summary('a', { createdAt: '2026-01-01T00:00:00Z' }),
      b: summary('b', { createdAt: '2026-01-02T00:00:00Z' }),
      c: summary('c', { createdAt: '2026-01-03T00:00:00Z', pipelineName: 'other' }),
    };
    expect(latestRunId(runs, 'smoke')).toBe('b');
    expect(latestRunId(runs, 'none')).toBeNull();
  });
});

describe('panelNodeFor', () => {
  const run = summary('r', {
    nodes: {
      a: { phase: 'succeeded', startedAt: '2026-01-01T00:00:01Z' },
      b: { phase: 'succeeded', startedAt: '2026-01-01T00:00:05Z' },
      c: { phase: 'running', startedAt: '2026-01-01T00:00:09Z' },
      d: { phase: 'pending' },
    },
  });
  it.each([
    ['the canvas selection first', 'a', 'b', 'a'],
    ['then the panel’s choice', null, 'b', 'b'],
    ['a selection outside the run is ignored', 'zz', null, 'c'],
    ['else the running node', null, null, 'c'],
  ] as const)('%s', (_name, selected, chosen, expected) => {
    expect(panelNodeFor(run, selected, chosen)).toBe(expected);
  });

  it('after the run: the failed node, else the last one started', () => {
    expect(panelNodeFor({ ...run, nodes: { ...run.nodes, c: { phase: 'failed' } } }, null, null)).toBe('c');
    expect(panelNodeFor({ ...run, nodes: { a: run.nodes.a, b: run.nodes.b } }, null, null)).toBe('b');
    expect(panelNodeFor({ ...run, nodes: {} }, null, null)).toBeNull();
    const cancelled = {
      cpt: { phase: 'cancelled' as const, startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:09Z' },
      deploy: { phase: 'cancelled' as const, startedAt: '2026-01-01T00:00:09Z', finishedAt: '2026-01-01T00:00:09Z' },
    };
    expect(panelNodeFor({ ...run, nodes: cancelled }, null, null)).toBe('cpt');
  });
});
