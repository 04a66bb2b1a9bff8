/**
 * Time of a LoRA training step and of inference on a GPU product. A step needs GPU time (matrix
 * FLOPs at a fraction of the product's dense bf16 throughput, plus memory traffic at its bandwidth)
 * and host time (Python and kernel launches per layer, the same on every GPU); they overlap, and
 * the step takes their quadrature sum, which is the larger one when either dominates. Fitted on the
 * H200 calibration; another product changes only the GPU term, by its own throughput and bandwidth.
 */
import { DECODE_HOST_SECONDS_PER_LAYER, HOST_SECONDS_PER_UNIT, TRAINING_EFFICIENCY } from './coefficients.ts';
import { NF4_BYTES_PER_PARAM, type InferenceSetup, type TrainingSetup } from './memory.ts';
import { adapterParams, blockLinearParams, matmulParams, otherParams, savedBytesPerTokenPerLayer, targetLinears } from './shapes.ts';
import type { GpuProduct, ModelShape } from './types.ts';

/** Streaming weights from HBM reaches about this share of the peak bandwidth (decode steps; not measured here). */
export const STREAMING_EFFICIENCY = 0.7;
/** Bytes moved per logit element through the loss: bf16 write, fp32 copy, log_softmax, its backward and the cast back. */
const LOGIT_TRAFFIC_BYTES = 38;

export interface StepCoefficients {
  efficiency: number;
  hostSecondsPerUnit: number;
}

const FITTED: StepCoefficients = { efficiency: TRAINING_EFFICIENCY, hostSecondsPerUnit: HOST_SECONDS_PER_UNIT };

/** Forward passes per step: the forward, and the recomputation when checkpointing. */
function forwardPasses(s: TrainingSetup): number {
  return s.gradientCheckpointing ? 2 : 1;
}

/** Matrix FLOPs per token: 2N per forward pass, 2N for input gradients (base weights are frozen), the adapter's own, and causal attention. */
export function trainingFlopsPerToken(s: TrainingSetup): number {
  const passes = forwardPasses(s);
  const n = matmulParams(s.shape);
  const lora = adapterParams(s.shape, s);
  const attention = s.shape.layers * 2 * s.seq * s.shape.heads * s.shape.headDim;
  return (2 * passes + 2) * n + (2 * passes + 4) * lora + (passes + 2) * attention;
}

/** GPU seconds of one micro-step on `product`: FLOPs at its throughput, memory traffic at its bandwidth. */
export function gpuSeconds(s: TrainingSetup, product: GpuProduct, efficiency = FITTED.efficiency): number {
  const tokens = s.seq * s.batch;
  const passes = forwardPasses(s);
  const weights = blockLinearParams(s.shape) * (s.fourBit ? NF4_BYTES_PER_PARAM : 2) + otherParams(s.shape) * 2;
  // 4-bit linears are dequantized to bf16 (written, then read by the matmul) on every pass.
  const dequantized = s.fourBit ? blockLinearParams(s.shape) * 4 : 0;
  const traffic =
    (passes + 1) * (weights + dequantized) +
    tokens * (s.shape.layers * savedBytesPerTokenPerLayer(s.shape, s) * (2 * passes + 2) + LOGIT_TRAFFIC_BYTES * s.shape.vocab);
  return (trainingFlopsPerToken(s) * tokens) / (product.tflops * 1e12 * efficiency) + traffic / (product.bandwidthGBs * 1e9 * efficiency);
}

/** Host seconds of one micro-step: per layer, per pass, per module group (attention, MLP, norms, each adapter). */
export function hostSeconds(s: TrainingSetup, hostSecondsPerUnit = FITTED.hostSecondsPerUnit): number {
  return hostSecondsPerUnit * s.shape.layers * (forwardPasses(s) + 0.5) * (3 + targetLinears(s.targets).length);
}

export function stepSeconds(s: TrainingSetup, product: GpuProduct, k: StepCoefficients = FITTED): number {
  return Math.hypot(gpuSeconds(s, product, k.efficiency), hostSeconds(s, k.hostSecondsPerUnit));
}

/** Training tokens per second of one GPU. */
export function tokensPerSecond(s: TrainingSetup, product: GpuProduct, k: StepCoefficients = FITTED): number {
  return (s.seq * s.batch) / stepSeconds(s, product, k);
}

/** Ring all-reduce of the adapter's fp32 gradients across `gpus` GPUs, once per optimizer step. */
export function allReduceSeconds(s: TrainingSetup, product: GpuProduct, gpus: number): number {
  if (gpus <= 1) return 0;
  return (2 * ((gpus - 1) / gpus) * adapterParams(s.shape, s) * 4) / (product.linkGBs * 1e9);
}

/** One forward pass over `tokens` tokens without gradients (scoring, prefill). */
export function forwardSeconds(shape: ModelShape, tokens: number, context: number, product: GpuProduct): number {
  const flops = 2 * matmulParams(shape) * tokens + shape.layers * 2 * context * shape.heads * shape.headDim * tokens;
  const gpu = flops / (product.tflops * 1e12 * TRAINING_EFFICIENCY);
  return Math.hypot(gpu, HOST_SECONDS_PER_UNIT * shape.layers * 3);
}

/** One greedy decoding step of the whole batch: host-bound for small models, weight streaming for large ones. */
export function decodeStepSeconds(s: Pick<InferenceSetup, 'shape' | 'fourBit'>, product: GpuProduct): number {
  const weights = blockLinearParams(s.shape) * (s.fourBit ? NF4_BYTES_PER_PARAM : 2) + s.shape.vocab * s.shape.hidden * 2;
  return Math.max(DECODE_HOST_SECONDS_PER_LAYER * s.shape.layers, weights / (product.bandwidthGBs * 1e9 * STREAMING_EFFICIENCY));
}
