import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';

/** A custom step: its ports and parameters come from the node's `interface`, its code from `code`. */
export const pythonNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'python',
  category: 'custom',
  title: { en: 'Python step', ko: '파이썬 단계' },
  help: {
    en: 'Your own Python code. Inputs arrive as --in-<port> paths, outputs go to --out-<port> paths, parameters as --<name>.',
    ko: '직접 작성한 파이썬 코드. 입력은 --in-<포트> 경로, 출력은 --out-<포트> 경로, 파라미터는 --<이름>으로 받습니다.',
  },
  inputs: [],
  outputs: [],
  params: [],
  cardParams: [],
  defaultResources: { cpu: '1', memory: '2Gi' },
  defaultRetries: 0,
  // No type default: a custom step runs in the pipeline's settings.image (else Pipewright's built-in image).
  image: '',
};
