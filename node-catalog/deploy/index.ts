import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { param, PYTHON_IMAGE } from '../params.ts';

export const deployNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'deploy',
  category: 'serving',
  title: { en: 'Deploy', ko: '배포' },
  help: {
    en: 'Inference Deployment + Service; optional canary rollout (25/50/75 %) gated on success rate and on eval accuracy.',
    ko: '추론용 Deployment + Service; 선택적 카나리 배포 (25/50/75 %), 성공률과 평가 정확도로 통과 여부를 정합니다.',
  },
  inputs: [
    { name: 'model', kind: 'model', title: { en: 'Model', ko: '모델' } },
    { name: 'metrics', kind: 'metrics', optional: true, title: { en: 'Gate metrics', ko: '게이트 지표' } },
  ],
  outputs: [{ name: 'endpoint', kind: 'endpoint', title: { en: 'Endpoint', ko: '엔드포인트' } }],
  params: [
    param('replicas', 'integer', 2, ['Replicas', '레플리카'], ['Serving pods, one GPU each.', '서빙 파드 수 (각 GPU 1개).'], { min: 1, max: 1000 }),
    param('serving_image', 'string', 'vllm/vllm-openai:v0.6.3', ['Serving image', '서빙 이미지'], ['Image of the inference server.', '추론 서버 이미지.'], { required: true }),
    param('min_accuracy', 'number', 0, ['Minimum accuracy', '최소 정확도'], ['Refuse to deploy below this eval accuracy (0 to 1).', '평가 정확도가 이보다 낮으면 배포하지 않습니다 (0~1).'], { min: 0, max: 1, step: 0.01 }),
    param('canary', 'boolean', false, ['Canary rollout', '카나리 배포'], ['Argo Rollout with 25/50/75 % steps and a success-rate analysis.', '25/50/75 % 단계와 성공률 분석이 있는 Argo Rollout.']),
  ],
  cardParams: ['replicas', 'canary'],
  defaultResources: { cpu: '1', memory: '1Gi' },
  defaultRetries: 1,
  image: PYTHON_IMAGE,
};
