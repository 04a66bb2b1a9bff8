/** Pipeline templates offered by "New from template": the Korean LLM pipeline and its CPU smoke variant. */
import type { LocalizedText, PipelineDocument } from '../../shared/pipeline/types.ts';
import koreanLlm from './korean-llm.pipewright.json' with { type: 'json' };
import koreanLlmSmoke from './korean-llm-smoke.pipewright.json' with { type: 'json' };

export interface PipelineTemplate {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  /** A shared copy: take `templateDocument(id)` for one to edit. */
  document: PipelineDocument;
  /** Each node's label in both languages (the document holds the English one); a new document takes the UI's. */
  labels: Readonly<Record<string, LocalizedText>>;
}

// JSON imports widen literal types (e.g. `format`); the template tests validate both documents against the catalog.
const asDocument = (json: unknown): PipelineDocument => json as PipelineDocument;

export const TEMPLATES: readonly PipelineTemplate[] = [
  {
    id: 'korean-llm',
    title: { en: 'Korean LLM: preprocess → CPT → SFT → eval → deploy', ko: '한국어 LLM: 전처리 → CPT → SFT → 평가 → 배포' },
    description: {
      en: 'Qwen2.5-7B in 4-bit with LoRA (r 64, alpha 16, dropout 0.1): continued pretraining on 4 GPUs, SFT on 2, evaluation on 1, and a canary deployment gated on accuracy.',
      ko: 'Qwen2.5-7B 4비트 + LoRA (r 64, alpha 16, dropout 0.1): GPU 4장으로 지속 사전학습, 2장으로 SFT, 1장으로 평가, 정확도로 통과 여부를 정하는 카나리 배포.',
    },
    document: asDocument(koreanLlm),
    labels: {
      corpus: { en: 'Korean corpus', ko: '한국어 말뭉치' },
      preprocess: { en: 'Clean Korean text', ko: '한국어 텍스트 정제' },
      cpt: { en: 'CPT Qwen2.5-7B', ko: '지속 사전학습 Qwen2.5-7B' },
      instructions: { en: 'Korean instructions', ko: '한국어 지시문' },
      sft: { en: 'SFT (chat)', ko: '지도 미세조정 (대화)' },
      'test-set': { en: 'Korean test set', ko: '한국어 테스트 세트' },
      eval: { en: 'Evaluate', ko: '평가' },
      'ko-bench': { en: 'Korean benchmarks', ko: '한국어 벤치마크' },
      deploy: { en: 'Serve (canary)', ko: '서빙 (카나리)' },
    },
  },
  {
    id: 'korean-llm-smoke',
    title: { en: 'Korean LLM (smoke)', ko: '한국어 LLM (스모크)' },
    description: {
      en: 'The same pipeline with the tiny CPU engine and the bundled Korean samples: runs end to end on this machine in about a minute.',
      ko: '같은 파이프라인을 작은 CPU 엔진과 내장 한국어 샘플로: 이 컴퓨터에서 1분 남짓이면 끝까지 실행됩니다.',
    },
    document: asDocument(koreanLlmSmoke),
    labels: {
      corpus: { en: 'Sample corpus', ko: '샘플 말뭉치' },
      preprocess: { en: 'Clean Korean text', ko: '한국어 텍스트 정제' },
      cpt: { en: 'CPT (tiny)', ko: '지속 사전학습 (소형)' },
      instructions: { en: 'Sample instructions', ko: '샘플 지시문' },
      sft: { en: 'SFT (tiny)', ko: '지도 미세조정 (소형)' },
      'test-set': { en: 'Sample test set', ko: '샘플 테스트 세트' },
      eval: { en: 'Evaluate', ko: '평가' },
      'ko-bench': { en: 'Korean benchmarks (samples)', ko: '한국어 벤치마크 (샘플)' },
      deploy: { en: 'Render serving manifests', ko: '서빙 매니페스트 생성' },
    },
  },
];

export function findTemplate(id: string): PipelineTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** A fresh, editable copy of a template's document, its node labels in `lang` (default English, as in the file). */
export function templateDocument(id: string, lang: 'en' | 'ko' = 'en'): PipelineDocument | undefined {
  const template = findTemplate(id);
  if (!template) return undefined;
  const doc = structuredClone(template.document);
  for (const node of doc.nodes) {
    const label = template.labels[node.id]?.[lang];
    if (label) node.label = label;
  }
  return doc;
}
