/**
 * The estimate inside the validation pass: computed for every validated document (cards, inspector and
 * run dialog read it from the store), its problems added to the validator's, and the back end asked for
 * local model configs and dataset sizes whenever the document names other local paths.
 */
import { catalog } from '../../node-catalog/index.ts';
import { DEFAULT_SETTINGS } from '../../shared/api/settings.ts';
import { contextFrom, estimateInputsNeeded } from '../../shared/estimate/context.ts';
import { estimatePipeline } from '../../shared/estimate/pipeline.ts';
import { estimateProblems } from '../../shared/estimate/problems.ts';
import { preprocessCountsFromRuns } from '../../shared/estimate/runs.ts';
import type { PipelineDocument, Problem } from '../../shared/pipeline/types.ts';
import { api } from '../api/client.ts';
import { appStore } from '../store/index.ts';
import type { AppState } from '../store/types.ts';

let requestedKey: string | null = null;

/** Asks the back end for what `doc`'s local paths hold, once per distinct set of paths. */
function requestInputs(doc: PipelineDocument, state: AppState): void {
  const request = estimateInputsNeeded(doc, catalog, state.filePath);
  const key = JSON.stringify(request);
  if (key === requestedKey || key === state.estimateInputs?.key) return;
  requestedKey = key;
  if (request.modelPaths.length === 0 && request.datasetUris.length === 0) {
    state.setEstimateInputs(key, { modelConfigs: {}, datasetBytes: {} });
    return;
  }
  api.readEstimateInputs(request).then(
    (inputs) => appStore.getState().setEstimateInputs(key, inputs),
    (error: unknown) => {
      // Unreadable as a whole (no back end): every local path then counts as unreadable, and the warnings say so.
      const why = error instanceof Error ? error.message : String(error);
      appStore.getState().setEstimateInputs(key, {
        modelConfigs: Object.fromEntries(request.modelPaths.map((p) => [p, { error: why }])),
        datasetBytes: Object.fromEntries(request.datasetUris.map((u) => [u, null])),
      });
    },
  );
}

/** The estimate of `doc` (stored), and its problems when the document has no structural errors. */
export function estimateDocument(doc: PipelineDocument, structural: readonly Problem[]): Problem[] {
  const state = appStore.getState();
  requestInputs(doc, state);
  const ctx = contextFrom({
    inputs: state.estimateInputs?.inputs,
    settings: state.estimateSettings ?? DEFAULT_SETTINGS,
    runs: Object.values(state.runs),
    pipelineName: doc.name,
  });
  try {
    const estimate = estimatePipeline(doc, catalog, ctx);
    state.setEstimate(estimate, ctx);
    return structural.some((p) => p.severity === 'error') ? [] : estimateProblems(doc, catalog, ctx, estimate);
  } catch (error) {
    state.setEstimate(null, null);
    return [{ severity: 'warning', code: 'estimate-failed', message: `The GPU memory and time estimate failed: ${String(error)}`, location: {} }];
  }
}

let countsRuns: AppState['runs'] | null = null;
let countsName = '';
let countsKey = '';

/** What preprocess counted in earlier runs of the pipeline, as a string (the estimate changes when it does). */
function preprocessKey(state: AppState): string {
  if (state.runs !== countsRuns || state.doc.name !== countsName) {
    countsRuns = state.runs;
    countsName = state.doc.name;
    countsKey = JSON.stringify(preprocessCountsFromRuns(Object.values(state.runs), state.doc.name));
  }
  return countsKey;
}

/** Whether something the estimate reads besides the document changed: settings, local files, preprocess counts. */
export function estimateSourcesChanged(state: AppState, previous: AppState): boolean {
  if (state.estimateSettings !== previous.estimateSettings || state.estimateInputs !== previous.estimateInputs || state.filePath !== previous.filePath) return true;
  if (state.runs === previous.runs) return false;
  const before = countsKey;
  return preprocessKey(state) !== before;
}
