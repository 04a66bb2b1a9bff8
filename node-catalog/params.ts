import type { ParamSpec, ParamType, ParamValue } from '../shared/pipeline/types.ts';

/** Shorthand for a parameter spec: name, type, default, titles, help, and the rest. */
export function param(
  name: string,
  type: ParamType,
  def: ParamValue | undefined,
  title: [en: string, ko: string],
  help: [en: string, ko: string],
  extra: Partial<Omit<ParamSpec, 'name' | 'type' | 'default' | 'title' | 'help'>> = {},
): ParamSpec {
  return {
    name,
    type,
    ...(def === undefined ? {} : { default: def }),
    title: { en: title[0], ko: title[1] },
    help: { en: help[0], ko: help[1] },
    ...extra,
  };
}

/**
 * The default image of cpt, sft, eval (and the other GPU steps): built from images/train/Dockerfile
 * (CUDA, PyTorch, Unsloth, TRL, transformers, peft, bitsandbytes, ...). The one place that names it.
 */
export const TRAINING_IMAGE = 'ghcr.io/pipewright/train:0.1.0';
/** The default image of the steps that need only Python's standard library (dataset, preprocess, deploy). */
export const PYTHON_IMAGE = 'python:3.11-slim';

/** Parameters shared by `cpt` and `sft` (Hugging Face / Unsloth spelling). */
export function trainingParams(d: {
  learningRate: number;
  epochs: number;
  batch: number;
  seq: number;
  baseModel: string;
}): ParamSpec[] {
  return [
    param('base_model', 'string', d.baseModel, ['Base model', '기본 모델'], ['Hugging Face model id or a path.', 'Hugging Face 모델 ID 또는 경로.'], { required: true }),
    param('engine', 'enum', 'auto', ['Engine', '엔진'], ['auto picks Unsloth on a GPU, then transformers, then the tiny CPU engine.', 'auto는 GPU에서 Unsloth, 그다음 transformers, 마지막으로 작은 CPU 엔진을 고릅니다.'], { enum: ['auto', 'unsloth', 'transformers', 'tiny'] }),
    param('max_seq_length', 'integer', d.seq, ['Max sequence length', '최대 시퀀스 길이'], ['Tokens per training example.', '학습 예제당 토큰 수.'], { min: 16, max: 131072, unit: 'tokens' }),
    param('load_in_4bit', 'boolean', true, ['Load in 4-bit', '4비트로 로드'], ['QLoRA: quantize the base model to 4 bits.', 'QLoRA: 기본 모델을 4비트로 양자화합니다.']),
    param('lora_r', 'integer', 64, ['LoRA rank', 'LoRA 랭크'], ['Rank r of the LoRA adapters.', 'LoRA 어댑터의 랭크 r.'], { min: 1, max: 1024 }),
    param('lora_alpha', 'integer', 16, ['LoRA alpha', 'LoRA 알파'], ['Scaling of the LoRA update.', 'LoRA 업데이트 배율.'], { min: 1, max: 4096 }),
    param('lora_dropout', 'number', 0.1, ['LoRA dropout', 'LoRA 드롭아웃'], ['Dropout on the LoRA layers.', 'LoRA 층의 드롭아웃.'], { min: 0, max: 1, step: 0.05 }),
    param('target_modules', 'string-list', ['q_proj', 'k_proj', 'v_proj', 'o_proj'], ['Target modules', '대상 모듈'], ['Linear layers that get LoRA adapters.', 'LoRA 어댑터를 붙일 선형 층.']),
    param('learning_rate', 'number', d.learningRate, ['Learning rate', '학습률'], ['Peak learning rate.', '최대 학습률.'], { min: 0, max: 1, step: 1e-6 }),
    param('num_epochs', 'integer', d.epochs, ['Epochs', '에폭'], ['Passes over the data.', '데이터를 몇 번 반복할지.'], { min: 1, max: 1000 }),
    param('per_device_train_batch_size', 'integer', d.batch, ['Batch size per device', '장치당 배치 크기'], ['Examples per GPU per step.', 'GPU 하나가 한 스텝에 처리하는 예제 수.'], { min: 1, max: 4096 }),
    param('gradient_accumulation_steps', 'integer', 4, ['Gradient accumulation', '그래디언트 누적'], ['Steps accumulated before an optimizer update.', '옵티마이저 업데이트 전에 누적할 스텝 수.'], { min: 1, max: 1024 }),
    param('gradient_checkpointing', 'boolean', true, ['Gradient checkpointing', '그래디언트 체크포인팅'], ['Recompute activations in the backward pass instead of keeping them: much less GPU memory, about a third more compute.', '활성값을 보관하지 않고 역전파 때 다시 계산합니다: GPU 메모리는 크게 줄고 계산은 약 3분의 1 늘어납니다.']),
    param('logging_steps', 'integer', 10, ['Logging steps', '로깅 간격'], ['Log metrics every N steps.', 'N 스텝마다 지표를 기록합니다.'], { min: 1, max: 100000, unit: 'steps' }),
    param('save_steps', 'integer', 500, ['Save steps', '저장 간격'], ['Save a checkpoint every N steps.', 'N 스텝마다 체크포인트를 저장합니다.'], { min: 1, max: 1000000, unit: 'steps' }),
    param('precision', 'enum', 'bf16', ['Precision', '정밀도'], ['Mixed-precision type.', '혼합 정밀도 형식.'], { enum: ['fp16', 'bf16'] }),
    param('seed', 'integer', 3407, ['Seed', '시드'], ['Random seed.', '난수 시드.'], { min: 0, max: 2147483647 }),
    param('max_steps', 'integer', 0, ['Max steps', '최대 스텝'], ['Stop after this many steps (0: run all epochs).', '이 스텝 수에서 멈춥니다 (0: 모든 에폭).'], { min: 0, max: 10000000, unit: 'steps' }),
  ];
}
