/**
 * Which knob would make a node fit its GPU: the estimate is run again with each one changed (4-bit
 * loading, gradient checkpointing, a smaller per-device batch with more accumulation so the
 * effective batch stays, shorter sequences, a larger GPU), and only changes that fit are offered:
 * for a node that does not fit, changes after which it fits or is tight; for a tight one, changes
 * that leave the headroom.
 */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument, PipelineNode } from '../pipeline/types.ts';
import { GPU_PRODUCTS } from './gpus.ts';
import { makeScope, num, paramsOf, trainingSetup, type Scope } from './nodeWork.ts';
import { estimateNodeIn, productLabelFor } from './pipeline.ts';
import type { EstimateContext, FitSuggestion, NodeEstimate, Verdict } from './types.ts';

type Accept = (verdict: Verdict) => boolean;

const MIN_SEQUENCE = 256;

/** from/2, from/4, ... down to min (whole numbers). */
function halvings(from: number, min: number): number[] {
  const out: number[] = [];
  for (let v = Math.floor(from / 2); v >= min; v = Math.floor(v / 2)) out.push(v);
  return out;
}

function first<T, R>(items: readonly T[], pick: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const found = pick(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

function withParams(node: PipelineNode, params: Record<string, number | boolean>): PipelineNode {
  return { ...node, params: { ...node.params, ...params } };
}

function tryParams(scope: Scope, node: PipelineNode, accept: Accept, kind: FitSuggestion['kind'], params: Record<string, number | boolean>): FitSuggestion | undefined {
  const e = estimateNodeIn(scope, withParams(node, params));
  return e && e.verdict !== null && accept(e.verdict) && e.gpuMemoryGiB !== null ? { kind, params, gpuMemoryGiB: e.gpuMemoryGiB } : undefined;
}

/** The cheapest product in the table (at its list price) that fits with headroom, else the cheapest that fits at all. */
function largerProduct(scope: Scope, node: PipelineNode, current: NodeEstimate, accept: Accept): FitSuggestion | undefined {
  const byPrice = [...GPU_PRODUCTS].sort((a, b) => a.priceUsd - b.priceUsd || a.memoryMiB - b.memoryMiB);
  const verdicts = byPrice.flatMap((product) => {
    if (product.label === current.gpuProduct || product.memoryMiB / 1024 < (current.gpuMemoryGiB ?? Infinity)) return [];
    const e = estimateNodeIn({ ...scope, ctx: { ...scope.ctx, gpuProductOverride: product.label } }, node);
    return e?.verdict && accept(e.verdict) && e.gpuMemoryGiB !== null ? [{ product, verdict: e.verdict, gib: e.gpuMemoryGiB }] : [];
  });
  const best = verdicts.find((v) => v.verdict === 'fits') ?? verdicts[0];
  return best && { kind: 'product', params: {}, gpuProduct: best.product.label, gpuMemoryGiB: best.gib };
}

/** Changes that make `nodeId` fit, each with the memory it would then need; empty when it fits or cannot be judged. */
export function fitSuggestions(doc: PipelineDocument, catalog: NodeCatalog, ctx: EstimateContext, nodeId: string): FitSuggestion[] {
  const scope = makeScope(doc, catalog, ctx);
  const node = scope.byId.get(nodeId);
  const current = node && estimateNodeIn(scope, node);
  if (!node || !current || (current.verdict !== 'no-fit' && current.verdict !== 'tight') || !productLabelFor(node, ctx)) return [];
  const accept: Accept = current.verdict === 'no-fit' ? (v) => v !== 'no-fit' : (v) => v === 'fits';
  const out: FitSuggestion[] = [];
  const add = (s: FitSuggestion | undefined) => s && out.push(s);
  const setup = current.kind === 'training' ? trainingSetup(scope, node) : undefined;
  if (setup?.ok) {
    const s = setup.value;
    const p = paramsOf(scope, node);
    const accum = num(p.gradient_accumulation_steps, 1);
    if (!s.fourBit) add(tryParams(scope, node, accept, 'load_in_4bit', { load_in_4bit: true }));
    if (!s.gradientCheckpointing) add(tryParams(scope, node, accept, 'gradient_checkpointing', { gradient_checkpointing: true }));
    add(first(halvings(s.batch, 1), (batch) => tryParams(scope, node, accept, 'batch', { per_device_train_batch_size: batch, gradient_accumulation_steps: Math.ceil((accum * s.batch) / batch) })));
    add(first(halvings(s.seq, MIN_SEQUENCE), (seq) => tryParams(scope, node, accept, 'sequence', { max_seq_length: seq })));
  }
  const batchSize = current.kind === 'inference' ? paramsOf(scope, node).batch_size : undefined;
  // A benchmark scores batch_size questions (each a row per choice) per forward pass: fewer at once, less memory.
  if (typeof batchSize === 'number') add(first(halvings(batchSize, 1), (batch) => tryParams(scope, node, accept, 'batch', { batch_size: batch })));
  add(largerProduct(scope, node, current, accept));
  return out;
}
