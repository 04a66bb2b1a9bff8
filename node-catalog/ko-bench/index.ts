import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { param, TRAINING_IMAGE } from '../params.ts';

const BENCHMARKS = ['kmmlu', 'kobest_boolq', 'kobest_copa', 'kobest_hellaswag', 'kobest_sentineg', 'kobest_wic', 'haerae'];

export const koBenchNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'ko-bench',
  category: 'evaluation',
  title: { en: 'Korean benchmarks', ko: '한국어 벤치마크' },
  help: {
    en: 'KMMLU, KoBEST and HAE-RAE Bench, scored as lm-evaluation-harness scores them (log-likelihood of each choice; acc and acc_norm), per benchmark and per KMMLU category.',
    ko: 'KMMLU, KoBEST, HAE-RAE Bench를 lm-evaluation-harness와 같은 방식(선택지별 로그 우도, acc와 acc_norm)으로 벤치마크별, KMMLU 분야별로 채점합니다.',
  },
  inputs: [{ name: 'model', kind: 'model', title: { en: 'Model', ko: '모델' } }],
  outputs: [{ name: 'metrics', kind: 'metrics', title: { en: 'Scores', ko: '점수' } }],
  params: [
    param('benchmarks', 'string-list', BENCHMARKS, ['Benchmarks', '벤치마크'], ['Benchmarks to score.', '채점할 벤치마크.'], { enum: BENCHMARKS }),
    param('data_uri', 'string', '', ['Data URI', '데이터 URI'], [
      'Folder or URI with <benchmark>/test.jsonl (+ dev.jsonl for few-shot); empty: the Hugging Face hub.',
      '<벤치마크>/test.jsonl(퓨샷용 dev.jsonl 포함)이 있는 폴더나 URI; 비우면 Hugging Face 허브.',
    ]),
    param('num_fewshot', 'integer', 0, ['Few-shot examples', '퓨샷 예제 수'], [
      'Solved examples before each question (the harness\'s --num_fewshot).',
      '각 문제 앞에 넣는 풀이 예제 수 (하네스의 --num_fewshot).',
    ], { min: 0, max: 25 }),
    param('max_samples', 'integer', 0, ['Max samples per task', '과제당 최대 샘플 수'], [
      'Rows scored per task at most (the harness\'s --limit); 0: all.',
      '과제마다 채점할 최대 행 수 (하네스의 --limit); 0이면 전부.',
    ], { min: 0, max: 1000000 }),
    param('baseline', 'boolean', false, ['Score the base model too', '기본 모델도 채점'], [
      'Also score the base model, to show the difference.',
      '기본 모델도 채점해 차이를 보여 줍니다.',
    ]),
    param('batch_size', 'integer', 8, ['Batch size', '배치 크기'], ['Questions scored per forward pass.', '순전파 한 번에 채점할 문제 수.'], { min: 1, max: 1024 }),
  ],
  cardParams: ['benchmarks', 'num_fewshot'],
  defaultResources: { gpus: 1, gpuResource: 'nvidia.com/gpu', cpu: '8', memory: '50Gi' },
  defaultRetries: 3,
  image: TRAINING_IMAGE,
};
