/**
 * What a node asks of a GPU, read from its parameters and the graph. Which nodes count is decided by
 * their ports, not their type names: a node with a dataset input, a model output and a `base_model`
 * parameter trains; one with a model input and a metrics output runs inference (eval, ko-bench and
 * any later benchmark type). The model a node trains or evaluates is traced up the model edges.
 */
import type { NodeCatalog, NodeTypeSpec } from '../pipeline/catalog.ts';
import { resolveNode } from '../pipeline/resolve.ts';
import { parameterDefaults } from '../pipeline/parameters.ts';
import type { PipelineDocument, PipelineEdge, PipelineNode, PipelineParameterValue, PortKind } from '../pipeline/types.ts';
import { lookupModel } from './modelConfig.ts';
import type { Engine, InferenceSetup, TrainingSetup } from './memory.ts';
import { countSampleText, sizeFromBytes, sizeFromChars } from './tokens.ts';
import type { DatasetSize, EstimateContext, ModelShape } from './types.ts';

export type WorkKind = 'training' | 'inference';

export interface Scope {
  doc: PipelineDocument;
  catalog: NodeCatalog;
  ctx: EstimateContext;
  byId: Map<string, PipelineNode>;
  incoming: Map<string, PipelineEdge[]>;
  parameterValues: Readonly<Record<string, PipelineParameterValue>>;
  /** Per node id, the training node at the root of its model chain (undefined: none to follow); filled as found. */
  roots: Map<string, PipelineNode | undefined>;
  /** Per node id, the size of the dataset its output carries; filled as found. */
  sizes: Map<string, Lookup<DatasetSize>>;
}

export function makeScope(doc: PipelineDocument, catalog: NodeCatalog, ctx: EstimateContext): Scope {
  const incoming = new Map<string, PipelineEdge[]>();
  for (const e of doc.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
  const parameterValues = { ...parameterDefaults(doc), ...ctx.parameterValues };
  return { doc, catalog, ctx, byId: new Map(doc.nodes.map((n) => [n.id, n])), incoming, parameterValues, roots: new Map(), sizes: new Map() };
}

export function workKind(spec: NodeTypeSpec): WorkKind | undefined {
  const has = (ports: NodeTypeSpec['inputs'], kind: PortKind) => ports.some((p) => p.kind === kind);
  if (has(spec.inputs, 'dataset') && has(spec.outputs, 'model') && spec.params.some((p) => p.name === 'base_model')) return 'training';
  if (has(spec.inputs, 'model') && has(spec.outputs, 'metrics')) return 'inference';
  return undefined;
}

/** A node's effective parameter values; a param bound to a pipeline parameter takes the run's value or the parameter's default. */
export function paramsOf(scope: Scope, node: PipelineNode): Record<string, unknown> {
  return (resolveNode(node, scope.catalog, scope.parameterValues)?.params as Record<string, unknown> | undefined) ?? {};
}

export const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
export const bool = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The node feeding `node`'s first connected input of this kind. */
export function sourceOf(scope: Scope, node: PipelineNode, kind: PortKind): PipelineNode | undefined {
  const spec = scope.catalog.get(node.type);
  const ports = new Set((spec?.inputs ?? []).filter((p) => p.kind === kind).map((p) => p.name));
  const edge = (scope.incoming.get(node.id) ?? []).find((e) => ports.has(e.targetHandle));
  return edge && scope.byId.get(edge.source);
}

/**
 * The training node that produced the model at the root of `node`'s model inputs (itself when it starts
 * from base_model). Remembered per scope for the whole chain walked, so a chain of n fine-tunes costs n, not n².
 */
function rootTraining(scope: Scope, node: PipelineNode): PipelineNode | undefined {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current = node;
  let root: PipelineNode | undefined;
  for (;;) {
    if (scope.roots.has(current.id)) {
      root = scope.roots.get(current.id);
      break;
    }
    if (seen.has(current.id)) break;
    seen.add(current.id);
    chain.push(current.id);
    const upstream = sourceOf(scope, current, 'model');
    if (!upstream) {
      root = current;
      break;
    }
    const spec = scope.catalog.get(upstream.type);
    if (!spec || workKind(spec) !== 'training') break;
    current = upstream;
  }
  for (const id of chain) scope.roots.set(id, root);
  // The node asked about may be a changed copy (a fit suggestion tried): its own parameters count.
  return root?.id === node.id ? node : root;
}

export type Lookup<T> = { ok: true; value: T } | { ok: false; reason: string };

function modelOf(scope: Scope, root: PipelineNode): Lookup<{ shape: ModelShape; engine: Engine | 'tiny' }> {
  const params = paramsOf(scope, root);
  const engine = (typeof params.engine === 'string' ? params.engine : 'auto') as Engine | 'tiny';
  const found = lookupModel(typeof params.base_model === 'string' ? params.base_model : '', scope.ctx.readModelConfig);
  return found.ok ? { ok: true, value: { shape: found.shape, engine } } : { ok: false, reason: found.reason };
}

/** The setup of a training node at its longest sequence (what sizes the memory), or why there is none. */
export function trainingSetup(scope: Scope, node: PipelineNode): Lookup<TrainingSetup & { engineName: Engine | 'tiny' }> {
  const root = rootTraining(scope, node);
  if (!root) return { ok: false, reason: 'its model input does not come from a training step the estimate can follow' };
  const model = modelOf(scope, root);
  if (!model.ok) return model;
  const p = paramsOf(scope, node);
  const own = (typeof p.engine === 'string' ? p.engine : 'auto') as Engine | 'tiny';
  const engineName = model.value.engine === 'tiny' ? 'tiny' : own;
  return {
    ok: true,
    value: {
      shape: model.value.shape, engineName, engine: engineName === 'tiny' ? 'auto' : engineName,
      fourBit: bool(p.load_in_4bit, true) || model.value.shape.prequantized4bit,
      seq: num(p.max_seq_length, 2048), batch: num(p.per_device_train_batch_size, 1), gradientCheckpointing: bool(p.gradient_checkpointing, true),
      loraR: num(p.lora_r, 16), targets: strings(p.target_modules), loraDropout: num(p.lora_dropout, 0),
    },
  };
}

/** Inference assumes 512-token prompts (the calibration's) when the data says nothing, 256 per few-shot example. */
export const DEFAULT_PROMPT_TOKENS = 512;
export const FEWSHOT_EXAMPLE_TOKENS = 256;

/** The setup of an inference node: the traced model, the adapter on it, one sample at a time. */
export function inferenceSetup(scope: Scope, node: PipelineNode, promptTokens: number): Lookup<InferenceSetup> {
  const trained = sourceOf(scope, node, 'model');
  const spec = trained && scope.catalog.get(trained.type);
  if (!trained || !spec || workKind(spec) !== 'training') return { ok: false, reason: 'its model input does not come from a training step the estimate can follow' };
  const setup = trainingSetup(scope, trained);
  if (!setup.ok) return setup;
  if (setup.value.engineName === 'tiny') return { ok: false, reason: 'the model comes from the tiny CPU engine' };
  const p = paramsOf(scope, node);
  const { shape, fourBit, loraR, targets, loraDropout } = setup.value;
  const newTokens = num(p.max_new_tokens, 0);
  // A generating step (eval) takes an fp32 loss over the whole scoring pass: bf16 logits, the fp32 copy, log_softmax.
  // A log-likelihood scorer (ko-bench) upcasts only the answer's few positions: bf16 logits of every choice row of a batch.
  const rows = newTokens > 0 ? 1 : num(p.batch_size, 1) * CHOICES_PER_QUESTION;
  return { ok: true, value: { shape, fourBit, lora: { loraR, targets, loraDropout }, batch: rows, promptTokens, newTokens, logitBytes: newTokens > 0 ? 8 : 2 } };
}

/** Multiple-choice benchmarks score each choice as a row of the batch: four per question. */
export const CHOICES_PER_QUESTION = 4;

/** The size of the dataset reaching `node`'s dataset input: counted upstream, or an upper bound from the raw data. */
export function datasetSize(scope: Scope, node: PipelineNode, seen = new Set<string>()): Lookup<DatasetSize> {
  const from = sourceOf(scope, node, 'dataset');
  if (!from) return { ok: false, reason: 'no dataset is connected' };
  const known = scope.sizes.get(from.id);
  if (known) return known;
  if (seen.has(from.id)) return { ok: false, reason: 'the dataset inputs form a loop' };
  seen.add(from.id);
  const size = outputSize(scope, from, seen);
  scope.sizes.set(from.id, size);
  return size;
}

/** The size of the dataset `from` outputs (remembered per scope: a chain of n cleaning steps costs n, not n²). */
function outputSize(scope: Scope, from: PipelineNode, seen: Set<string>): Lookup<DatasetSize> {
  const spec = scope.catalog.get(from.type);
  const counted = scope.ctx.preprocessCounts?.[from.id];
  if (counted && counted.chars > 0) return { ok: true, value: sizeFromChars(counted.chars, counted.records, 'preprocess') };
  if (spec?.importer) return importedSize(scope, from);
  if (spec && spec.inputs.some((i) => i.kind === 'dataset') && spec.outputs.some((o) => o.kind === 'dataset')) return datasetSize(scope, from, seen);
  return { ok: false, reason: `the dataset comes from "${from.id}", whose output size is unknown before it runs` };
}

function importedSize(scope: Scope, node: PipelineNode): Lookup<DatasetSize> {
  const uri = String(paramsOf(scope, node).uri ?? '').trim();
  if (uri.startsWith('sample://')) {
    const text = (scope.ctx.samples ?? scope.catalog.samples ?? {})[uri.slice('sample://'.length)];
    if (text === undefined) return { ok: false, reason: `there is no bundled sample ${uri}` };
    const { chars, records } = countSampleText(text);
    return { ok: true, value: sizeFromChars(chars, records, 'sample') };
  }
  const bytes = scope.ctx.datasetBytes?.(uri);
  if (bytes !== undefined) return { ok: true, value: sizeFromBytes(bytes) };
  return { ok: false, reason: `the size of ${uri || 'the dataset'} is unknown until preprocess has run once (or use a local file)` };
}
