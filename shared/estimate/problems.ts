/** Validation problems from the estimate: a step that cannot fit its GPU (error), one that barely fits, an unknown model or GPU product (warnings). */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument, Problem } from '../pipeline/types.ts';
import { problem } from '../pipeline/validateCodes.ts';
import { GPU_PRODUCTS } from './gpus.ts';
import { estimatePipeline } from './pipeline.ts';
import { fitSuggestions } from './suggest.ts';
import type { EstimateContext, FitSuggestion, NodeEstimate, PipelineEstimate } from './types.ts';

const gib = (value: number) => `${value.toFixed(1)} GiB`;

/** `load_in_4bit true (38.1 GiB)`, `GPU NVIDIA-H200 (95.3 GiB)`. */
export function describeSuggestion(s: FitSuggestion): string {
  const change = s.kind === 'product' ? `GPU ${s.gpuProduct}` : Object.entries(s.params).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${change} (${gib(s.gpuMemoryGiB)})`;
}

function exceeded(n: NodeEstimate, suggestions: FitSuggestion[]): Problem {
  const fix = suggestions.length > 0
    ? `It fits with: ${suggestions.map(describeSuggestion).join('; ')}.`
    : 'No single change makes it fit: use a larger GPU, a smaller model or fewer tokens per batch.';
  return problem('gpu-memory-exceeded', `Node "${n.id}" needs about ${gib(n.gpuMemoryGiB!)} of GPU memory per GPU (${n.model}), more than the ${gib(n.gpuProductMemoryGiB!)} of a ${n.gpuProduct}: it would stop with CUDA out of memory. ${fix}`, { nodeId: n.id });
}

function tight(n: NodeEstimate): Problem {
  const free = Math.max(0, Math.round((1 - n.gpuMemoryGiB! / n.gpuProductMemoryGiB!) * 100));
  return problem('gpu-memory-tight', `Node "${n.id}" needs about ${gib(n.gpuMemoryGiB!)} of the ${gib(n.gpuProductMemoryGiB!)} on a ${n.gpuProduct} (${free} % free): a longer batch or a memory spike can stop it with CUDA out of memory.`, { nodeId: n.id });
}

/** The estimate's problems for `doc` (pass `estimate` when it is already computed for the same context). */
export function estimateProblems(doc: PipelineDocument, catalog: NodeCatalog, ctx: EstimateContext, estimate: PipelineEstimate = estimatePipeline(doc, catalog, ctx)): Problem[] {
  const problems: Problem[] = [];
  for (const n of estimate.nodes) {
    if (n.unknown && n.kind === 'training') problems.push(problem('model-unknown', `Node "${n.id}": ${n.unknown}; its GPU memory and time are not estimated.`, { nodeId: n.id, param: 'base_model' }));
    if (n.gpuProduct && n.gpuProductMemoryGiB === null) {
      problems.push(problem('gpu-product-unknown', `Node "${n.id}" runs on GPU product "${n.gpuProduct}", which the estimate does not know (known: ${GPU_PRODUCTS.map((p) => p.label).join(', ')}, and their -MIG-<n>g.<m>gb slices); its memory fit and time are not checked.`, { nodeId: n.id, field: 'resources.gpuProduct' }));
    }
    if (n.verdict === 'no-fit') problems.push(exceeded(n, fitSuggestions(doc, catalog, ctx, n.id)));
    else if (n.verdict === 'tight') problems.push(tight(n));
  }
  return problems;
}
