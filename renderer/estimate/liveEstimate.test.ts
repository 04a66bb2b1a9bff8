/**
 * The estimate inside the app's validation pass: problems and per-node figures in the store, a fit
 * suggestion applied as one undo step, Settings (product, prices) and local model configs read from
 * the back end feeding the next estimate.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { fitSuggestions } from '../../shared/estimate/suggest.ts';
import type { EstimateInputsRequest } from '../../shared/api/estimate.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { pipelineFromAscii } from '../../test/fixtures/asciiPipeline.ts';
import { problemsNow, startLiveValidation } from '../services/validation.ts';
import { appStore, resetAppStore } from '../store/index.ts';
import { suggestionChanges } from './applySuggestion.ts';

const requests: EstimateInputsRequest[] = [];
vi.mock('../api/client.ts', () => ({
  api: {
    readEstimateInputs: async (request: EstimateInputsRequest) => {
      requests.push(request);
      // Qwen2.5-0.5B's config.json, as a local checkpoint folder holds it.
      const config = { model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true };
      return { modelConfigs: Object.fromEntries(request.modelPaths.map((p) => [p, p.includes('missing') ? { missing: true } : { config }])), datasetBytes: {} };
    },
  },
}));

function cpt(params: Record<string, unknown>, gpuProduct?: string): PipelineDocument {
  return pipelineFromAscii('raw:dataset -> cpt', {
    nodes: { raw: { params: { uri: 'sample://ko_corpus.jsonl' } }, cpt: { params: { engine: 'unsloth', ...params }, resources: { gpus: 1, ...(gpuProduct ? { gpuProduct } : {}) } } },
  });
}

const BIG = { base_model: 'Qwen2.5-7B', load_in_4bit: false, gradient_checkpointing: false, per_device_train_batch_size: 2, gradient_accumulation_steps: 4, max_seq_length: 2048 };
const codes = () => appStore.getState().problems.map((p) => p.code);
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

beforeEach(() => {
  resetAppStore();
  requests.length = 0;
});

describe('the estimate in the validation pass', () => {
  let stop = () => {};
  afterEach(() => stop());

  it('a step that cannot fit: an error on the node, its figures in the store; a suggestion applied fits, and one undo brings the error back', () => {
    appStore.getState().setEstimateSettings({ defaultGpuProduct: 'NVIDIA-A100-SXM4-40GB', gpuPrices: {} });
    appStore.getState().loadDocument(cpt(BIG), '/tmp/p.pipewright.json');
    problemsNow();
    const state = appStore.getState();
    expect(codes()).toContain('gpu-memory-exceeded');
    expect(state.problemCounts.cpt.errors).toBe(1);
    expect(state.estimateById.cpt).toMatchObject({ verdict: 'no-fit', gpuProduct: 'NVIDIA-A100-SXM4-40GB', gpuProductMemoryGiB: 40 });
    expect(state.estimateById.cpt.gpuMemoryGiB).toBeGreaterThan(40);

    const batch = fitSuggestions(state.doc, catalog, state.estimateContext!, 'cpt').find((s) => s.kind === 'batch')!;
    state.dispatch(suggestionChanges('cpt', batch));
    problemsNow();
    const cptNode = appStore.getState().doc.nodes.find((n) => n.id === 'cpt')!;
    expect(cptNode.params).toMatchObject({ per_device_train_batch_size: 1, gradient_accumulation_steps: 8 });
    expect(codes()).not.toContain('gpu-memory-exceeded');
    expect(appStore.getState().estimateById.cpt.verdict).not.toBe('no-fit');
    expect(appStore.getState().estimateById.cpt.gpuMemoryGiB).toBe(batch.gpuMemoryGiB);

    appStore.getState().undo();
    problemsNow();
    expect(appStore.getState().doc.nodes.find((n) => n.id === 'cpt')!.params).toMatchObject({ per_device_train_batch_size: 2, gradient_accumulation_steps: 4 });
    expect(codes()).toContain('gpu-memory-exceeded');
  });

  it('a larger GPU applied sets the node\'s product', () => {
    appStore.getState().setEstimateSettings({ defaultGpuProduct: 'NVIDIA-A100-SXM4-40GB', gpuPrices: {} });
    appStore.getState().loadDocument(cpt(BIG), null);
    problemsNow();
    const state = appStore.getState();
    const product = fitSuggestions(state.doc, catalog, state.estimateContext!, 'cpt').find((s) => s.kind === 'product')!;
    state.dispatch(suggestionChanges('cpt', product));
    problemsNow();
    expect(appStore.getState().doc.nodes.find((n) => n.id === 'cpt')!.resources?.gpuProduct).toBe(product.gpuProduct);
    expect(appStore.getState().estimateById.cpt.gpuProduct).toBe(product.gpuProduct);
  });

  it('Settings: the default product and the prices reach the next estimate without an edit', async () => {
    stop = startLiveValidation(0);
    appStore.getState().setEstimateSettings({ defaultGpuProduct: 'NVIDIA-H100-80GB-HBM3', gpuPrices: {} });
    appStore.getState().loadDocument(cpt({ ...BIG, max_steps: 100 }), null);
    await settle();
    const before = appStore.getState().estimateById.cpt;
    expect(before.gpuProduct).toBe('NVIDIA-H100-80GB-HBM3');
    expect(before.cost).toBeCloseTo(before.gpuHours! * 3.5, 1);
    appStore.getState().setEstimateSettings({ defaultGpuProduct: 'NVIDIA-H100-80GB-HBM3', gpuPrices: { 'NVIDIA-H100-80GB-HBM3': 10 } });
    await settle();
    const after = appStore.getState().estimateById.cpt;
    expect(after.cost).toBeCloseTo(after.gpuHours! * 10, 1);
    appStore.getState().setEstimateSettings({ defaultGpuProduct: null, gpuPrices: {} });
    await settle();
    expect(appStore.getState().estimateById.cpt).toMatchObject({ gpuProduct: null, verdict: null, cost: null });
  });

  it('a local base model: its config.json is asked of the back end once, and the estimate then uses it', async () => {
    stop = startLiveValidation(0);
    appStore.getState().setEstimateSettings({ defaultGpuProduct: 'NVIDIA-L4', gpuPrices: {} });
    appStore.getState().loadDocument(cpt({ base_model: './models/qwen-small' }), '/work/p.pipewright.json');
    await settle();
    expect(requests).toEqual([{ documentPath: '/work/p.pipewright.json', modelPaths: ['./models/qwen-small'], datasetUris: [] }]);
    expect(appStore.getState().estimateById.cpt).toMatchObject({ model: './models/qwen-small/config.json', verdict: 'fits' });
    expect(codes()).not.toContain('model-unknown');
    // An edit elsewhere asks nothing again; a missing folder is a warning at the parameter.
    appStore.getState().dispatch({ type: 'set-param', id: 'cpt', name: 'base_model', value: './models/missing' });
    await settle();
    expect(requests).toHaveLength(2);
    expect(appStore.getState().problems.find((p) => p.code === 'model-unknown')).toMatchObject({ severity: 'warning', location: { nodeId: 'cpt', param: 'base_model' } });
  });

  it('what preprocess counted in an earlier run of the pipeline becomes the tokens, as soon as the run history says so', async () => {
    stop = startLiveValidation(0);
    appStore.getState().setEstimateSettings({ defaultGpuProduct: 'NVIDIA-H100-80GB-HBM3', gpuPrices: {} });
    const doc = pipelineFromAscii('raw:dataset -> prep:preprocess -> cpt', {
      nodes: { raw: { params: { uri: 's3://corpus/ko/' } }, cpt: { params: { engine: 'unsloth', base_model: 'Qwen2.5-7B', max_seq_length: 2048, num_epochs: 1 }, resources: { gpus: 1 } } },
    });
    appStore.getState().loadDocument(doc, '/work/p.pipewright.json');
    await settle();
    expect(appStore.getState().estimateById.cpt).toMatchObject({ tokens: null, hours: null });
    expect(appStore.getState().estimateById.cpt.tokensUnknown).toMatch(/s3:\/\/corpus\/ko\/ is unknown until preprocess has run once/);
    // 30 million characters kept: 20 million tokens at 1.5 characters per token, packed into 2,048-token blocks.
    appStore.getState().setRunsData({
      runs: { r1: { id: 'r1', pipelineName: doc.name, target: 'local', phase: 'succeeded', createdAt: '2026-12-01T00:00:00Z', nodes: { prep: { phase: 'succeeded', lastMetrics: { chars: 30_000_000, kept: 10_000 } } } } },
    });
    await settle();
    const cpt = appStore.getState().estimateById.cpt;
    expect(cpt.tokensSource).toBe('preprocess');
    expect(cpt.tokens).toBe(Math.floor(20_000_000 / 2048) * 2048);
    expect(cpt.hours).toBeGreaterThan(0);
  });

  it('a document with structural errors keeps its estimate (cards, inspector) but adds no estimate problems', () => {
    appStore.getState().setEstimateSettings({ defaultGpuProduct: 'NVIDIA-A100-SXM4-40GB', gpuPrices: {} });
    const doc = cpt(BIG);
    appStore.getState().loadDocument({ ...doc, name: 'Not A Valid Name' }, null);
    problemsNow();
    expect(codes()).toContain('name-invalid');
    expect(codes()).not.toContain('gpu-memory-exceeded');
    expect(appStore.getState().estimateById.cpt.verdict).toBe('no-fit');
  });
});
