import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricRecord, RunEvent, RunSummary } from '../../shared/runs/types.ts';
import { setApiConnection } from '../api/client.ts';
import { appStore, resetAppStore } from '../store/index.ts';
import { subscribeLog } from './logBus.ts';
import { shownRunId } from './runsSlice.ts';
import { flushRunEvents, ingestRunEvent, startRunSync } from './runSync.ts';

const at = '2026-01-01T00:00:00.000Z';

function summary(id: string, pipelineName: string, createdAt: string, nodes: RunSummary['nodes']): RunSummary {
  return { id, pipelineName, target: 'local', phase: 'running', createdAt, nodes };
}

/** The back end as the runs sync sees it: a run list and metrics on disk. */
function fakeBackend(runs: RunSummary[], metrics: Record<string, MetricRecord[]> = {}) {
  const calls: string[] = [];
  setApiConnection({
    invoke: async ({ method, args }) => {
      calls.push(method);
      if (method === 'listRuns') return { ok: true, value: runs };
      if (method === 'readMetrics') return { ok: true, value: metrics[`${args[0]}/${args[1]}`] ?? [] };
      return { ok: false as const, error: { code: 'unknown-method' as const, message: `unexpected ${method}` } };
    },
    subscribe: () => () => {},
  });
  return { calls, runs };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

function loadPipeline(name: string, filePath: string | null = `/work/${name}.pipewright.json`): void {
  appStore.getState().loadDocument({ format: 'pipewright.pipeline/v2', name, nodes: [], edges: [] }, filePath);
}

let stop: () => void = () => {};

beforeEach(() => {
  resetAppStore();
});

afterEach(() => {
  stop();
});

describe('run sync', () => {
  it('shows the open pipeline’s latest run on the canvas, with its loss read from disk', async () => {
    fakeBackend(
      [
        summary('old', 'smoke', '2026-01-01T00:00:00Z', { cpt: { phase: 'succeeded' } }),
        summary('new', 'smoke', '2026-01-02T00:00:00Z', { cpt: { phase: 'running', progress: { current: 1, total: 4 } }, sft: { phase: 'pending' } }),
        summary('other', 'other', '2026-01-03T00:00:00Z', { x: { phase: 'running' } }),
      ],
      { 'new/cpt': [{ step: 1, values: { loss: 3 } }, { step: 2, values: { loss: 2.5 } }] },
    );
    loadPipeline('smoke');
    stop = startRunSync();
    await settle();
    const state = appStore.getState();
    expect(shownRunId(state)).toBe('new');
    expect(state.runView.cpt).toEqual({ phase: 'running', progress: 0.25, timing: { progress: { current: 1, total: 4 } }, loss: [3, 2.5] });
    expect(state.runView.sft).toEqual({ phase: 'pending' });
  });

  it('folds live events in one batch; untouched nodes keep their view object', async () => {
    fakeBackend([summary('r', 'smoke', at, { cpt: { phase: 'running' }, sft: { phase: 'pending' } })]);
    loadPipeline('smoke');
    stop = startRunSync();
    await settle();
    const sftBefore = appStore.getState().runView.sft;
    const events: RunEvent[] = [
      { kind: 'metrics', runId: 'r', nodeId: 'cpt', records: [{ step: 5, values: { loss: 4 } }, { step: 10, values: { loss: 3 } }] },
      { kind: 'node-info', runId: 'r', nodeId: 'cpt', engine: 'tiny' },
      { kind: 'node-phase', runId: 'r', nodeId: 'cpt', phase: 'succeeded', at },
    ];
    for (const e of events) ingestRunEvent(e);
    expect(appStore.getState().runView.cpt.phase).toBe('running');
    flushRunEvents();
    const state = appStore.getState();
    expect(state.runView.cpt).toMatchObject({ phase: 'succeeded', engine: 'tiny', loss: [4, 3] });
    expect(state.runView.sft).toBe(sftBefore);
    expect(state.series.cpt.map((r) => r.step)).toEqual([5, 10]);
  });

  it('log lines go to the log views of that node, not through the store', () => {
    fakeBackend([]);
    const got: number[] = [];
    const unsubscribe = subscribeLog('r', 'cpt', (lines) => got.push(...lines.map((l) => l.seq)));
    const before = appStore.getState();
    ingestRunEvent({ kind: 'log', runId: 'r', nodeId: 'cpt', lines: [{ seq: 1, ts: at, text: 'a' }, { seq: 2, ts: at, text: 'b' }] });
    ingestRunEvent({ kind: 'log', runId: 'r', nodeId: 'sft', lines: [{ seq: 1, ts: at, text: 'c' }] });
    flushRunEvents();
    unsubscribe();
    expect(got).toEqual([1, 2]);
    expect(appStore.getState().runs).toBe(before.runs);
  });

  it('a new, unsaved pipeline shows no earlier run that shares its name, only one started from it', async () => {
    fakeBackend([summary('earlier', 'smoke', at, { cpt: { phase: 'succeeded' } })]);
    loadPipeline('smoke', null);
    stop = startRunSync();
    await settle();
    expect(shownRunId(appStore.getState())).toBeNull();
    expect(appStore.getState().runView).toEqual({});
    appStore.getState().pinRun('earlier');
    expect(appStore.getState().runView.cpt.phase).toBe('succeeded');
  });

  it('a pinned run of another pipeline lets go when a document is opened; its nodes leave the canvas', async () => {
    fakeBackend([summary('a', 'smoke', at, { cpt: { phase: 'running' } })]);
    loadPipeline('smoke');
    stop = startRunSync();
    await settle();
    appStore.getState().pinRun('a');
    expect(appStore.getState().runView.cpt).toBeDefined();
    loadPipeline('something-else');
    const state = appStore.getState();
    expect(state.pinnedRunId).toBeNull();
    expect(shownRunId(state)).toBeNull();
    expect(state.runView).toEqual({});
  });

  it('a run started elsewhere (the CLI) shows up from its events and is completed from the list', async () => {
    const backend = fakeBackend([]);
    loadPipeline('smoke');
    stop = startRunSync();
    await settle();
    backend.runs.push(summary('cli', 'smoke', at, { cpt: { phase: 'pending' } }));
    ingestRunEvent({ kind: 'node-phase', runId: 'cli', nodeId: 'cpt', phase: 'running', at });
    flushRunEvents();
    expect(appStore.getState().stubRunIds).toEqual({ cli: true });
    await new Promise((r) => setTimeout(r, 350));
    await settle();
    const state = appStore.getState();
    expect(state.stubRunIds).toEqual({});
    expect(state.runs.cli).toMatchObject({ pipelineName: 'smoke', nodes: { cpt: { phase: 'running' } } });
    expect(shownRunId(state)).toBe('cli');
    expect(state.runView.cpt.phase).toBe('running');
  });
});
