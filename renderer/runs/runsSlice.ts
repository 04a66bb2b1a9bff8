/** Runs the renderer knows (history and live), the run shown on the canvas, and the run panel's size. */
import type { StateCreator } from 'zustand';
import type { RunSummary } from '../../shared/runs/types.ts';
import type { AppState } from '../store/types.ts';
import type { RunConnection, RunsData } from './runFolding.ts';
import { latestRunId } from './runFolding.ts';

export interface RunsSlice extends RunsData {
  /** Whether the history has been read once. */
  runsLoaded: boolean;
  /** The run the user opened or started; null: the latest run of the open (saved) pipeline. */
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

type ShownRunState = Pick<AppState, 'pinnedRunId' | 'runs' | 'doc' | 'filePath'>;

/**
 * The run on the canvas and in the panel: the one pinned (opened, or started from here), else a saved
 * pipeline's latest run. A new, unsaved document shows no earlier run that merely shares its name.
 */
export function shownRunId(state: ShownRunState): string | null {
  if (state.pinnedRunId && state.runs[state.pinnedRunId]) return state.pinnedRunId;
  return state.filePath ? latestRunId(state.runs, state.doc.name) : null;
}

export function shownRun(state: ShownRunState): RunSummary | undefined {
  const id = shownRunId(state);
  return id ? state.runs[id] : undefined;
}
