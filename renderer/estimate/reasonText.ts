/**
 * Why the estimate has no figure, in the UI language. shared/estimate writes its reasons in English (as the
 * validator writes its messages, and the CLI prints them); Korean mode rewrites the ones it knows, keeping
 * the names and paths they carry, and shows any other as written.
 */
import type { Lang } from '../i18n/index.ts';

const KO: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^unknown model ("[^"]*"): give a local path with config\.json or one of (.*) \(Hugging Face and Unsloth names/, (m) => `모델 ${m[1]}을(를) 모릅니다. config.json이 있는 로컬 경로를 쓰거나 다음 중 하나를 쓰세요: ${m[2]} (Hugging Face·Unsloth 이름, -Instruct·-bnb-4bit 포함)`],
  [/^unknown model ("[^"]*"): there is no readable (.*)$/, (m) => `모델 ${m[1]}을(를) 모릅니다. 읽을 수 있는 ${m[2]}이(가) 없습니다`],
  [/^the base model ("[^"]*") is a local path, and its config\.json cannot be read from here$/, (m) => `기본 모델 ${m[1]}은(는) 로컬 경로인데 여기서는 config.json을 읽을 수 없습니다`],
  [/^cannot read (\S+): (.*)$/, (m) => `${m[1]}을(를) 읽을 수 없습니다: ${m[2]}`],
  [/^(.*) describes a mixture-of-experts model \((\d+) experts\), which the estimate does not model$/, (m) => `${m[1]}은(는) 전문가 혼합(MoE) 모델(전문가 ${m[2]}개)이라 추정하지 않습니다`],
  [/^(.*) has no usable (.*)$/, (m) => `${m[1]}에 쓸 수 있는 ${m[2]} 값이 없습니다`],
  [/^(.*) is not a JSON object$/, (m) => `${m[1]}이(가) JSON 객체가 아닙니다`],
  [/^no base model is set$/, () => '기본 모델이 정해지지 않았습니다'],
  [/^its model input does not come from a training step the estimate can follow$/, () => '모델 입력이 추정에서 따라갈 수 있는 학습 단계에서 오지 않습니다'],
  [/^the model comes from the tiny CPU engine$/, () => '모델이 tiny CPU 엔진에서 나옵니다'],
  [/^no dataset is connected$/, () => '데이터셋이 연결되지 않았습니다'],
  [/^the dataset inputs form a loop$/, () => '데이터셋 입력이 순환합니다'],
  [/^the dataset comes from ("[^"]*"), whose output size is unknown before it runs$/, (m) => `데이터셋이 ${m[1]}에서 오는데, 그 출력 크기는 실행 전에는 알 수 없습니다`],
  [/^there is no bundled sample (\S+)$/, (m) => `번들 샘플 ${m[1]}이(가) 없습니다`],
  [/^the size of (.*) is unknown until preprocess has run once \(or use a local file\)$/, (m) => `${m[1]}의 크기는 전처리를 한 번 실행하기 전에는 알 수 없습니다 (또는 로컬 파일을 쓰세요)`],
  [/^max_samples 0 scores every row, and the benchmarks' sizes are unknown before they are read: set max_samples$/, () => 'max_samples 0은 모든 행을 채점하는데, 벤치마크 크기는 읽기 전에는 알 수 없습니다. max_samples를 정하세요'],
];

export function reasonText(reason: string, lang: Lang): string {
  if (lang === 'en') return reason;
  for (const [pattern, ko] of KO) {
    const m = pattern.exec(reason);
    if (m) return ko(m);
  }
  return reason;
}
