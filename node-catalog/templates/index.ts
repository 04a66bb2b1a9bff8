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
  },
  {
    id: 'korean-llm-smoke',
    title: { en: 'Korean LLM (smoke)', ko: '한국어 LLM (스모크)' },
    description: {
      en: 'The same pipeline with the tiny CPU engine and the bundled Korean samples: runs end to end on this machine in about a minute.',
      ko: '같은 파이프라인을 작은 CPU 엔진과 내장 한국어 샘플로: 이 컴퓨터에서 1분 남짓이면 끝까지 실행됩니다.',
    },
    document: asDocument(koreanLlmSmoke),
  },
];

export function findTemplate(id: string): PipelineTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}

/** A fresh, editable copy of a template's document. */
export function templateDocument(id: string): PipelineDocument | undefined {
  const template = findTemplate(id);
  return template ? structuredClone(template.document) : undefined;
}
