import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { TRAINING_NEEDS } from '../images.ts';
import { TRAINING_IMAGE, trainingParams } from '../params.ts';

export const cptNode: Omit<NodeTypeSpec, 'script'> = {
  type: 'cpt',
  category: 'training',
  title: { en: 'Continued pretraining (CPT)', ko: '지속 사전학습 (CPT)' },
  help: {
    en: 'Continued pretraining of a base model on a Korean corpus with 4-bit LoRA (Unsloth).',
    ko: '한국어 말뭉치로 기본 모델을 4비트 LoRA로 지속 사전학습합니다 (Unsloth).',
  },
  inputs: [{ name: 'dataset', kind: 'dataset', title: { en: 'Corpus', ko: '말뭉치' } }],
  outputs: [
    { name: 'model', kind: 'model', title: { en: 'Model', ko: '모델' } },
    // Final loss, steps, tokens/s and processes: KFP's system.Metrics and DVC's metrics file.
    { name: 'metrics', kind: 'metrics', title: { en: 'Training metrics', ko: '학습 지표' } },
  ],
  params: trainingParams({ learningRate: 1e-5, epochs: 2, batch: 2, seq: 4096, baseModel: 'unsloth/Qwen2.5-7B-bnb-4bit' }),
  cardParams: ['base_model', 'learning_rate', 'num_epochs'],
  defaultResources: { gpus: 4, gpuResource: 'nvidia.com/gpu', cpu: '32', memory: '200Gi' },
  defaultRetries: 2,
  image: TRAINING_IMAGE,
  imageNeeds: TRAINING_NEEDS,
};
