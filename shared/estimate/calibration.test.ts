/**
 * The estimate against every measured row of ../shared/reference/gpu (a test fixture, read here):
 * in-sample within 15 % (and the derived terms alone within 2 % of PyTorch's allocation), held out
 * (leave one row out, leave one model shape out) within 15 %, and coefficients.ts equal to the fit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as K from './coefficients.ts';
import { fitInferenceMemory, fitMemory, fitThroughput, fitTrainingMemory, inferenceSetupOf, trainingSetupOf, type InferenceRow, type TrainingRow } from './fit.ts';
import { GIB, REFERENCE_PRODUCT } from './gpus.ts';
import { FITTED_MEMORY, inferenceMemory, trainingMemory, type MemoryCoefficients } from './memory.ts';
import { adapterParams, totalParams } from './shapes.ts';
import { stepSeconds } from './throughput.ts';

const DIR = join(import.meta.dirname, '../../../shared/reference/gpu');
const read = <T>(file: string): T[] => readFileSync(join(DIR, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as T);
const TRAINING = read<TrainingRow & { params_b: number; lora_params_m: number }>('vram-h200-calibration.jsonl');
const INFERENCE = read<InferenceRow>('inference-h200.jsonl');

const trainingGiB = (row: TrainingRow, k: MemoryCoefficients = FITTED_MEMORY) => trainingMemory(trainingSetupOf(row), k).totalBytes / GIB;
const inferenceGiB = (row: InferenceRow, k: MemoryCoefficients = FITTED_MEMORY) => inferenceMemory(inferenceSetupOf(row), k).totalBytes / GIB;
const relative = (estimate: number, measured: number) => estimate / measured - 1;
const label = (row: TrainingRow) => `${row.name} seq ${row.seq} batch ${row.batch} gc ${row.gc} r ${row.r} targets ${row.targets}`;

describe('training rows (vram-h200-calibration.jsonl)', () => {
  it('the file holds the rows this test was written for', () => {
    expect(TRAINING.length).toBeGreaterThanOrEqual(5);
    expect(new Set(TRAINING.map((r) => r.name)).size).toBeGreaterThanOrEqual(4);
  });

  it.each(TRAINING.map((r) => [label(r), r] as const))('%s: shape and adapter size are the measured model', (_, row) => {
    const setup = trainingSetupOf(row);
    expect(totalParams(setup.shape) / 1e9).toBeCloseTo(row.params_b, 3);
    expect(adapterParams(setup.shape, setup) / 1e6).toBeCloseTo(row.lora_params_m, 2);
  });

  it.each(TRAINING.map((r) => [label(r), r] as const))('%s: derived terms alone are within 2 %% of torch max_memory_allocated', (_, row) => {
    const none = { contextGiB: 0, fragmentationBytesPerLogit: 0, kvCacheFragmentation: 0, inferenceOverheadGiB: 0 };
    expect(Math.abs(relative(trainingGiB(row, none), row.peak_alloc_gib))).toBeLessThan(0.02);
  });

  it.each(TRAINING.map((r) => [label(r), r] as const))('%s: device memory within 15 %% (in-sample)', (_, row) => {
    expect(Math.abs(relative(trainingGiB(row), row.device_used_gib))).toBeLessThan(0.15);
  });

  it.each(TRAINING.map((r, i) => [label(r), i] as const))('%s: held out of the fit, still within 15 %%', (_, i) => {
    const fitted = { ...FITTED_MEMORY, ...fitTrainingMemory(TRAINING.filter((_, j) => j !== i)) };
    expect(Math.abs(relative(trainingGiB(TRAINING[i], fitted), TRAINING[i].device_used_gib))).toBeLessThan(0.15);
  });

  it.each([...new Set(TRAINING.map((r) => r.name))])('leave the shape %s out: its rows within 15 %%', (name) => {
    const fitted = { ...FITTED_MEMORY, ...fitTrainingMemory(TRAINING.filter((r) => r.name !== name)) };
    for (const row of TRAINING.filter((r) => r.name === name)) expect(Math.abs(relative(trainingGiB(row, fitted), row.device_used_gib))).toBeLessThan(0.15);
  });

  it.each(TRAINING.map((r, i) => [label(r), i] as const))('%s: step time held out of the throughput fit within 25 %%', (_, i) => {
    const k = fitThroughput(TRAINING.filter((_, j) => j !== i));
    const row = TRAINING[i];
    expect(Math.abs(relative(stepSeconds(trainingSetupOf(row), REFERENCE_PRODUCT, k), row.step_s))).toBeLessThan(0.25);
  });
});

describe('inference rows (inference-h200.jsonl)', () => {
  const label = (r: InferenceRow) => `${r.name} batch ${r.batch} prompt ${r.prompt} new ${r.new}`;
  it.each(INFERENCE.map((r) => [label(r), r] as const))('%s: within 15 %% (in-sample)', (_, row) => {
    expect(Math.abs(relative(inferenceGiB(row), row.device_used_gib))).toBeLessThan(0.15);
  });

  it.each(INFERENCE.map((r, i) => [label(r), i] as const))('%s: held out of the fit, still within 15 %%', (_, i) => {
    const fitted = { ...FITTED_MEMORY, ...fitInferenceMemory(INFERENCE.filter((_, j) => j !== i), K.CUDA_CONTEXT_GIB) };
    expect(Math.abs(relative(inferenceGiB(INFERENCE[i], fitted), INFERENCE[i].device_used_gib))).toBeLessThan(0.15);
  });
});

describe('coefficients.ts', () => {
  it('holds the fit on all rows, rounded', () => {
    const memory = fitMemory(TRAINING, INFERENCE);
    expect(K.CUDA_CONTEXT_GIB).toBeCloseTo(memory.contextGiB, 3);
    expect(K.FRAGMENTATION_BYTES_PER_LOGIT).toBeCloseTo(memory.fragmentationBytesPerLogit, 2);
    expect(K.KV_CACHE_FRAGMENTATION).toBeCloseTo(memory.kvCacheFragmentation, 2);
    expect(K.INFERENCE_OVERHEAD_GIB).toBeCloseTo(memory.inferenceOverheadGiB, 3);
    const speed = fitThroughput(TRAINING);
    expect(K.TRAINING_EFFICIENCY).toBeCloseTo(speed.efficiency, 3);
    expect(K.HOST_SECONDS_PER_UNIT * 1e4).toBeCloseTo(speed.hostSecondsPerUnit * 1e4, 2);
  });
});
