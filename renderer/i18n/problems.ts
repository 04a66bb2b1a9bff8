/** Validator problems in Korean: the validator writes English; Korean mode explains each code and names where. */
import type { ProblemCode } from '../../shared/pipeline/validate.ts';
import type { Problem } from '../../shared/pipeline/types.ts';
import { draftProblemText, isDraftProblem } from '../inspector/fieldDrafts.ts';
import type { Lang } from './index.ts';

const KO: Record<ProblemCode, string> = {
  'name-invalid': '파이프라인 이름이 규칙에 맞지 않습니다 (영문 소문자·숫자·“-”, 글자로 시작, 최대 63자).',
  'pipeline-empty': '파이프라인에 단계가 없습니다.',
  'field-unknown': '이 버전이 모르는 필드입니다 (오타일 수 있음). 무시됩니다.',
  'settings-invalid': '파이프라인 설정 형식이 잘못되었습니다 (네임스페이스, 이미지, 루트, MLflow URI 또는 Pushgateway URL).',
  'secret-env-invalid': '시크릿 환경 변수 항목이 잘못되었습니다 (시크릿 이름, 키, 환경 변수 이름).',
  'secret-env-duplicate': '두 시크릿 항목이 같은 환경 변수를 설정합니다.',
  'node-id-invalid': '단계 ID가 이름 규칙에 맞지 않습니다.',
  'node-id-duplicate': '두 단계가 같은 ID를 씁니다.',
  'node-type-unknown': '카탈로그에 없는 단계 유형입니다.',
  'node-field-invalid': '단계 필드의 형식이 잘못되었습니다.',
  'code-not-allowed': '파이썬 단계가 아닌데 코드를 가지고 있습니다.',
  'python-code-missing': '파이썬 단계에 코드가 없습니다.',
  'interface-not-allowed': '파이썬 단계가 아닌데 자체 포트와 파라미터를 선언합니다.',
  'python-interface-invalid': '파이썬 단계의 포트나 파라미터 선언이 잘못되었습니다 (이름, 종류, 형식, 기본값, 범위, 중복).',
  'retries-invalid': '재시도 횟수는 0에서 10 사이의 정수여야 합니다.',
  'param-unknown': '이 단계 유형에 없는 파라미터입니다.',
  'param-type': '파라미터 값의 형식이 잘못되었습니다.',
  'param-out-of-range': '파라미터 값이 허용 범위를 벗어났습니다.',
  'param-not-in-enum': '파라미터 값이 허용된 선택지가 아닙니다.',
  'param-required': '필수 파라미터에 값이 없습니다.',
  'resources-gpus-invalid': 'GPU 수는 0 이상의 정수여야 합니다.',
  'resources-cpu-invalid': 'CPU는 양의 쿠버네티스 수량이어야 합니다 (예: 32, 500m, 1.5).',
  'resources-memory-invalid': '메모리는 양의 쿠버네티스 수량이어야 합니다 (예: 200Gi, 512Mi).',
  'resources-memory-tiny': '메모리가 1MiB보다 작습니다. “Mi” 대신 “m”(밀리)을 쓴 것 같습니다.',
  'resources-gpu-resource-invalid': 'GPU 리소스 이름이 nvidia.com/gpu 같은 확장 리소스 이름이 아닙니다.',
  'resources-gpu-product-invalid': 'GPU 제품이 올바른 쿠버네티스 레이블 값이 아닙니다.',
  'resources-toleration-invalid': '톨러레이션 형식이 잘못되었습니다 (연산자, 값, 효과, 키).',
  'gpu-resource-missing': 'GPU를 요청하지만 GPU 리소스 이름이 없습니다.',
  'dataset-uri-relative': '데이터셋 URI가 상대 경로라서 실행 위치에 따라 달라집니다.',
  'edge-id-invalid': '연결 ID가 비었거나 너무 길거나 공백을 포함합니다.',
  'edge-id-duplicate': '두 연결이 같은 ID를 씁니다.',
  'edge-node-missing': '연결이 없는 단계에서 시작하거나 없는 단계로 갑니다.',
  'edge-port-missing': '연결이 단계에 없는 포트를 가리킵니다.',
  'edge-kind-mismatch': '연결이 종류가 다른 포트를 잇습니다 (데이터셋, 모델, 지표, 엔드포인트).',
  'input-multiple-sources': '입력 포트 하나에 연결이 둘 이상 들어옵니다.',
  'input-unconnected': '필수 입력 포트가 연결되지 않았습니다.',
  'parameter-invalid': '파이프라인 파라미터 형식이 잘못되었습니다 (이름은 영문 소문자·숫자·“_”, 형식은 number·integer·string·boolean).',
  'parameter-duplicate': '두 파이프라인 파라미터의 이름이 같습니다.',
  'parameter-name-taken': '파이프라인 파라미터 이름이 단계 ID와 같습니다 (DVC params.yaml 최상위에서 겹칩니다).',
  'parameter-value-type': '파이프라인 파라미터 값(기본값 또는 실행 값)이 형식에 맞지 않거나 제어 문자를 포함합니다.',
  'parameter-unused': '어느 단계 파라미터에도 연결되지 않은 파이프라인 파라미터입니다.',
  'param-binding-invalid': '파라미터 연결은 정확히 {"$param": "<이름>"} 형식이어야 합니다.',
  'param-binding-unknown': '없는 파이프라인 파라미터에 연결되어 있습니다.',
  'param-binding-type': '연결된 파이프라인 파라미터의 형식이 단계 파라미터와 맞지 않습니다.',
  'param-binding-not-allowed': '데이터셋 단계의 파라미터는 컴파일할 때 데이터를 가져오는 방법을 정하므로 연결할 수 없습니다.',
  'image-invalid': '단계 이미지가 비었거나 공백 또는 “{{”를 포함합니다.',
  'image-lacks-packages': '단계 이미지에 엔진이 쓰는 파이썬 패키지가 없는 것으로 알려져 있습니다 (예: Unsloth에 PyTorch 기본 이미지).',
  'alerts-invalid': '알림 설정이 잘못되었습니다 (동작은 notify 또는 cancel, enabled는 true/false, 기준값 범위).',
  cycle: '단계들이 서로를 기다리는 순환이 있습니다. 파이프라인은 한 방향으로 흘러야 합니다.',
  'gpu-memory-exceeded': '이 단계는 GPU 하나에 GPU 제품의 메모리보다 많은 메모리가 필요합니다 (추정치). 속성 창의 “GPU 추정” 항목에서 맞추는 방법을 보고 바로 적용할 수 있습니다.',
  'gpu-memory-tight': '이 단계는 GPU 메모리의 90 % 넘게 씁니다 (추정치). 메모리가 조금만 늘어도 멈출 수 있습니다.',
  'model-unknown': '기본 모델이 추정 표에 없고 config.json을 읽을 수 있는 로컬 폴더도 아닙니다. 메모리와 시간을 추정하지 않습니다.',
  'gpu-product-unknown': 'GPU 제품이 추정 표에 없습니다. 메모리 적합 여부와 시간을 확인하지 않습니다.',
};

/** Where a problem is, as a short tag: `cpt · params.learning_rate`. */
export function problemWhere(p: Problem): string {
  const l = p.location;
  const field = l.param ? `params.${l.param}` : l.field;
  return [l.nodeId, l.edgeId, field].filter(Boolean).join(' · ');
}

/** The sentence to show for a problem in the current language. */
export function problemText(p: Problem, lang: Lang): string {
  if (isDraftProblem(p)) return draftProblemText(p.draft, lang);
  if (lang === 'en') return p.message;
  const ko = (KO as Record<string, string>)[p.code];
  if (!ko) return p.message;
  const where = problemWhere(p);
  return where ? `${ko} (${where})` : ko;
}
