/**
 * The few numbers of the estimate that are fitted to measurements rather than derived from how
 * PyTorch, transformers and peft lay out memory. Each is refitted from the calibration files by
 * `fitMemory` / `fitThroughput` / `fitInference` (fit.ts); coefficients.test.ts checks these values
 * are that fit on ../shared/reference/gpu/*.jsonl, rounded, and that held-out rows stay within 15 %.
 */

/** What the device shows beyond PyTorch's reserved memory: the CUDA context and library workspaces (H200, torch 2.11). */
export const CUDA_CONTEXT_GIB = 0.748;

/**
 * Memory the caching allocator holds but cannot reuse at the loss peak, per logit element
 * (vocab x tokens): the freed bf16 logits do not fit the fp32 gradient that comes next.
 */
export const FRAGMENTATION_BYTES_PER_LOGIT = 3.02;

/** Inference: blocks left behind as the KV cache grows one token at a time, per byte of final KV cache. */
export const KV_CACHE_FRAGMENTATION = 2.63;

/** Inference: small-block pools and generate()'s bookkeeping, GiB. */
export const INFERENCE_OVERHEAD_GIB = 0.205;

/** Fraction of the dense bf16 tensor throughput LoRA training reaches once kernels are large (GPU time term). */
export const TRAINING_EFFICIENCY = 0.668;

/** Host time (Python, kernel launches) per layer per pass per module group, seconds: it bounds small models. */
export const HOST_SECONDS_PER_UNIT = 5.7e-4;

/** One decoding step of transformers' generate() costs this much host time per layer (measured ~69 ms for 28 layers). */
export const DECODE_HOST_SECONDS_PER_LAYER = 0.069 / 28;
