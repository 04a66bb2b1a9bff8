/** Every reason the estimate gives for a missing figure reads in Korean, names and paths kept. */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { estimatePipeline } from '../../shared/estimate/pipeline.ts';
import type { EstimateContext } from '../../shared/estimate/types.ts';
import { pipelineFromAscii } from '../../test/fixtures/asciiPipeline.ts';
import { reasonText } from './reasonText.ts';

const hangul = /[가-힣]/;

function reasons(ascii: string, nodes: Record<string, object>, ctx: EstimateContext = { defaultGpuProduct: 'NVIDIA-H100-80GB-HBM3' }): string[] {
  const e = estimatePipeline(pipelineFromAscii(ascii, { nodes }), catalog, ctx);
  return e.nodes.flatMap((n) => [n.unknown, n.tokensUnknown].filter((r): r is string => r !== undefined));
}

describe('reasons in Korean', () => {
  const gpu = { resources: { gpus: 1 } };
  const cases: [string, string[]][] = [
    ['an unknown hub model', reasons('raw:dataset -> cpt', { raw: { params: { uri: 's3://b/x' } }, cpt: { ...gpu, params: { base_model: 'beomi/Llama-3-Open-Ko-8B' } } })],
    ['a local model folder without config.json', reasons('raw:dataset -> cpt', { raw: { params: { uri: 's3://b/x' } }, cpt: { ...gpu, params: { base_model: './models/none' } } }, { readModelConfig: () => undefined })],
    ['a local model that cannot be read here', reasons('raw:dataset -> cpt', { raw: { params: { uri: 's3://b/x' } }, cpt: { ...gpu, params: { base_model: './models/none' } } }, {})],
    ['a mixture-of-experts config', reasons('raw:dataset -> cpt', { raw: { params: { uri: 's3://b/x' } }, cpt: { ...gpu, params: { base_model: './moe' } } }, { readModelConfig: () => ({ hidden_size: 8, intermediate_size: 8, num_hidden_layers: 2, num_attention_heads: 2, vocab_size: 10, num_local_experts: 8 }) })],
    ['a config missing sizes', reasons('raw:dataset -> cpt', { raw: { params: { uri: 's3://b/x' } }, cpt: { ...gpu, params: { base_model: './bad' } } }, { readModelConfig: () => ({ model_type: 'x' }) })],
    ['a remote dataset before preprocess ran', reasons('raw:dataset -> cpt', { raw: { params: { uri: 's3://b/x' } }, cpt: { ...gpu, params: { base_model: 'Qwen2.5-0.5B' } } })],
    ['max_samples 0', reasons('raw:dataset -> cpt -> bench:ko-bench', { raw: { params: { uri: 'sample://ko_corpus.jsonl' } }, cpt: { ...gpu, params: { base_model: 'Qwen2.5-0.5B' } }, bench: { ...gpu, params: { max_samples: 0 } } })],
  ];

  it.each(cases)('%s', (_name, found) => {
    expect(found.length).toBeGreaterThan(0);
    for (const reason of found) {
      const ko = reasonText(reason, 'ko');
      expect(ko, reason).toMatch(hangul);
      expect(reasonText(reason, 'en')).toBe(reason);
    }
  });

  it('keeps the names and paths it carries; an unknown sentence stays as written', () => {
    expect(reasonText('unknown model "./m": there is no readable ./m/config.json', 'ko')).toBe('모델 "./m"을(를) 모릅니다. 읽을 수 있는 ./m/config.json이(가) 없습니다');
    expect(reasonText('the size of s3://b/x is unknown until preprocess has run once (or use a local file)', 'ko')).toContain('s3://b/x');
    expect(reasonText('something new', 'ko')).toBe('something new');
  });
});
