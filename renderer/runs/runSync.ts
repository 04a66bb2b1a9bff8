/**
 * Keeps the store's runs in step with the back end: the history read at start, live events folded in
 * batches (one store update per FLUSH_MS), and the canvas's per-node view of the shown run.
 */
import type { RunEvent, RunSummary } from '../../shared/runs/types.ts';
import { api } from '../api/client.ts';
import { appStore } from '../store/index.ts';
import type { AppState } from '../store/types.ts';
import { publishLog } from './logBus.ts';
import type { RunsData } from './runFolding.ts';
import { foldRunEvents, mergeRunList, mergeSeries, mergeStub, runViewOf } from './runFolding.ts';
import { shownRunId } from './runsSlice.ts';

/** Events are folded at most this often: cards and charts redraw once per batch. */
export const FLUSH_MS = 50;

const queue: RunEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;
let listTimer: ReturnType<typeof setTimeout> | null = null;

function dataOf(state: AppState): RunsData {
  return { runs: state.runs, stubRunIds: state.stubRunIds, connections: state.connections, series: state.series, seriesRunId: state.seriesRunId };
}

export function ingestRunEvent(event: RunEvent): void {
  if (event.kind === 'log') {
    publishLog(event);
    return;
  }
  queue.push(event);
  timer ??= setTimeout(flushRunEvents, FLUSH_MS);
}

export function flushRunEvents(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  if (queue.length === 0) return;
  const events = queue.splice(0);
  const before = appStore.getState();
  const { data, touchedNodes } = foldRunEvents(dataOf(before), events);
  appStore.setState(data);
  const after = appStore.getState();
  const id = shownRunId(after);
  if (id !== after.seriesRunId) refreshShownRun();
  else if (id && touchedNodes.size > 0) appStore.setState({ runView: runViewOf(after.runs[id], after.series, after.runView, touchedNodes) });
  if (Object.keys(data.stubRunIds).length > 0) scheduleListRefresh();
}

function scheduleListRefresh(): void {
  listTimer ??= setTimeout(() => {
    listTimer = null;
    void loadRuns();
  }, 300);
}

/** Reads the run history and merges it with what events have said. */
export async function loadRuns(): Promise<void> {
  const list = await api.listRuns();
  const state = appStore.getState();
  state.setRunsData(mergeRunList(dataOf(state), list), true);
  refreshShownRun();
}

/** A run the back end just returned (start, retry): known at once, before its events arrive. */
export function upsertRun(summary: RunSummary): void {
  const state = appStore.getState();
  const local = state.runs[summary.id];
  const run = local && state.stubRunIds[summary.id] ? mergeStub(summary, local) : summary;
  const { [summary.id]: _stub, ...stubRunIds } = state.stubRunIds;
  state.setRunsData({ runs: { ...state.runs, [summary.id]: run }, stubRunIds });
}

export function forgetRun(runId: string): void {
  const state = appStore.getState();
  const { [runId]: _gone, ...runs } = state.runs;
  state.setRunsData({ runs });
  if (state.pinnedRunId === runId) state.pinRun(null);
  refreshShownRun();
}

/** The canvas shows the shown run's nodes; its metric series are read from disk when it changes. */
export function refreshShownRun(): void {
  const state = appStore.getState();
  const id = shownRunId(state);
  const run = id ? state.runs[id] : undefined;
  if (id !== state.seriesRunId) {
    appStore.setState({ seriesRunId: id, series: {}, runView: runViewOf(run, {}, {}) });
    if (run) void readSeries(run);
    return;
  }
  appStore.setState({ runView: runViewOf(run, state.series, {}) });
}

async function readSeries(run: RunSummary): Promise<void> {
  const ids = Object.keys(run.nodes);
  const disk = await Promise.all(ids.map((nodeId) => api.readMetrics(run.id, nodeId).catch(() => [])));
  const state = appStore.getState();
  if (state.seriesRunId !== run.id) return;
  const series = { ...state.series };
  ids.forEach((nodeId, i) => {
    const merged = mergeSeries(disk[i], state.series[nodeId]);
    if (merged.length > 0) series[nodeId] = merged;
  });
  appStore.setState({ series, runView: runViewOf(state.runs[run.id], series, {}) });
}

/** Follows document loads and renames: a new pipeline shows its own latest run. Returns the stop function. */
export function startRunSync(): () => void {
  const stop = appStore.subscribe((state, prev) => {
    if (state.loadId !== prev.loadId || state.doc.name !== prev.doc.name) {
      const pinned = state.pinnedRunId ? state.runs[state.pinnedRunId] : undefined;
      if (pinned && pinned.pipelineName !== state.doc.name) state.pinRun(null);
      refreshShownRun();
    } else if (state.pinnedRunId !== prev.pinnedRunId || state.filePath !== prev.filePath) {
      refreshShownRun();
    }
  });
  loadRuns().catch(() => undefined);
  return () => {
    stop();
    if (timer) clearTimeout(timer);
    if (listTimer) clearTimeout(listTimer);
    timer = null;
    listTimer = null;
    queue.length = 0;
  };
}
