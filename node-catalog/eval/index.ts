import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { EVAL_NEEDS } from '../images.ts';
import { param, TRAINING_IMAGE } from '../params.ts';

export const evalNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'eval',
  category: 'evaluation',
  title: { en: 'Evaluate', ko: '평가' },
  help: {
    en: 'Loss, perplexity and contains-match accuracy of a model on a test set.',
    ko: '테스트 세트에서 모델의 손실, 퍼플렉서티, 포함 일치 정확도를 잽니다.',
  },
  inputs: [
    { name: 'model', kind: 'model', title: { en: 'Model', ko: '모델' } },
    { name: 'dataset', kind: 'dataset', title: { en: 'Test set', ko: '테스트 세트' } },
  ],
  outputs: [{ name: 'metrics', kind: 'metrics', title: { en: 'Metrics', ko: '지표' } }],
  params: [
    param('max_samples', 'integer', 100, ['Max samples', '최대 샘플 수'], ['Examples evaluated at most.', '평가할 최대 예제 수.'], { min: 1, max: 1000000 }),
    param('max_new_tokens', 'integer', 256, ['Max new tokens', '최대 생성 토큰'], ['Tokens generated per answer.', '답변당 생성할 토큰 수.'], { min: 1, max: 32768, unit: 'tokens' }),
    param('metric', 'enum', 'contains', ['Metric', '지표'], ['contains: the expected answer appears in the output (ignoring case); exact: equal after Unicode NFC, collapsing whitespace and trimming.', 'contains: 기대 답이 출력에 포함됨(대소문자 무시); exact: 유니코드 NFC 정규화, 연속 공백 축약, 앞뒤 공백 제거 후 같음.'], { enum: ['contains', 'exact'] }),
  ],
  cardParams: ['max_samples', 'metric'],
  defaultResources: { gpus: 1, gpuResource: 'nvidia.com/gpu', cpu: '8', memory: '50Gi' },
  defaultRetries: 3,
  image: TRAINING_IMAGE,
  imageNeeds: EVAL_NEEDS,
};
