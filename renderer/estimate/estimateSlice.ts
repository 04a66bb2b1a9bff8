/** The open document's GPU memory, time and cost estimate (shared/estimate), and what it is computed from. */
import type { StateCreator } from 'zustand';
import type { EstimateInputs } from '../../shared/api/estimate.ts';
import type { Settings } from '../../shared/api/settings.ts';
import type { EstimateContext, NodeEstimate, PipelineEstimate } from '../../shared/estimate/types.ts';
import type { AppState } from '../store/types.ts';

export type EstimateSettings = Pick<Settings, 'defaultGpuProduct' | 'gpuPrices'>;

export interface EstimateSlice {
  /** The estimate of the document as last validated; null before the first pass. */
  estimate: PipelineEstimate | null;
  /** The same nodes by id (cards subscribe to their own). */
  estimateById: Record<string, NodeEstimate>;
  /** The context it was computed in (the inspector re-runs it for fit suggestions). */
  estimateContext: EstimateContext | null;
  /** Default GPU product and prices from Settings; null until read. */
  estimateSettings: EstimateSettings | null;
  /** Local model configs and dataset sizes the back end read, and the request they answer (as JSON). */
  estimateInputs: { key: string; inputs: EstimateInputs } | null;
  setEstimate(estimate: PipelineEstimate | null, context: EstimateContext | null): void;
  setEstimateSettings(settings: EstimateSettings): void;
  setEstimateInputs(key: string, inputs: EstimateInputs): void;
}

export const createEstimateSlice: StateCreator<AppState, [], [], EstimateSlice> = (set) => ({
  estimate: null,
  estimateById: {},
  estimateContext: null,
  estimateSettings: null,
  estimateInputs: null,
  setEstimate: (estimate, estimateContext) =>
    set({ estimate, estimateContext, estimateById: Object.fromEntries((estimate?.nodes ?? []).map((n) => [n.id, n])) }),
  setEstimateSettings: (estimateSettings) => set({ estimateSettings }),
  setEstimateInputs: (key, inputs) => set({ estimateInputs: { key, inputs } }),
});
