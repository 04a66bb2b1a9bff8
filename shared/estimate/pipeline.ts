/**
 * estimatePipeline: for every node that trains or runs inference on GPUs, the peak memory per GPU,
 * whether it fits its GPU product, the tokens it processes, hours, GPU-hours and cost; for the
 * pipeline, the critical path's hours and the summed GPU-hours and cost. Pure: files and settings
 * come in through the EstimateContext.
 */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import { resolveNode } from '../pipeline/resolve.ts';
import type { PipelineDocument, PipelineNode } from '../pipeline/types.ts';
import { GIB, gpuProduct, productMemoryGiB } from './gpus.ts';
import { inferenceMemory, NF4_BYTES_PER_PARAM, trainingMemory, type TrainingSetup } from './memory.ts';
import {
  CHOICES_PER_QUESTION, datasetSize, DEFAULT_PROMPT_TOKENS, FEWSHOT_EXAMPLE_TOKENS, inferenceSetup, makeScope, num, paramsOf, trainingSetup, workKind, type Scope,
} from './nodeWork.ts';
import { blockLinearParams, otherParams } from './shapes.ts';
import { allReduceSeconds, decodeStepSeconds, forwardSeconds, tokensPerSecond } from './throughput.ts';
import type { EstimateContext, GpuProduct, MemoryEstimate, ModelShape, NodeEstimate, PipelineEstimate, Verdict } from './types.ts';

/** Pod start, image and library imports, tokenizing: a fixed allowance per step. */
export const STARTUP_SECONDS = 120;
/** Model download and load speed (hub or object store to GPU). */
export const LOAD_BYTES_PER_SECOND = 0.5e9;
/** Under this share of the GPU's memory left free, a node is `tight`. */
export const TIGHT_HEADROOM = 0.1;

export function verdictFor(bytes: number, product: GpuProduct): Verdict {
  const capacity = productMemoryGiB(product) * GIB;
  if (bytes > capacity) return 'no-fit';
  return bytes > capacity * (1 - TIGHT_HEADROOM) ? 'tight' : 'fits';
}

function checkpointBytes(shape: ModelShape): number {
  const linear = blockLinearParams(shape) * (shape.prequantized4bit ? NF4_BYTES_PER_PARAM : 2);
  return linear + (otherParams(shape) + shape.extraParams) * 2;
}

/** The product a node is judged against: the override, its own gpuProduct, or the default. */
export function productLabelFor(node: PipelineNode, ctx: EstimateContext): string | undefined {
  const own = typeof node.resources?.gpuProduct === 'string' && node.resources.gpuProduct.trim() !== '' ? node.resources.gpuProduct.trim() : undefined;
  return ctx.gpuProductOverride ?? own ?? (ctx.defaultGpuProduct || undefined);
}

interface Work {
  memory: MemoryEstimate;
  model: string;
  /** Seconds and tokens, when the amount of work is known. */
  seconds?: (product: GpuProduct) => number;
  tokens?: number;
  tokensSource?: NodeEstimate['tokensSource'];
  tokensUnknown?: string;
}

function trainingWork(scope: Scope, node: PipelineNode, setup: TrainingSetup, gpus: number): Work {
  const p = paramsOf(scope, node);
  const memory = trainingMemory(setup);
  const accum = num(p.gradient_accumulation_steps, 1);
  const maxSteps = num(p.max_steps, 0);
  const epochs = num(p.num_epochs, 1);
  // Types that format chat examples (a chat_template) train example by example; others pack text into full sequences.
  const packs = !('chat_template' in p);
  const data = maxSteps > 0 ? undefined : datasetSize(scope, node);
  const work: Work = { memory, model: setup.shape.name };
  if (data && !data.ok) return { ...work, tokensUnknown: data.reason };
  const size = data?.ok ? data.value : undefined;
  const average = size?.examples ? size.tokens / size.examples : setup.seq;
  const seq = packs ? setup.seq : Math.max(16, Math.min(setup.seq, Math.round(average)));
  const perStep = seq * setup.batch * gpus * accum;
  const perEpoch = size ? (packs ? Math.max(1, Math.floor(size.tokens / seq)) * seq : Math.min(size.tokens, (size.examples ?? Infinity) * seq)) : 0;
  const tokens = maxSteps > 0 ? maxSteps * perStep : epochs * perEpoch;
  const optimizerSteps = maxSteps > 0 ? maxSteps : epochs * Math.ceil(perEpoch / perStep);
  const speedSetup = { ...setup, seq };
  const load = checkpointBytes(setup.shape) / LOAD_BYTES_PER_SECOND;
  return {
    ...work,
    tokens,
    tokensSource: size?.source ?? 'params',
    seconds: (product) => STARTUP_SECONDS + load + tokens / (gpus * tokensPerSecond(speedSetup, product)) + optimizerSteps * allReduceSeconds(setup, product, gpus),
  };
}

function inferenceWork(scope: Scope, node: PipelineNode, gpus: number): Work | { unknown: string } {
  const p = paramsOf(scope, node);
  const data = scope.catalog.get(node.type)?.inputs.some((i) => i.kind === 'dataset') ? datasetSize(scope, node) : undefined;
  const size = data?.ok ? data.value : undefined;
  const prompt = size?.examples ? Math.max(16, Math.round(size.tokens / size.examples)) : DEFAULT_PROMPT_TOKENS + num(p.num_fewshot, 0) * FEWSHOT_EXAMPLE_TOKENS;
  const setup = inferenceSetup(scope, node, prompt);
  if (!setup.ok) return { unknown: setup.reason };
  const s = setup.value;
  const full = inferenceMemory(s);
  // device_map="auto" spreads the layers over the node's GPUs; the busiest one holds its share plus the logits.
  const memory = gpus > 1 ? spreadWeights(full, gpus) : full;
  // max_samples 0 means every row of the benchmark, whose size is not known before the data is read.
  const limit = num(p.max_samples, 100);
  const samples = Math.min(limit > 0 ? limit : Infinity, size?.examples ?? Infinity);
  const work: Work = { memory, model: s.shape.name };
  if (!Number.isFinite(samples)) return { ...work, tokensUnknown: 'max_samples 0 scores every row, and the benchmarks\' sizes are unknown before they are read: set max_samples' };
  const tasks = (Array.isArray(p.benchmarks) ? Math.max(1, p.benchmarks.length) : 1) * (p.baseline === true ? 2 : 1);
  const questions = samples * tasks;
  // Generation: a scoring pass and a prefill per question, then one decoding step per new token. Scoring: one forward per batch of questions.
  const perBatch = s.newTokens > 0 ? 1 : Math.max(1, s.batch / CHOICES_PER_QUESTION);
  const forwards = s.newTokens > 0 ? 2 * questions : Math.ceil(questions / perBatch);
  const rows = s.newTokens > 0 ? 1 : s.batch;
  const load = checkpointBytes(s.shape) / LOAD_BYTES_PER_SECOND;
  return {
    ...work,
    tokens: forwards * rows * prompt + questions * s.newTokens,
    tokensSource: size?.source ?? 'params',
    seconds: (product) => STARTUP_SECONDS + load + forwards * forwardSeconds(s.shape, rows * prompt, prompt, product) + questions * s.newTokens * decodeStepSeconds(s, product),
  };
}

function spreadWeights(m: MemoryEstimate, gpus: number): MemoryEstimate {
  const terms = m.terms.map((t) => (t.key === 'weights' || t.key === 'adapter' ? { ...t, bytes: t.bytes / gpus } : t));
  return { terms, totalBytes: terms.reduce((sum, t) => sum + t.bytes, 0) };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The estimate of one node within a prepared scope (suggestions re-run it with changed parameters). */
export function estimateNodeIn(scope: Scope, node: PipelineNode): NodeEstimate | undefined {
  const spec = scope.catalog.get(node.type);
  const kind = spec && workKind(spec);
  const gpus = resolveNode(node, scope.catalog)?.resources.gpus ?? 0;
  if (!spec || !kind || !(gpus > 0)) return undefined;
  const label = productLabelFor(node, scope.ctx);
  const product = label === undefined ? undefined : gpuProduct(label);
  const base: NodeEstimate = {
    id: node.id, kind, gpus, gpuMemoryGiB: null, gpuProduct: label ?? null, gpuProductMemoryGiB: product ? round(productMemoryGiB(product), 1) : null,
    verdict: null, tokens: null, hours: null, gpuHours: null, cost: null,
  };
  let work: Work | { unknown: string };
  if (kind === 'training') {
    const setup = trainingSetup(scope, node);
    if (setup.ok && setup.value.engineName === 'tiny') return undefined;
    work = setup.ok ? trainingWork(scope, node, setup.value, gpus) : { unknown: setup.reason };
  } else work = inferenceWork(scope, node, gpus);
  if ('unknown' in work) return { ...base, unknown: work.unknown };
  const out: NodeEstimate = { ...base, model: work.model, memory: work.memory, gpuMemoryGiB: round(work.memory.totalBytes / GIB, 2) };
  if (product) out.verdict = verdictFor(work.memory.totalBytes, product);
  if (work.tokensUnknown) out.tokensUnknown = work.tokensUnknown;
  if (work.tokens !== undefined) {
    out.tokens = Math.round(work.tokens);
    out.tokensSource = work.tokensSource;
  }
  if (work.seconds && product) {
    const hours = work.seconds(product) / 3600;
    out.hours = round(hours, 3);
    out.gpuHours = round(hours * gpus, 3);
    out.cost = round(hours * gpus * (scope.ctx.prices?.[product.label] ?? scope.ctx.prices?.[label!] ?? product.priceUsd), 2);
  }
  return out;
}

/** Longest path through the graph, weighting each node by its hours (unknown and CPU-only nodes weigh nothing). */
function criticalPath(doc: PipelineDocument, hours: ReadonlyMap<string, number>): { hours: number; path: string[] } {
  const ids = doc.nodes.map((n) => n.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const next: number[][] = ids.map(() => []);
  const indegree = ids.map(() => 0);
  for (const e of doc.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) continue;
    next[s].push(t);
    indegree[t] += 1;
  }
  const finish = ids.map((id) => hours.get(id) ?? 0);
  const previous = ids.map(() => -1);
  const queue = ids.flatMap((_, i) => (indegree[i] === 0 ? [i] : []));
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q];
    for (const t of next[i]) {
      const candidate = finish[i] + (hours.get(ids[t]) ?? 0);
      if (candidate > finish[t] || (previous[t] === -1 && candidate >= finish[t])) {
        finish[t] = candidate;
        previous[t] = i;
      }
      if (--indegree[t] === 0) queue.push(t);
    }
  }
  let end = -1;
  finish.forEach((f, i) => (end === -1 || f > finish[end] ? (end = i) : undefined));
  const path: string[] = [];
  for (let i = end; i !== -1; i = previous[i]) path.unshift(ids[i]);
  return { hours: end === -1 ? 0 : finish[end], path: path.filter((id) => (hours.get(id) ?? 0) > 0) };
}

export function estimatePipeline(doc: PipelineDocument, catalog: NodeCatalog, ctx: EstimateContext = {}): PipelineEstimate {
  const scope = makeScope(doc, catalog, ctx);
  const nodes = doc.nodes.flatMap((n) => estimateNodeIn(scope, n) ?? []);
  const hours = new Map(nodes.flatMap((n) => (n.hours === null ? [] : [[n.id, n.hours] as const])));
  const complete = nodes.every((n) => n.hours !== null);
  const path = criticalPath(doc, hours);
  const sum = (pick: (n: NodeEstimate) => number | null, digits: number) => (complete && nodes.every((n) => pick(n) !== null) ? round(nodes.reduce((s, n) => s + pick(n)!, 0), digits) : null);
  return {
    nodes,
    total: { hours: complete ? round(path.hours, 3) : null, gpuHours: sum((n) => n.gpuHours, 3), cost: sum((n) => n.cost, 2) },
    criticalPath: path.path,
  };
}
