import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { param, PYTHON_IMAGE } from '../params.ts';

export const preprocessNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'preprocess',
  category: 'data',
  title: { en: 'Preprocess', ko: '전처리' },
  help: {
    en: 'Korean text cleaning: Unicode NFC, whitespace, ㆍ→·, dedupe, minimum length; writes JSONL.',
    ko: '한국어 텍스트 정제: 유니코드 NFC, 공백 정리, ㆍ→·, 중복 제거, 최소 길이 필터; JSONL로 저장.',
  },
  inputs: [{ name: 'dataset', kind: 'dataset', title: { en: 'Raw data', ko: '원본 데이터' } }],
  outputs: [{ name: 'dataset', kind: 'dataset', title: { en: 'Clean data', ko: '정제된 데이터' } }],
  params: [
    param('text_field', 'string', 'text', ['Text field', '텍스트 필드'], ['JSON field that holds the text.', '텍스트가 들어 있는 JSON 필드.'], { required: true }),
    param('min_chars', 'integer', 10, ['Minimum characters', '최소 글자 수'], ['Drop records shorter than this.', '이보다 짧은 레코드는 버립니다.'], { min: 0, max: 1000000, unit: 'chars' }),
    param('dedupe', 'boolean', true, ['Remove duplicates', '중복 제거'], ['Drop records whose normalised text was seen before.', '정규화한 텍스트가 이미 나온 레코드를 버립니다.']),
    param('normalize', 'boolean', true, ['Normalise Korean text', '한국어 정규화'], ['NFC, whitespace and ㆍ→·.', 'NFC, 공백, ㆍ→·.']),
  ],
  cardParams: ['min_chars', 'dedupe'],
  defaultResources: { cpu: '2', memory: '8Gi' },
  defaultRetries: 1,
  image: PYTHON_IMAGE,
};
