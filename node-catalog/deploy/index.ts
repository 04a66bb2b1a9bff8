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
    param('replicas', 'integer', 4, ['Replicas', '레플리카'], ['Serving pods, one GPU each.', '서빙 파드 수 (각 GPU 1개).'], { min: 1, max: 1000 }),
    param('serving_image', 'string', 'vllm/vllm-openai:v0.6.3', ['Serving image', '서빙 이미지'], ['Image of the inference server.', '추론 서버 이미지.'], { required: true }),
    param('min_accuracy', 'number', 0, ['Minimum accuracy', '최소 정확도'], ['Refuse to deploy below this eval accuracy (0 to 1).', '평가 정확도가 이보다 낮으면 배포하지 않습니다 (0~1).'], { min: 0, max: 1, step: 0.01 }),
    param('max_perplexity', 'number', 0, ['Maximum perplexity', '최대 퍼플렉서티'], ['Refuse to deploy above this eval perplexity (0: no limit). An untrained model scores about its vocabulary size.', '평가 퍼플렉서티가 이보다 높으면 배포하지 않습니다 (0: 제한 없음). 학습하지 않은 모델은 어휘 크기 정도가 나옵니다.'], { min: 0, max: 1e9, step: 1 }),
    param('canary', 'boolean', false, ['Canary rollout', '카나리 배포'], ['Argo Rollout with 25/50/75 % steps and a success-rate analysis.', '25/50/75 % 단계와 성공률 분석이 있는 Argo Rollout.']),
    param('namespace', 'string', 'inference', ['Namespace', '네임스페이스'], ['Namespace the serving objects are applied to.', '서빙 객체를 적용할 네임스페이스.'], { required: true }),
    param('apply', 'boolean', true, ['Apply in the cluster', '클러스터에 적용'], ['In a cluster, apply the manifests and follow the rollout (off: render only). Local runs only render.', '클러스터에서 매니페스트를 적용하고 롤아웃을 따라갑니다 (끄면 렌더링만). 로컬 실행은 렌더링만 합니다.']),
    param('service_type', 'string', 'LoadBalancer', ['Service type', '서비스 유형'], ['Kubernetes Service type.', 'Kubernetes 서비스 유형.'], { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }),
    param('service_port', 'integer', 80, ['Service port', '서비스 포트'], ["Port the Service listens on (forwards to the server's 8000).", '서비스가 받는 포트 (서버의 8000으로 전달).'], { min: 1, max: 65535 }),
    param('pause', 'string', '10m', ['Pause per step', '단계별 일시정지'], ['Pause after each canary weight (Argo duration: 30s, 10m, 1h).', '카나리 비중마다 멈추는 시간 (Argo 기간: 30s, 10m, 1h).']),
    param('analysis_interval', 'string', '2m', ['Analysis interval', '분석 간격'], ['Time between two success-rate measurements.', '성공률 측정 사이의 시간.']),
    param('analysis_count', 'integer', 5, ['Measurements', '측정 횟수'], ['Success-rate measurements per analysis.', '분석 한 번의 성공률 측정 횟수.'], { min: 1, max: 1000 }),
    param('success_rate', 'number', 0.95, ['Success rate', '성공률'], ['Least share of non-5xx requests for a measurement to pass (0 to 1).', '측정이 통과하려면 필요한 5xx가 아닌 요청의 최소 비율 (0~1).'], { min: 0, max: 1, step: 0.01 }),
    param('prometheus_url', 'string', 'http://prometheus.monitoring.svc.cluster.local:9090', ['Prometheus address', 'Prometheus 주소'], ['Prometheus the analysis queries.', '분석이 조회하는 Prometheus.']),
    param('timeout', 'string', '60m', ['Rollout timeout', '롤아웃 제한 시간'], ['Longest wait for the rollout; then it is aborted and the step fails.', '롤아웃을 기다리는 최대 시간; 넘으면 중단하고 단계가 실패합니다.']),
    param('watch_alias', 'string', '', ['Redeploy on alias', '별칭 변경 시 재배포'], ["Keep running and redeploy whenever the registry's version for this alias (e.g. champion) changes; empty: off.", '레지스트리에서 이 별칭(예: champion)의 버전이 바뀔 때마다 다시 배포하며 계속 실행합니다; 비우면 끔.']),
    param('watch_interval', 'string', '5m', ['Registry poll interval', '레지스트리 확인 간격'], ['How often the registry is asked while watching.', '감시 중 레지스트리를 확인하는 간격.']),
  ],
  cardParams: ['replicas', 'canary'],
  defaultResources: { cpu: '1', memory: '1Gi' },
  defaultRetries: 1,
  image: PYTHON_IMAGE,
};
