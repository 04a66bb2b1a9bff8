/**
 * Peak GPU memory per GPU of LoRA training and of inference, term by term (docs/estimate.md). The
 * terms follow what transformers + peft keep alive at the loss, the peak of a LoRA step: weights,
 * adapter and optimizer state, saved activations (or gradient-checkpoint inputs), the logits
 * pipeline, then what the caching allocator and the CUDA context add on top.
 */
import { CUDA_CONTEXT_GIB, FRAGMENTATION_BYTES_PER_LOGIT, INFERENCE_OVERHEAD_GIB, KV_CACHE_FRAGMENTATION } from './coefficients.ts';
import { GIB } from './gpus.ts';
import { adapterParams, blockLinearParams, otherParams, savedBytesPerTokenPerLayer, type LoraSetup } from './shapes.ts';
import type { MemoryEstimate, MemoryTerm, ModelShape } from './types.ts';

/** bitsandbytes NF4 with double quantization: 4 bits, an 8-bit absmax per 64 weights, an fp32 constant per 256 absmax. */
export const NF4_BYTES_PER_PARAM = 0.5 + 1 / 64 + 4 / (64 * 256);

/**
 * Bytes per logit element at the loss: bf16 logits (2) held while the fp32 copy (4) goes into
 * log_softmax (4 out, saved); in backward the fp32 gradient (4) meets the saved output (4) and
 * its own input gradient (4). transformers' ForCausalLMLoss, checked against every calibration row.
 */
export const LOGIT_BYTES_TRAINING = 12;
/** Gemma 2's final soft-capping (divide, tanh, multiply) adds bf16 copies of the logits. */
const SOFTCAP_LOGIT_BYTES = 6;
/** Eager attention keeps the fp32 softmax, its bf16 cast and the tanh soft-capped scores per score element. */
const EAGER_SCORE_BYTES = 8;

export type Engine = 'auto' | 'unsloth' | 'transformers';

/** The fitted allocator terms (coefficients.ts), replaceable so held-out tests can refit them. */
export interface MemoryCoefficients {
  contextGiB: number;
  fragmentationBytesPerLogit: number;
  kvCacheFragmentation: number;
  inferenceOverheadGiB: number;
}

export const FITTED_MEMORY: MemoryCoefficients = {
  contextGiB: CUDA_CONTEXT_GIB,
  fragmentationBytesPerLogit: FRAGMENTATION_BYTES_PER_LOGIT,
  kvCacheFragmentation: KV_CACHE_FRAGMENTATION,
  inferenceOverheadGiB: INFERENCE_OVERHEAD_GIB,
};

export interface TrainingSetup extends LoraSetup {
  shape: ModelShape;
  /** load_in_4bit, or a checkpoint stored in 4 bits. */
  fourBit: boolean;
  engine: Engine;
  seq: number;
  /** Per-device batch. */
  batch: number;
  gradientCheckpointing: boolean;
}

export interface InferenceSetup {
  shape: ModelShape;
  fourBit: boolean;
  /** Rank and targets of the adapter loaded on top, if any. */
  lora?: LoraSetup;
  batch: number;
  promptTokens: number;
  newTokens: number;
  /** Bytes per logit element of the scoring pass: 2 for bf16 logits only, 8 when a loss is taken in fp32. */
  logitBytes: number;
}

function weightBytes(shape: ModelShape, fourBit: boolean, fp32Others: boolean): number {
  const linear = blockLinearParams(shape) * (fourBit ? NF4_BYTES_PER_PARAM : 2);
  return linear + otherParams(shape) * (fp32Others ? 4 : 2) + shape.extraParams * 2;
}

function finish(terms: MemoryTerm[]): MemoryEstimate {
  return { terms, totalBytes: terms.reduce((sum, t) => sum + t.bytes, 0) };
}

/** Peak memory per GPU of one LoRA training process (DDP keeps a full copy per GPU, so the GPU count does not enter). */
export function trainingMemory(s: TrainingSetup, k: MemoryCoefficients = FITTED_MEMORY): MemoryEstimate {
  const { shape } = s;
  const tokens = s.seq * s.batch;
  // peft's k-bit preparation (the transformers engine) casts every non-quantized weight to fp32, so the
  // embeddings' output and the whole residual stream become fp32; Unsloth (and auto, which picks it on GPUs) keeps 16 bits.
  const fp32Others = s.fourBit && s.engine === 'transformers';
  const residualBytes = fp32Others ? 4 : 2;
  const lora = adapterParams(shape, s);
  // The step asks for 8-bit AdamW when bitsandbytes is there, which 4-bit loading needs anyway.
  const optimizerBytes = 4 + (s.fourBit ? 2 : 8);
  const perLayer = savedBytesPerTokenPerLayer(shape, s, residualBytes) * tokens + (shape.eagerAttention ? shape.heads * s.seq * s.seq * s.batch * EAGER_SCORE_BYTES : 0);
  const logitElements = shape.vocab * tokens;
  const logitBytes = (LOGIT_BYTES_TRAINING + (shape.logitSoftcap ? SOFTCAP_LOGIT_BYTES : 0) + (s.targets.includes('lm_head') ? 2 : 0)) * logitElements;
  // With checkpointing only each layer's input stays; one layer is recomputed at a time in backward.
  const activations = s.gradientCheckpointing
    ? shape.layers * shape.hidden * residualBytes * tokens + Math.max(0, perLayer - logitBytes)
    : shape.layers * perLayer;
  return finish([
    { key: 'context', bytes: k.contextGiB * GIB },
    { key: 'weights', bytes: weightBytes(shape, s.fourBit, fp32Others) },
    { key: 'adapter', bytes: lora * 4 },
    { key: 'optimizer', bytes: lora * optimizerBytes },
    { key: 'activations', bytes: activations },
    { key: 'logits', bytes: logitBytes },
    { key: 'fragmentation', bytes: k.fragmentationBytesPerLogit * logitElements },
  ]);
}

/** Peak memory of scoring and greedy generation (eval, benchmarks): weights, KV cache, the logits of the scoring pass. */
export function inferenceMemory(s: InferenceSetup, k: MemoryCoefficients = FITTED_MEMORY): MemoryEstimate {
  const { shape } = s;
  const kvCache = 2 * shape.layers * shape.kvHeads * shape.headDim * 2 * s.batch * (s.promptTokens + s.newTokens);
  const logits = s.logitBytes * shape.vocab * s.batch * s.promptTokens;
  // The prefill's MLP intermediates (gate, up, their product) are freed before the logits exist.
  const prefill = 6 * shape.intermediate * s.batch * s.promptTokens;
  return finish([
    { key: 'context', bytes: k.contextGiB * GIB },
    { key: 'weights', bytes: weightBytes(shape, s.fourBit, false) },
    { key: 'adapter', bytes: s.lora ? adapterParams(shape, s.lora) * 4 : 0 },
    { key: 'kvCache', bytes: kvCache },
    { key: 'activations', bytes: Math.max(0, prefill - logits) },
    { key: 'logits', bytes: logits },
    // The cache only fragments while generate() grows it a token at a time; a scoring forward makes it at once.
    { key: 'fragmentation', bytes: (s.newTokens > 0 ? k.kvCacheFragmentation * kvCache : 0) + k.inferenceOverheadGiB * GIB },
  ]);
}

export function toGiB(bytes: number): number {
  return bytes / GIB;
}
