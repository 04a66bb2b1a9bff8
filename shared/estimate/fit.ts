/**
 * Fitting the estimate's few free coefficients to measurements (the rows of
 * ../shared/reference/gpu/*.jsonl, passed in by tests; no measurement lives in code). Everything
 * else in the formula is derived, so a fit has two unknowns per file: held-out tests refit on some
 * rows and predict the others.
 */
import { lookupKnownModel } from './models.ts';
import { FITTED_MEMORY, inferenceMemory, trainingMemory, type InferenceSetup, type MemoryCoefficients, type TrainingSetup } from './memory.ts';
import { GIB, REFERENCE_PRODUCT } from './gpus.ts';
import { gpuSeconds, hostSeconds, type StepCoefficients } from './throughput.ts';

/** One row of vram-h200-calibration.jsonl (LoRA training, bf16 weights, AdamW on the adapter). */
export interface TrainingRow {
  name: string;
  seq: number;
  batch: number;
  gc: boolean;
  r: number;
  /** 4 = q, k, v, o; 7 = also gate, up, down. */
  targets: number;
  peak_alloc_gib: number;
  peak_reserved_gib: number;
  device_used_gib: number;
  step_s: number;
  tokens_per_s: number;
}

/** One row of inference-h200.jsonl (greedy generate, then one scoring forward over batch x prompt). */
export interface InferenceRow {
  name: string;
  batch: number;
  prompt: number;
  new: number;
  peak_alloc_gib: number;
  device_used_gib: number;
  decode_tokens_per_s: number;
}

const ATTENTION = ['q_proj', 'k_proj', 'v_proj', 'o_proj'];
const MLP = ['gate_proj', 'up_proj', 'down_proj'];

function shapeOf(name: string) {
  const found = lookupKnownModel(name);
  if (!found.ok) throw new Error(`calibration row names ${name}: ${found.reason}`);
  return found.shape;
}

/** The setup a training row measured: transformers + peft, bf16 weights, LoRA dropout 0.1. */
export function trainingSetupOf(row: TrainingRow): TrainingSetup {
  return {
    shape: shapeOf(row.name), fourBit: false, engine: 'transformers', seq: row.seq, batch: row.batch, gradientCheckpointing: row.gc,
    loraR: row.r, targets: row.targets === 7 ? [...ATTENTION, ...MLP] : ATTENTION, loraDropout: 0.1,
  };
}

/** The setup an inference row measured: bf16 weights, bf16 logits of the scoring pass. */
export function inferenceSetupOf(row: InferenceRow): InferenceSetup {
  return { shape: shapeOf(row.name), fourBit: false, batch: row.batch, promptTokens: row.prompt, newTokens: row.new, logitBytes: 2 };
}

const NONE: MemoryCoefficients = { contextGiB: 0, fragmentationBytesPerLogit: 0, kvCacheFragmentation: 0, inferenceOverheadGiB: 0 };

/** Context = mean(used - reserved); fragmentation per logit = least squares of (reserved - modelled allocation) / logits, through 0. */
export function fitTrainingMemory(rows: readonly TrainingRow[]): Pick<MemoryCoefficients, 'contextGiB' | 'fragmentationBytesPerLogit'> {
  const contextGiB = rows.reduce((sum, r) => sum + r.device_used_gib - r.peak_reserved_gib, 0) / rows.length;
  let num = 0;
  let den = 0;
  for (const row of rows) {
    const setup = trainingSetupOf(row);
    const logits = setup.shape.vocab * setup.seq * setup.batch;
    const allocated = trainingMemory(setup, NONE).totalBytes;
    num += logits * (row.peak_reserved_gib * GIB - allocated);
    den += logits * logits;
  }
  return { contextGiB, fragmentationBytesPerLogit: num / den };
}

/** KV-cache fragmentation and a constant overhead, least squares of (used - context - modelled allocation). */
export function fitInferenceMemory(rows: readonly InferenceRow[], contextGiB: number): Pick<MemoryCoefficients, 'kvCacheFragmentation' | 'inferenceOverheadGiB'> {
  let [sxx, sx, sy, sxy] = [0, 0, 0, 0];
  for (const row of rows) {
    const estimate = inferenceMemory(inferenceSetupOf(row), NONE);
    const kv = estimate.terms.find((t) => t.key === 'kvCache')!.bytes;
    const y = row.device_used_gib * GIB - contextGiB * GIB - estimate.totalBytes;
    [sxx, sx, sy, sxy] = [sxx + kv * kv, sx + kv, sy + y, sxy + kv * y];
  }
  const n = rows.length;
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { kvCacheFragmentation: slope, inferenceOverheadGiB: (sy - slope * sx) / n / GIB };
}

/** Efficiency and host time that minimise the squared log error of step time (grid search, then a finer one). */
export function fitThroughput(rows: readonly TrainingRow[]): StepCoefficients {
  const setups = rows.map((row) => ({ row, setup: trainingSetupOf(row) }));
  const error = (k: StepCoefficients) =>
    setups.reduce((sum, { row, setup }) => sum + Math.log(Math.hypot(gpuSeconds(setup, REFERENCE_PRODUCT, k.efficiency), hostSeconds(setup, k.hostSecondsPerUnit)) / row.step_s) ** 2, 0);
  let best = { efficiency: 0.5, hostSecondsPerUnit: 5e-4 };
  for (const [effStep, hostStep, span] of [[0.01, 1e-5, 40], [0.001, 1e-6, 20]] as const) {
    const center = best;
    for (let i = -span; i <= span; i++) {
      for (let j = -span; j <= span; j++) {
        const k = { efficiency: center.efficiency + i * effStep, hostSecondsPerUnit: center.hostSecondsPerUnit + j * hostStep };
        if (k.efficiency > 0.05 && k.efficiency <= 1 && k.hostSecondsPerUnit > 0 && error(k) < error(best)) best = k;
      }
    }
  }
  return best;
}

/** Memory coefficients from both files. */
export function fitMemory(training: readonly TrainingRow[], inference: readonly InferenceRow[]): MemoryCoefficients {
  const t = fitTrainingMemory(training);
  return { ...FITTED_MEMORY, ...t, ...fitInferenceMemory(inference, t.contextGiB) };
}
