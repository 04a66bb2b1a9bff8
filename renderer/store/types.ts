import type { EstimateSlice } from '../estimate/estimateSlice.ts';
import type { RunsSlice } from '../runs/runsSlice.ts';
import type { BackendSlice } from '../shell/backendSlice.ts';
import type { LayoutSlice } from '../shell/layoutSlice.ts';
import type { DocumentSlice } from './documentSlice.ts';
import type { RunViewSlice } from './runViewSlice.ts';
import type { SelectionSlice } from './selectionSlice.ts';
import type { UiSlice } from './uiSlice.ts';
import type { ValidationSlice } from './validationSlice.ts';

/** The one app store: one slice per concern. */
export type AppState = DocumentSlice & SelectionSlice & UiSlice & ValidationSlice & RunViewSlice & RunsSlice & BackendSlice & EstimateSlice & LayoutSlice;
