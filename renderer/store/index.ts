/** The app store (zustand): slices combined once; components read it through selector hooks. */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { createRunsSlice } from '../runs/runsSlice.ts';
import { createEstimateSlice } from '../estimate/estimateSlice.ts';
import { createBackendSlice } from '../shell/backendSlice.ts';
import { createLayoutSlice } from '../shell/layoutSlice.ts';
import { createDocumentSlice } from './documentSlice.ts';
import { createRunViewSlice } from './runViewSlice.ts';
import { createSelectionSlice } from './selectionSlice.ts';
import type { AppState } from './types.ts';
import { createUiSlice } from './uiSlice.ts';
import { createValidationSlice } from './validationSlice.ts';

export type { AppState } from './types.ts';

export const appStore = createStore<AppState>()((...a) => ({
  ...createDocumentSlice(...a),
  ...createSelectionSlice(...a),
  ...createUiSlice(...a),
  ...createValidationSlice(...a),
  ...createRunViewSlice(...a),
  ...createRunsSlice(...a),
  ...createBackendSlice(...a),
  ...createEstimateSlice(...a),
  ...createLayoutSlice(...a),
}));

const initialState = appStore.getState();

/** Puts the store back to its first state (tests call this between cases). */
export function resetAppStore(): void {
  appStore.setState(initialState, true);
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
