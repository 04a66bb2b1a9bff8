import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { TRAINING_NEEDS } from '../images.ts';
import { param, TRAINING_IMAGE, trainingParams } from '../params.ts';

export const sftNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'sft',
  category: 'training',
  title: { en: 'Supervised fine-tuning (SFT)', ko: '지도 미세조정 (SFT)' },
  help: {
    en: 'Supervised fine-tuning on instruction data, starting from the base model or an upstream model.',
    ko: '지시문 데이터로 지도 미세조정합니다. 기본 모델 또는 앞 단계의 모델에서 시작합니다.',
  },
  inputs: [
    { name: 'model', kind: 'model', optional: true, title: { en: 'Start model', ko: '시작 모델' } },
    { name: 'dataset', kind: 'dataset', title: { en: 'Instructions', ko: '지시문 데이터' } },
  ],
  outputs: [
    { name: 'model', kind: 'model', title: { en: 'Model', ko: '모델' } },
    // Final loss, steps, tokens/s and processes: KFP's system.Metrics and DVC's metrics file.
    { name: 'metrics', kind: 'metrics', title: { en: 'Training metrics', ko: '학습 지표' } },
  ],
  params: [
    ...trainingParams({ learningRate: 2e-5, epochs: 3, batch: 4, seq: 2048, baseModel: 'unsloth/Qwen2.5-7B-bnb-4bit' }),
    param('chat_template', 'enum', 'qwen-2.5', ['Chat template', '채팅 템플릿'], ['How instruction/response pairs are formatted.', '지시문/응답 쌍의 형식.'], { enum: ['qwen-2.5', 'llama-3', 'chatml', 'alpaca'] }),
  ],
  cardParams: ['learning_rate', 'num_epochs', 'chat_template'],
  defaultResources: { gpus: 2, gpuResource: 'nvidia.com/gpu', cpu: '16', memory: '100Gi' },
  defaultRetries: 2,
  image: TRAINING_IMAGE,
  imageNeeds: TRAINING_NEEDS,
};
