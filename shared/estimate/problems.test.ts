import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { pipelineFromAscii } from '../../test/fixtures/asciiPipeline.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { estimatePipeline } from './pipeline.ts';
import { describeSuggestion, estimateProblems } from './problems.ts';
import { fitSuggestions } from './suggest.ts';

function cpt(params: Record<string, unknown>, resources: Record<string, unknown> = {}): PipelineDocument {
  return pipelineFromAscii('raw:dataset -> cpt', {
    nodes: { raw: { params: { uri: 'sample://ko_corpus.jsonl' } }, cpt: { params: { engine: 'unsloth', ...params }, resources: { gpus: 1, ...resources } } },
  });
}

const memoryOf = (doc: PipelineDocument, ctx = {}) => estimatePipeline(doc, catalog, ctx).nodes[0];

describe('fit suggestions', () => {
  const KNOBS = { base_model: 'Qwen2.5-7B', load_in_4bit: false, gradient_checkpointing: false, per_device_train_batch_size: 2, gradient_accumulation_steps: 4, max_seq_length: 2048 };

  it('offers each knob that alone makes a 7B bf16 step fit a 40 GB A100, with the memory it then needs', () => {
    const doc = cpt(KNOBS);
    const ctx = { defaultGpuProduct: 'NVIDIA-A100-SXM4-40GB' };
    expect(memoryOf(doc, ctx).verdict).toBe('no-fit');
    const suggestions = fitSuggestions(doc, catalog, ctx, 'cpt');
    expect(suggestions.map((s) => s.kind)).toEqual(['load_in_4bit', 'gradient_checkpointing', 'batch', 'sequence', 'product']);
    for (const s of suggestions) {
      // Each suggestion, applied, fits: re-estimated here from scratch.
      const applied = cpt({ ...KNOBS, ...s.params });
      const e = memoryOf(applied, s.gpuProduct ? { defaultGpuProduct: s.gpuProduct } : ctx);
      expect(e.verdict).not.toBe('no-fit');
      expect(e.gpuMemoryGiB).toBe(s.gpuMemoryGiB);
    }
    expect(suggestions[2].params).toEqual({ per_device_train_batch_size: 1, gradient_accumulation_steps: 8 });
    expect(suggestions[4].gpuProduct).toBe('NVIDIA-A100-80GB-PCIe');
  });

  it('a smaller batch keeps the effective batch through accumulation; shorter sequences are offered too', () => {
    const doc = cpt({ base_model: 'Qwen2.5-7B', per_device_train_batch_size: 8, gradient_accumulation_steps: 2, max_seq_length: 4096 });
    const ctx = { defaultGpuProduct: 'NVIDIA-L40S' };
    const suggestions = fitSuggestions(doc, catalog, ctx, 'cpt');
    const batch = suggestions.find((s) => s.kind === 'batch')!;
    expect(batch.params.per_device_train_batch_size as number * (batch.params.gradient_accumulation_steps as number)).toBe(16);
    const sequence = suggestions.find((s) => s.kind === 'sequence')!;
    expect(sequence.params.max_seq_length).toBeLessThan(4096);
    expect(describeSuggestion(batch)).toMatch(/^per_device_train_batch_size \d, gradient_accumulation_steps \d+ \(\d+\.\d GiB\)$/);
  });

  it('for a tight step, the changes that leave headroom (each applied fits, not tight)', () => {
    const ctx = { defaultGpuProduct: 'NVIDIA-GeForce-RTX-4090' };
    const tight = Array.from({ length: 64 }, (_, i) => cpt({ base_model: 'Qwen2.5-1.5B', per_device_train_batch_size: 2, max_seq_length: 2048 + 64 * i }))
      .find((doc) => memoryOf(doc, ctx).verdict === 'tight')!;
    const suggestions = fitSuggestions(tight, catalog, ctx, 'cpt');
    expect(suggestions.map((s) => s.kind)).toEqual(expect.arrayContaining(['batch', 'sequence', 'product']));
    const params = tight.nodes.find((n) => n.id === 'cpt')!.params!;
    for (const s of suggestions) {
      const applied = cpt({ ...params, ...s.params });
      expect(memoryOf(applied, s.gpuProduct ? { defaultGpuProduct: s.gpuProduct } : ctx).verdict).toBe('fits');
    }
    // Estimate problems still say "tight" (a warning), not "does not fit".
    expect(estimateProblems(tight, catalog, ctx).map((p) => p.code)).toEqual(['gpu-memory-tight']);
  });

  it('a benchmark that does not fit: fewer questions per forward pass', () => {
    const doc = pipelineFromAscii('raw:dataset -> cpt -> bench:ko-bench', {
      nodes: {
        raw: { params: { uri: 'sample://ko_corpus.jsonl' } },
        cpt: { params: { engine: 'unsloth', base_model: 'Qwen2.5-7B' }, resources: { gpus: 1 } },
        bench: { params: { batch_size: 256, max_samples: 100 }, resources: { gpus: 1 } },
      },
    });
    const ctx = { defaultGpuProduct: 'NVIDIA-L4' };
    expect(estimatePipeline(doc, catalog, ctx).nodes.find((n) => n.id === 'bench')!.verdict).toBe('no-fit');
    const suggestions = fitSuggestions(doc, catalog, ctx, 'bench');
    expect(suggestions[0].kind).toBe('batch');
    const batch = suggestions[0].params.batch_size as number;
    expect(batch).toBeLessThan(256);
    const applied = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'bench' ? { ...n, params: { ...n.params, batch_size: batch } } : n)) };
    const after = estimatePipeline(applied, catalog, ctx).nodes.find((n) => n.id === 'bench')!;
    expect(after.verdict).not.toBe('no-fit');
    expect(after.gpuMemoryGiB).toBe(suggestions[0].gpuMemoryGiB);
    // Twice the batch would not have fitted: the largest that fits is offered.
    const twice = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'bench' ? { ...n, params: { ...n.params, batch_size: batch * 2 } } : n)) };
    expect(estimatePipeline(twice, catalog, ctx).nodes.find((n) => n.id === 'bench')!.verdict).toBe('no-fit');
  });

  it('offers nothing for a step that fits', () => {
    expect(fitSuggestions(cpt({ base_model: 'Qwen2.5-0.5B' }), catalog, { defaultGpuProduct: 'NVIDIA-H200' }, 'cpt')).toEqual([]);
  });
});

describe('estimate problems', () => {
  it('an error that names the need, the product and the fixes', () => {
    const doc = cpt({ base_model: 'Qwen2.5-72B', load_in_4bit: false });
    const problems = estimateProblems(doc, catalog, { defaultGpuProduct: 'NVIDIA-H100-80GB-HBM3' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', code: 'gpu-memory-exceeded', location: { nodeId: 'cpt' } });
    expect(problems[0].message).toMatch(/^Node "cpt" needs about \d+\.\d GiB of GPU memory per GPU \(Qwen2\.5-72B\), more than the 79\.6 GiB of a NVIDIA-H100-80GB-HBM3: it would stop with CUDA out of memory\. It fits with: load_in_4bit true \(\d+\.\d GiB\); GPU NVIDIA-B200 \(\d+\.\d GiB\)\.$/);
  });

  it('a warning when under 10 % stays free', () => {
    // A 1.5B model on a 24 GB card at the sequence length that fills it.
    const tight = Array.from({ length: 64 }, (_, i) => cpt({ base_model: 'Qwen2.5-1.5B', per_device_train_batch_size: 2, max_seq_length: 2048 + 64 * i }))
      .find((doc) => memoryOf(doc, { defaultGpuProduct: 'NVIDIA-GeForce-RTX-4090' }).verdict === 'tight');
    expect(tight).toBeDefined();
    const [p] = estimateProblems(tight!, catalog, { defaultGpuProduct: 'NVIDIA-GeForce-RTX-4090' });
    expect(p).toMatchObject({ severity: 'warning', code: 'gpu-memory-tight' });
    expect(p.message).toMatch(/of the 24\.0 GiB on a NVIDIA-GeForce-RTX-4090 \(\d %/);
  });

  it('warnings for an unknown model (at its parameter) and an unknown GPU product (at the field)', () => {
    const problems = estimateProblems(cpt({ base_model: 'bigscience/bloom' }, { gpuProduct: 'NVIDIA-Imaginary' }), catalog, {});
    expect(problems.map((p) => [p.severity, p.code, p.location])).toEqual([
      ['warning', 'model-unknown', { nodeId: 'cpt', param: 'base_model' }],
      ['warning', 'gpu-product-unknown', { nodeId: 'cpt', field: 'resources.gpuProduct' }],
    ]);
    expect(problems[0].message).toMatch(/^Node "cpt": unknown model "bigscience\/bloom": give a local path with config.json or one of /);
  });
});
