import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { pipelineFromAscii } from '../../test/fixtures/asciiPipeline.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { GIB, gpuProduct } from './gpus.ts';
import { trainingMemory } from './memory.ts';
import { lookupKnownModel } from './models.ts';
import { estimatePipeline, STARTUP_SECONDS } from './pipeline.ts';
import { tokensPerSecond } from './throughput.ts';
import { CHARS_PER_TOKEN, countSampleText } from './tokens.ts';

const template = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, `../../node-catalog/templates/${name}.pipewright.json`), 'utf8')) as PipelineDocument;
const H100 = 'NVIDIA-H100-80GB-HBM3';

/** corpus -> prep -> cpt -> sft -> eval, GPU steps on Unsloth with `gpus` GPUs each. */
function chain(extra: Record<string, object> = {}): PipelineDocument {
  const bench = 'bench' in extra ? '\nsft -> bench:ko-bench' : '';
  return pipelineFromAscii(`corpus:dataset -> prep:preprocess -> cpt -> sft -> eval\nchat:dataset -> sft\ntest:dataset -> eval${bench}`, {
    nodes: {
      corpus: { params: { uri: 'sample://ko_corpus.jsonl' } },
      chat: { params: { uri: 'sample://ko_instructions.jsonl' } },
      test: { params: { uri: 'sample://ko_test.jsonl' } },
      cpt: { params: { engine: 'unsloth', base_model: 'unsloth/Qwen2.5-1.5B-bnb-4bit', num_epochs: 1 }, resources: { gpus: 2 } },
      sft: { params: { engine: 'unsloth', base_model: 'ignored: sft continues the cpt model' }, resources: { gpus: 1 } },
      eval: { resources: { gpus: 1 } },
      ...extra,
    },
  });
}

describe('estimatePipeline', () => {
  it('the Korean template: every GPU step against its own product, tokens unknown for remote data', () => {
    const doc = template('korean-llm');
    delete doc.nodes.find((n) => n.id === 'eval')!.resources!.gpuProduct;
    const e = estimatePipeline(doc, catalog, { defaultGpuProduct: 'NVIDIA-L4' });
    expect(e.nodes.map((n) => [n.id, n.kind, n.gpus, n.gpuProduct, n.verdict, n.model])).toEqual([
      ['cpt', 'training', 4, H100, 'fits', 'Qwen2.5-7B'],
      ['sft', 'training', 2, H100, 'fits', 'Qwen2.5-7B'],
      ['eval', 'inference', 1, 'NVIDIA-L4', 'fits', 'Qwen2.5-7B'],
      ['ko-bench', 'inference', 1, H100, 'fits', 'Qwen2.5-7B'],
    ]);
    expect(e.nodes[3].tokensUnknown).toMatch(/^max_samples 0 scores every row/);
    const cpt = e.nodes[0];
    expect(cpt.gpuProductMemoryGiB).toBe(79.6);
    expect(cpt.tokens).toBeNull();
    expect(cpt.tokensUnknown).toBe('the size of s3://korean-llm-data/corpus/ is unknown until preprocess has run once (or use a local file)');
    expect(e.total).toEqual({ hours: null, gpuHours: null, cost: null });
  });

  it('counts a bundled sample, follows cpt -> sft for the model, and sums the critical path', () => {
    const e = estimatePipeline(chain(), catalog, { defaultGpuProduct: 'NVIDIA-A10G', prices: { 'NVIDIA-A10G': 2 } });
    const [cpt, sft, evaluation] = e.nodes;
    const corpus = countSampleText(catalog.samples!['ko_corpus.jsonl']);
    expect(cpt.tokensSource).toBe('sample');
    // cpt packs the corpus into 4,096-token blocks: a corpus shorter than one block still trains one block.
    expect(cpt.tokens).toBe(Math.max(1, Math.floor(corpus.chars / CHARS_PER_TOKEN / 4096)) * 4096);
    expect(sft.model).toBe('Qwen2.5-1.5B');
    expect(evaluation.model).toBe('Qwen2.5-1.5B');
    for (const n of e.nodes) {
      expect(n.hours).toBeGreaterThan(STARTUP_SECONDS / 3600);
      expect(n.gpuHours).toBeCloseTo(n.hours! * n.gpus, 2);
      expect(n.cost).toBeCloseTo(n.gpuHours! * 2, 1);
    }
    expect(e.criticalPath).toEqual(['cpt', 'sft', 'eval']);
    expect(e.total.hours).toBeCloseTo(cpt.hours! + sft.hours! + evaluation.hours!, 2);
    expect(e.total.gpuHours).toBeCloseTo(cpt.gpuHours! + sft.gpuHours! + evaluation.gpuHours!, 2);
    expect(e.total.cost).toBeCloseTo(cpt.cost! + sft.cost! + evaluation.cost!, 1);
  });

  it('prefers what the last preprocess run counted, and scales time with the tokens', () => {
    const ctx = { defaultGpuProduct: 'NVIDIA-H200', preprocessCounts: { prep: { chars: 300e6, records: 1e6 } } };
    const e = estimatePipeline(chain({ cpt: { params: { engine: 'unsloth', base_model: 'Qwen2.5-7B', load_in_4bit: false, num_epochs: 2 }, resources: { gpus: 4 } } }), catalog, ctx);
    const cpt = e.nodes[0];
    expect(cpt.tokensSource).toBe('preprocess');
    expect(cpt.tokens).toBe(2 * Math.floor(200e6 / 4096) * 4096);
    const setup = { shape: (lookupKnownModel('Qwen2.5-7B') as Extract<ReturnType<typeof lookupKnownModel>, { ok: true }>).shape, fourBit: false, engine: 'unsloth' as const, seq: 4096, batch: 2, gradientCheckpointing: true, loraR: 64, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'], loraDropout: 0.1 };
    const training = cpt.tokens! / (4 * tokensPerSecond(setup, gpuProduct('NVIDIA-H200')!)) / 3600;
    expect(cpt.hours!).toBeGreaterThan(training);
    expect(cpt.hours!).toBeLessThan(training * 1.02 + 0.05);
    expect(cpt.gpuMemoryGiB).toBeCloseTo(trainingMemory(setup).totalBytes / GIB, 2);
  });

  it('takes max_steps over epochs, a local file by its size, and bound parameters by their default', () => {
    const doc = chain({ cpt: { params: { engine: 'unsloth', base_model: { $param: 'model' }, max_steps: 100 }, resources: { gpus: 2 } }, corpus: { params: { uri: '/data/corpus.jsonl' } } });
    doc.parameters = [{ name: 'model', type: 'string', default: 'Llama-3.1-8B' }];
    const e = estimatePipeline(doc, catalog, { defaultGpuProduct: 'NVIDIA-H200', datasetBytes: (uri) => (uri === '/data/corpus.jsonl' ? 4e9 : undefined) });
    expect(e.nodes[0]).toMatchObject({ model: 'Llama-3.1-8B', tokens: 100 * 4 * 2 * 2 * 4096, tokensSource: 'params' });
    const runValue = estimatePipeline(doc, catalog, { defaultGpuProduct: 'NVIDIA-H200', parameterValues: { model: 'Qwen2.5-0.5B' } });
    expect(runValue.nodes[0].model).toBe('Qwen2.5-0.5B');
    const viaFile = estimatePipeline(chain({ corpus: { params: { uri: '/data/corpus.jsonl' } } }), catalog, { defaultGpuProduct: 'NVIDIA-H200', datasetBytes: () => 4e9 });
    expect(viaFile.nodes[0]).toMatchObject({ tokensSource: 'file', tokens: Math.floor(1e9 / 4096) * 4096 });
  });

  it('a product the table lacks, an override for every node, steps off the GPU', () => {
    const unknown = estimatePipeline(chain(), catalog, { defaultGpuProduct: 'NVIDIA-Imaginary' });
    expect(unknown.nodes[0]).toMatchObject({ gpuProduct: 'NVIDIA-Imaginary', gpuProductMemoryGiB: null, verdict: null, hours: null, cost: null });
    expect(unknown.nodes[0].gpuMemoryGiB).toBeGreaterThan(1);
    const override = estimatePipeline(template('korean-llm'), catalog, { gpuProductOverride: 'NVIDIA-A10G' });
    expect(override.nodes.map((n) => n.gpuProduct)).toEqual(['NVIDIA-A10G', 'NVIDIA-A10G', 'NVIDIA-A10G', 'NVIDIA-A10G']);
    expect(estimatePipeline(template('korean-llm-smoke'), catalog, { defaultGpuProduct: H100 }).nodes).toEqual([]);
    const noProduct = estimatePipeline(chain(), catalog, {});
    expect(noProduct.nodes[0]).toMatchObject({ gpuProduct: null, verdict: null, hours: null });
  });

  it('ko-bench by its ports: batched choice rows size the logits, baseline doubles the questions, tasks multiply them', () => {
    const doc = (params: Record<string, unknown>) =>
      estimatePipeline(chain({ bench: { params, resources: { gpus: 1 } } }), catalog, { defaultGpuProduct: 'NVIDIA-H200' }).nodes.find((n) => n.id === 'bench')!;
    const base = { benchmarks: ['kmmlu', 'haerae'], max_samples: 100, num_fewshot: 0, batch_size: 8 };
    const one = doc(base);
    expect(one).toMatchObject({ kind: 'inference', model: 'Qwen2.5-1.5B', tokensSource: 'params' });
    // 200 questions in batches of 8, four choice rows of 512 tokens each.
    expect(one.tokens).toBe(Math.ceil(200 / 8) * 32 * 512);
    expect(doc({ ...base, batch_size: 16 }).gpuMemoryGiB!).toBeGreaterThan(one.gpuMemoryGiB!);
    expect(doc({ ...base, num_fewshot: 5 }).gpuMemoryGiB!).toBeGreaterThan(one.gpuMemoryGiB!);
    expect(doc({ ...base, baseline: true }).tokens).toBe(2 * one.tokens!);
    expect(doc({ ...base, max_samples: 0 })).toMatchObject({ tokens: null, hours: null });
  });

  it('takes the longer of two parallel branches as the critical path', () => {
    const doc = pipelineFromAscii('raw:dataset -> small:cpt\nraw -> big:cpt', {
      nodes: {
        raw: { params: { uri: 'sample://ko_corpus.jsonl' } },
        small: { params: { engine: 'unsloth', base_model: 'Qwen2.5-0.5B', max_steps: 10 }, resources: { gpus: 1 } },
        big: { params: { engine: 'unsloth', base_model: 'Qwen2.5-14B', max_steps: 1000 }, resources: { gpus: 1 } },
      },
    });
    const e = estimatePipeline(doc, catalog, { defaultGpuProduct: 'NVIDIA-H200' });
    expect(e.criticalPath).toEqual(['big']);
    expect(e.total.hours).toBe(e.nodes[1].hours);
    expect(e.total.gpuHours).toBeCloseTo(e.nodes[0].gpuHours! + e.nodes[1].gpuHours!, 3);
  });

  it('reads a local base model through the context and says when it cannot', () => {
    const config = { hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 64, vocab_size: 128256 };
    const doc = chain({ cpt: { params: { engine: 'unsloth', base_model: '/models/mine' }, resources: { gpus: 1 } } });
    const read = estimatePipeline(doc, catalog, { defaultGpuProduct: H100, readModelConfig: (p) => (p === '/models/mine' ? config : undefined) });
    expect(read.nodes[0].model).toBe('/models/mine/config.json');
    const unread = estimatePipeline(doc, catalog, { defaultGpuProduct: H100, readModelConfig: () => undefined });
    expect(unread.nodes[0]).toMatchObject({ gpuMemoryGiB: null, unknown: 'unknown model "/models/mine": there is no readable /models/mine/config.json' });
    expect(unread.nodes[2].unknown).toBe('unknown model "/models/mine": there is no readable /models/mine/config.json');
  });
});
