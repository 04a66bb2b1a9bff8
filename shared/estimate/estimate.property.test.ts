/** Properties of the estimate over random setups (fast-check): the directions every knob must move it. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { PIPELINE_FORMAT, type PipelineDocument } from '../pipeline/types.ts';
import { inferenceMemory, trainingMemory, type TrainingSetup } from './memory.ts';
import { KNOWN_MODELS, lookupKnownModel } from './models.ts';
import { estimatePipeline } from './pipeline.ts';
import type { ModelShape } from './types.ts';

const shape = fc.constantFrom(...KNOWN_MODELS).map((name) => {
  const found = lookupKnownModel(name);
  if (!found.ok) throw new Error(found.reason);
  return found.shape as ModelShape;
});
const TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj', 'lm_head'];
const setup: fc.Arbitrary<TrainingSetup> = fc.record({
  shape,
  fourBit: fc.boolean(),
  engine: fc.constantFrom('auto' as const, 'unsloth' as const, 'transformers' as const),
  seq: fc.integer({ min: 16, max: 32768 }),
  batch: fc.integer({ min: 1, max: 32 }),
  gradientCheckpointing: fc.boolean(),
  loraR: fc.integer({ min: 1, max: 256 }),
  targets: fc.subarray(TARGETS),
  loraDropout: fc.constantFrom(0, 0.05, 0.1),
});
const bytes = (s: TrainingSetup) => trainingMemory(s).totalBytes;

describe('memory', () => {
  it('4-bit loading never needs more memory (Unsloth, and auto which picks it on GPUs)', () => {
    fc.assert(fc.property(setup.filter((s) => s.engine !== 'transformers'), (s) => bytes({ ...s, fourBit: true }) <= bytes({ ...s, fourBit: false })));
  });

  it('4-bit loading never needs more memory for the weights with any engine', () => {
    fc.assert(fc.property(setup, (s) => {
      const weights = (fourBit: boolean) => trainingMemory({ ...s, fourBit }).terms.find((t) => t.key === 'weights')!.bytes;
      return weights(true) <= weights(false);
    }));
  });

  it('longer sequences never need less memory, for training and inference', () => {
    fc.assert(fc.property(setup, fc.integer({ min: 1, max: 8192 }), (s, more) => bytes({ ...s, seq: s.seq + more }) >= bytes(s)));
    fc.assert(fc.property(shape, fc.integer({ min: 1, max: 8192 }), fc.integer({ min: 1, max: 8192 }), (sh, prompt, more) => {
      const m = (p: number) => inferenceMemory({ shape: sh, fourBit: false, batch: 1, promptTokens: p, newTokens: 64, logitBytes: 8 }).totalBytes;
      return m(prompt + more) >= m(prompt);
    }));
  });

  it('a bigger batch never needs less memory; gradient checkpointing never needs more', () => {
    fc.assert(fc.property(setup, fc.integer({ min: 1, max: 16 }), (s, more) => bytes({ ...s, batch: s.batch + more }) >= bytes(s)));
    fc.assert(fc.property(setup, (s) => bytes({ ...s, gradientCheckpointing: true }) <= bytes({ ...s, gradientCheckpointing: false })));
  });
});

/** corpus -> preprocess -> (cpt on `gpus` GPUs) -> eval, with `chars` counted by the last preprocess run. */
function pipeline(gpus: number, cpt: Record<string, number | boolean | string>): PipelineDocument {
  return {
    format: PIPELINE_FORMAT,
    name: 'p',
    nodes: [
      { id: 'corpus', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/corpus' } },
      { id: 'prep', type: 'preprocess', position: { x: 0, y: 0 } },
      { id: 'cpt', type: 'cpt', position: { x: 0, y: 0 }, params: { engine: 'unsloth', ...cpt }, resources: { gpus } },
      { id: 'test', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/test' } },
      { id: 'eval', type: 'eval', position: { x: 0, y: 0 }, resources: { gpus } },
    ],
    edges: [
      { id: 'a', source: 'corpus', sourceHandle: 'dataset', target: 'prep', targetHandle: 'dataset' },
      { id: 'b', source: 'prep', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
      { id: 'c', source: 'cpt', sourceHandle: 'model', target: 'eval', targetHandle: 'model' },
      { id: 'd', source: 'test', sourceHandle: 'dataset', target: 'eval', targetHandle: 'dataset' },
    ],
  } as PipelineDocument;
}

const knobs = fc.record({
  base_model: fc.constantFrom('Qwen2.5-0.5B', 'unsloth/Qwen2.5-7B-bnb-4bit', 'Llama-3.1-8B', 'EXAONE-3.5-2.4B', 'gemma-2-9b'),
  max_seq_length: fc.constantFrom(512, 2048, 4096),
  per_device_train_batch_size: fc.integer({ min: 1, max: 8 }),
  gradient_accumulation_steps: fc.integer({ min: 1, max: 8 }),
  num_epochs: fc.integer({ min: 1, max: 3 }),
});
const product = fc.constantFrom('NVIDIA-H200', 'NVIDIA-A100-SXM4-80GB', 'NVIDIA-L4', 'NVIDIA-A10G', 'NVIDIA-GeForce-RTX-4090');
function node(doc: PipelineDocument, chars: number, gpuProduct: string, id: string) {
  const found = estimatePipeline(doc, catalog, { preprocessCounts: { prep: { chars, records: 1000 } }, defaultGpuProduct: gpuProduct }).nodes.find((n) => n.id === id);
  if (!found || found.hours === null || found.tokens === null || found.gpuMemoryGiB === null) throw new Error(`no estimate for ${id}: ${JSON.stringify(found)}`);
  return found;
}

describe('pipeline', () => {
  it('more tokens never take less time', () => {
    fc.assert(fc.property(knobs, product, fc.integer({ min: 1e4, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (k, p, chars, more) => {
      const doc = pipeline(2, k);
      const [a, b] = [node(doc, chars, p, 'cpt'), node(doc, chars + more, p, 'cpt')];
      return b.tokens! >= a.tokens! && b.hours! >= a.hours!;
    }));
    fc.assert(fc.property(knobs, product, fc.integer({ min: 1, max: 1e5 }), fc.integer({ min: 1, max: 1e5 }), (k, p, steps, more) => {
      return node(pipeline(1, { ...k, max_steps: steps + more }), 1e6, p, 'cpt').hours! >= node(pipeline(1, { ...k, max_steps: steps }), 1e6, p, 'cpt').hours!;
    }));
  });

  it('more GPUs never need more memory per GPU for the same per-device batch', () => {
    fc.assert(fc.property(knobs, product, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 8 }), (k, p, gpus, more) => {
      for (const id of ['cpt', 'eval']) {
        if (node(pipeline(gpus + more, k), 1e7, p, id).gpuMemoryGiB! > node(pipeline(gpus, k), 1e7, p, id).gpuMemoryGiB!) return false;
      }
      return true;
    }));
  });
});
