/** Runs the renderer knows (history and live), the run shown on the canvas, and the run panel's size. */
import type { StateCreator } from 'zustand';
import type { RunSummary } from '../../shared/runs/types.ts';
import type { AppState } from '../store/types.ts';
import type { RunConnection, RunsData } from './runFolding.ts';
import { latestRunId } from './runFolding.ts';

export interface RunsSlice extends RunsData {
  /** Whether the history has been read once. */
  runsLoaded: boolean;
  /** The run the user opened; null: the latest run of the open pipeline. */
  pinnedRunId: string | null;
  /** The node whose log and charts the panel shows when none is selected on the canvas. */
  panelNodeId: string | null;
  /** Bottom panel height in px; null: the stylesheet's default. */
  panelHeight: number | null;
  setRunsData(data: Partial<RunsData>, loaded?: boolean): void;
  pinRun(runId: string | null): void;
  setPanelNode(nodeId: string | null): void;
  setPanelHeight(height: number | null): void;
}

export type { RunConnection };

export const createRunsSlice: StateCreator<AppState, [], [], RunsSlice> = (set) => ({
  runs: {},
  stubRunIds: {},
  connections: {},
  series: {},
  seriesRunId: null,
  runsLoaded: false,
  pinnedRunId: null,
  panelNodeId: null,
  panelHeight: null,
  setRunsData: (data, loaded) => set({ ...data, ...(loaded ? { runsLoaded: true } : {}) }),
  pinRun: (pinnedRunId) => set({ pinnedRunId }),
  setPanelNode: (panelNodeId) => set({ panelNodeId }),
  setPanelHeight: (panelHeight) => set({ panelHeight }),
});

/** The run on the canvas and in the panel: the pinned one, else the open pipeline's latest. */
export function shownRunId(state: Pick<AppState, 'pinnedRunId' | 'runs' | 'doc'>): string | null {
  if (state.pinnedRunId && state.runs[state.pinnedRunId]) return state.pinnedRunId;
  return latestRunId(state.runs, state.doc.name);
}

export function shownRun(state: Pick<AppState, 'pinnedRunId' | 'runs' | 'doc'>): RunSummary | undefined {
  const id = shownRunId(state);
  return id ? state.runs[id] : undefined;
}
