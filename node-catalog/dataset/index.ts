import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { param, PYTHON_IMAGE } from '../params.ts';

export const datasetNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'dataset',
  category: 'data',
  title: { en: 'Dataset', ko: '데이터셋' },
  help: {
    en: 'A corpus or instruction set at a URI or path (s3://, gs://, https://, or a local path).',
    ko: 'URI 또는 경로에 있는 말뭉치나 지시문 데이터 (s3://, gs://, https:// 또는 로컬 경로).',
  },
  inputs: [],
  outputs: [{ name: 'dataset', kind: 'dataset', title: { en: 'Dataset', ko: '데이터셋' } }],
  params: [
    param('uri', 'string', undefined, ['URI', 'URI'], ['Where the data is: s3://, gs://, https:// or a path.', '데이터 위치: s3://, gs://, https:// 또는 경로.'], { required: true }),
    param('format', 'enum', 'jsonl', ['Format', '형식'], ['File format of the data.', '데이터 파일 형식.'], { enum: ['jsonl', 'text', 'parquet'] }),
  ],
  cardParams: ['uri', 'format'],
  defaultResources: {},
  defaultRetries: 0,
  image: PYTHON_IMAGE,
  importer: true,
};
