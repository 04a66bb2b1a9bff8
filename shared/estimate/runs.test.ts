import { describe, expect, it } from 'vitest';
import { pipelineFromAscii } from '../../test/fixtures/asciiPipeline.ts';
import type { RunSummary } from '../runs/types.ts';
import { nextAnchor, nodeSecondsLeft, preprocessCountsFromRuns, ProgressClock, runSecondsLeft } from './runs.ts';
import type { PipelineEstimate } from './types.ts';

const run = (id: string, createdAt: string, nodes: RunSummary['nodes'], pipelineName = 'p'): RunSummary => ({ id, pipelineName, target: 'local', phase: 'succeeded', createdAt, nodes });
const NOW = Date.parse('2026-12-04T12:00:00Z');

describe('preprocess counts from earlier runs', () => {
  it('takes each node from the latest run of the same pipeline that counted it', () => {
    const runs = [
      run('old', '2026-12-01T00:00:00Z', { prep: { phase: 'succeeded', lastMetrics: { chars: 100, kept: 2 } }, other: { phase: 'succeeded', lastMetrics: { chars: 7 } } }),
      run('new', '2026-12-03T00:00:00Z', { prep: { phase: 'succeeded', lastMetrics: { chars: 900, kept: 9 } } }),
      run('failed', '2026-12-04T00:00:00Z', { prep: { phase: 'failed', lastMetrics: { chars: 5 } } }),
      run('elsewhere', '2026-12-05T00:00:00Z', { prep: { phase: 'succeeded', lastMetrics: { chars: 1 } } }, 'q'),
    ];
    expect(preprocessCountsFromRuns(runs, 'p')).toEqual({ prep: { chars: 900, records: 9 }, other: { chars: 7 } });
  });
});

describe('time left', () => {
  it('a node: tqdm remaining time, else its rate, else the pace since it started', () => {
    const base = { phase: 'running' as const, startedAt: '2026-12-04T11:50:00Z' };
    expect(nodeSecondsLeft({ ...base, progress: { current: 10, total: 100, etaSeconds: 42, rate: 1 } }, NOW)).toBe(42);
    expect(nodeSecondsLeft({ ...base, progress: { current: 10, total: 100, rate: 2 } }, NOW)).toBe(45);
    expect(nodeSecondsLeft({ ...base, progress: { current: 25, total: 100 } }, NOW)).toBe(1800);
    expect(nodeSecondsLeft({ phase: 'succeeded', progress: { current: 1, total: 2 } }, NOW)).toBeUndefined();
    expect(nodeSecondsLeft({ ...base, progress: { current: 0, total: 100 } }, NOW)).toBeUndefined();
  });

  it('tqdm remaining time and a rate count down from when the line arrived, never below zero', () => {
    const base = { phase: 'running' as const, startedAt: '2026-12-04T11:50:00Z' };
    expect(nodeSecondsLeft({ ...base, progress: { current: 10, total: 100, etaSeconds: 42 } }, NOW, NOW - 12_000)).toBe(30);
    expect(nodeSecondsLeft({ ...base, progress: { current: 10, total: 100, etaSeconds: 42 } }, NOW, NOW - 60_000)).toBe(0);
    expect(nodeSecondsLeft({ ...base, progress: { current: 10, total: 100, rate: 2 } }, NOW, NOW - 5_000)).toBe(40);
    // The pace since start already uses the clock: the arrival time changes nothing.
    expect(nodeSecondsLeft({ ...base, progress: { current: 25, total: 100 } }, NOW, NOW - 5_000)).toBe(1800);
    // A line that arrives "later" than now (clock skew) does not add time.
    expect(nodeSecondsLeft({ ...base, progress: { current: 10, total: 100, etaSeconds: 42 } }, NOW, NOW + 5_000)).toBe(42);
  });

  it('step/max_steps progress (no rate, no eta): pace since start; more steps done at the same pace, less time left', () => {
    const at = (current: number) => nodeSecondsLeft({ phase: 'running', startedAt: '2026-12-04T11:00:00Z', progress: { current, total: 1000 } }, NOW);
    // 200 of 1,000 steps in an hour: 4 hours for the other 800.
    expect(at(200)).toBe(4 * 3600);
    expect(at(500)).toBe(3600);
    expect(at(999)!).toBeLessThan(at(998)!);
  });

  it('step/max_steps lines: the pace since the bar was first seen leaves out the loading before it, and counts down between lines', () => {
    const node = (current: number) => ({ phase: 'running' as const, startedAt: '2026-12-04T11:00:00Z', progress: { current, total: 1000, label: 'train' } });
    // First seen at step 100, ten minutes ago; now at step 300: 200 steps in 600 s, 700 to go.
    const anchor = { atMs: NOW - 600_000, current: 100, total: 1000, label: 'train' };
    expect(nodeSecondsLeft(node(300), NOW, NOW, anchor)).toBe(2100);
    // Thirty seconds after that line, thirty seconds less.
    expect(nodeSecondsLeft(node(300), NOW + 30_000, NOW, anchor)).toBe(2070);
    // From the start instead (an hour for 300 steps, loading included) it would say 8,400 s.
    expect(nodeSecondsLeft(node(300), NOW)).toBe(8400);
    // The Trainer's own bar over the same steps (no label) keeps the pace; a bar of another size does not, nor one not moved past.
    expect(nodeSecondsLeft(node(300), NOW, NOW, { ...anchor, label: undefined })).toBe(2100);
    expect(nodeSecondsLeft(node(300), NOW, NOW, { ...anchor, total: 500 })).toBe(8400);
    expect(nodeSecondsLeft(node(100), NOW, NOW, anchor)).toBe(32_400);
  });

  it('the anchor stays on the bar it was taken on (whatever its label); a bar of another total or a restart takes a new one', () => {
    const first = nextAnchor(null, { current: 5, total: 100, label: 'train' }, 1000);
    expect(first).toEqual({ atMs: 1000, current: 5, total: 100, label: 'train' });
    expect(nextAnchor(first, { current: 50, total: 100, label: 'train' }, 9000)).toBe(first);
    // The Trainer's tqdm bar and the step's own lines alternate over the same steps.
    expect(nextAnchor(first, { current: 51, total: 100, etaSeconds: 30 }, 9500)).toBe(first);
    expect(nextAnchor(first, { current: 2, total: 100, label: 'train' }, 9000)).toEqual({ atMs: 9000, current: 2, total: 100, label: 'train' });
    expect(nextAnchor(first, { current: 50, total: 40, label: 'eval' }, 9000)).toEqual({ atMs: 9000, current: 50, total: 40, label: 'eval' });
  });

  it('a finished bar (checkpoint shards loaded, a datasets map done) says nothing about what follows', () => {
    const node = { phase: 'running' as const, startedAt: '2026-12-04T11:50:00Z', progress: { current: 4, total: 4, etaSeconds: 0, label: 'Loading checkpoint shards' } };
    expect(nodeSecondsLeft(node, NOW)).toBeUndefined();
    const doc = pipelineFromAscii('raw:dataset -> cpt');
    const estimate = { nodes: [{ id: 'cpt', hours: 1 }], total: {}, criticalPath: [] } as unknown as PipelineEstimate;
    // So the pipeline falls back to the estimate less the 10 minutes spent, not to zero.
    expect(runSecondsLeft(doc, run('r', '2026-12-04T11:00:00Z', { raw: { phase: 'succeeded' }, cpt: node }), estimate, NOW)).toEqual({ seconds: 3000, partial: false });
  });

  it('the pipeline: finished nodes nothing, running from progress, pending from the estimate, along the longest path', () => {
    const doc = pipelineFromAscii('raw:dataset -> cpt -> eval\nraw -> other:cpt');
    const estimate = { nodes: [{ id: 'cpt', hours: 2 }, { id: 'eval', hours: 0.5 }, { id: 'other', hours: 1 }], total: {}, criticalPath: [] } as unknown as PipelineEstimate;
    const r = run('r', '2026-12-04T11:00:00Z', {
      raw: { phase: 'succeeded' },
      cpt: { phase: 'running', startedAt: '2026-12-04T11:30:00Z', progress: { current: 50, total: 100, etaSeconds: 600 } },
      other: { phase: 'pending' },
    });
    // cpt 600 s + eval 1,800 s = 2,400 s; other (pending, 3,600 s) is longer.
    expect(runSecondsLeft(doc, r, estimate, NOW)).toEqual({ seconds: 3600, partial: false });
    const noProgress = { ...r, nodes: { ...r.nodes, cpt: { phase: 'running' as const, startedAt: '2026-12-04T11:30:00Z' } } };
    expect(runSecondsLeft(doc, noProgress, estimate, NOW)).toEqual({ seconds: 5400 + 1800, partial: false });
    const unknown = { ...estimate, nodes: [{ id: 'cpt', hours: null }, ...estimate.nodes.slice(1)] } as unknown as PipelineEstimate;
    expect(runSecondsLeft(doc, noProgress, unknown, NOW)).toEqual({ seconds: 3600, partial: true });
  });

  it('the clock: a line counts down until the next; step lines take their pace from the first one seen', () => {
    const clock = new ProgressClock();
    const node = (progress: { current: number; total: number; etaSeconds?: number; label?: string }) => ({ phase: 'running' as const, startedAt: '2026-12-04T10:00:00Z', progress });
    const tqdm = { current: 10, total: 100, etaSeconds: 90 };
    expect(clock.secondsLeft('cpt', node(tqdm), NOW)).toBe(90);
    expect(clock.secondsLeft('cpt', node(tqdm), NOW + 20_000)).toBe(70);
    // Step lines of the same bar: 10 steps in the 60 s since the first line seen, 80 to go.
    expect(clock.secondsLeft('cpt', node({ current: 20, total: 100, label: 'train' }), NOW + 60_000)).toBe(480);
    // Nodes are kept apart.
    expect(clock.secondsLeft('sft', node({ current: 20, total: 100, label: 'train' }), NOW + 60_000)).toBe((2 * 3600 + 60) * 4);
  });

  it('the pipeline with the clock: running nodes count from when their line arrived', () => {
    const doc = pipelineFromAscii('raw:dataset -> cpt -> eval');
    const estimate = { nodes: [{ id: 'cpt', hours: 2 }, { id: 'eval', hours: 0.5 }], total: {}, criticalPath: [] } as unknown as PipelineEstimate;
    const cpt = { phase: 'running' as const, startedAt: '2026-12-04T11:30:00Z', progress: { current: 50, total: 100, etaSeconds: 600 } };
    const r = run('r', '2026-12-04T11:00:00Z', { raw: { phase: 'succeeded' }, cpt });
    const clock = new ProgressClock();
    const at = (now: number) => runSecondsLeft(doc, r, estimate, now, (id, state) => clock.secondsLeft(id, state, now)).seconds;
    expect(at(NOW)).toBe(600 + 1800);
    expect(at(NOW + 100_000)).toBe(500 + 1800);
  });
});
