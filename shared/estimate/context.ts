/** From a document to the file-system questions it raises, and from the answers (and settings, runs) to an EstimateContext. */
import type { EstimateInputs, EstimateInputsRequest } from '../api/estimate.ts';
import type { Settings } from '../api/settings.ts';
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import type { RunSummary } from '../runs/types.ts';
import { isLocalModelPath } from './models.ts';
import { makeScope, paramsOf, workKind } from './nodeWork.ts';
import { preprocessCountsFromRuns } from './runs.ts';
import type { EstimateContext } from './types.ts';

const LOCAL_URI = /^(\/|\.\.?[\\/]|~\/|[A-Za-z]:[\\/]|file:\/\/)/;

/** Local base models and local dataset URIs of `doc` (what readEstimateInputs should read). */
export function estimateInputsNeeded(doc: PipelineDocument, catalog: NodeCatalog, documentPath: string | null = null): EstimateInputsRequest {
  const scope = makeScope(doc, catalog, {});
  const modelPaths = new Set<string>();
  const datasetUris = new Set<string>();
  for (const node of doc.nodes) {
    const spec = catalog.get(node.type);
    if (!spec) continue;
    const params = paramsOf(scope, node);
    if (workKind(spec) === 'training' && typeof params.base_model === 'string' && isLocalModelPath(params.base_model)) modelPaths.add(params.base_model.trim());
    if (spec.importer && typeof params.uri === 'string' && LOCAL_URI.test(params.uri.trim())) datasetUris.add(params.uri.trim());
  }
  return { documentPath, modelPaths: [...modelPaths].sort(), datasetUris: [...datasetUris].sort() };
}

export interface ContextSources {
  inputs?: EstimateInputs;
  settings?: Pick<Settings, 'defaultGpuProduct' | 'gpuPrices'>;
  runs?: readonly RunSummary[];
  pipelineName?: string;
  gpuProductOverride?: string;
}

/** The EstimateContext for what was read: a model path the inputs do not answer counts as unreadable. */
export function contextFrom(sources: ContextSources): EstimateContext {
  const { inputs, settings, runs } = sources;
  const ctx: EstimateContext = {
    readModelConfig: (path) => {
      const found = inputs?.modelConfigs[path.trim()];
      if (found && 'error' in found) throw new Error(found.error);
      return found && 'config' in found ? found.config : undefined;
    },
    datasetBytes: (uri) => inputs?.datasetBytes[uri.trim()] ?? undefined,
  };
  if (settings?.defaultGpuProduct) ctx.defaultGpuProduct = settings.defaultGpuProduct;
  if (settings?.gpuPrices) ctx.prices = settings.gpuPrices;
  if (runs && sources.pipelineName) ctx.preprocessCounts = preprocessCountsFromRuns(runs, sources.pipelineName);
  if (sources.gpuProductOverride) ctx.gpuProductOverride = sources.gpuProductOverride;
  return ctx;
}
