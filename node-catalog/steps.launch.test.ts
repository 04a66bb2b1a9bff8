/**
 * The training launch path: one process per GPU (the tiny engine data-parallel over gloo on CPU), no silent
 * fallback to the tiny engine on a step with GPUs, 10 % warmup on transformers 4.x and 5.x (stand-ins of both
 * signatures), resume from the checkpoint folder, and the tutorial's data formats through sft and eval.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, HF_STANDINS, makeTrainingWorkdir, runStep, TINY_ARGS } from './steps.testkit.ts';

let work: ReturnType<typeof makeTrainingWorkdir>;
let corpus: string;

beforeAll(() => {
  work = makeTrainingWorkdir();
  corpus = work.corpus;
});
afterAll(() => work.cleanup());

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const write = (name: string, lines: unknown[]) => {
  const path = join(work.dir, name);
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
};

describe('one process per GPU', () => {
  it('PIPEWRIGHT_GPUS=2 started plainly: two gloo processes train, rank 0 alone writes the model and the metric lines, which say processes 2', async () => {
    const out = join(work.dir, 'ddp-model');
    const metricsDir = join(work.dir, 'ddp-metrics');
    const result = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '6', '--save_steps', '1000', '--in-dataset', corpus,
      '--out-model', out, '--out-metrics', metricsDir], { cwd: work.dir, env: { PIPEWRIGHT_GPUS: '2' } });
    expect(result.code, result.stderr).toBe(0);
    // Both ranks trained every step, each on its own share.
    expect(result.stdout).toMatch(/process 0 of 2 trained steps 1-6 on \d+ windows/);
    expect(result.stdout).toMatch(/process 1 of 2 trained steps 1-6 on \d+ windows/);
    // One set of metric lines (logging_steps 2, 6 steps), each from rank 0 and saying 2 processes.
    expect(result.metrics.map((m) => m.step)).toEqual([2, 4, 6]);
    for (const m of result.metrics) expect(m.processes).toBe(2);
    expect(result.metrics[2].loss).toBeLessThan(result.metrics[0].loss);
    expect(result.infos[0]).toMatchObject({ engine: 'tiny', processes: 2 });
    expect(result.infos.filter((i) => i.model !== undefined)).toHaveLength(1);
    expect(readdirSync(out).sort()).toEqual(['config.json', 'model.pt']);
    expect(readJson(join(out, 'config.json'))).toMatchObject({ processes: 2, steps: 6 });
    expect(result.infos.findLast((i) => 'final_loss' in i)).toMatchObject({ steps: 6, processes: 2, final_loss: expect.any(Number), tokens_per_second: expect.any(Number) });
    // The final metrics, once: DVC's metrics file.
    expect(readJson(join(metricsDir, 'metrics.json'))).toEqual({ steps: 6, processes: 2, final_loss: result.infos.findLast((i) => 'final_loss' in i)!.final_loss, tokens_per_second: expect.any(Number), seconds: expect.any(Number) });
  });

  it('a failing worker fails the step with its error', async () => {
    const data = write('ddp-odd.jsonl', [{ question_text: 'q', label: 1 }]);
    const result = await runStep(work.script('sft'), [...TINY_ARGS, '--max_steps', '2', '--in-dataset', data,
      '--out-model', join(work.dir, 'never')], { cwd: work.dir, env: { PIPEWRIGHT_GPUS: '2' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('ddp-odd.jsonl:1');
    expect(errorLine(result)).toMatch(/a training process failed \(exit 3\)/);
    expect(existsSync(join(work.dir, 'never'))).toBe(false);
  });
});

describe('final training metrics', () => {
  it("sft writes final loss, steps, tokens/s and processes as KFP's system.Metrics output", async () => {
    const outputFile = join(work.dir, 'sft-kfp', 'executor_output.json');
    const executorInput = {
      outputs: {
        artifacts: {
          model: { artifacts: [{ name: 'm', uri: join(work.dir, 'sft-kfp', 'model') }] },
          metrics: { artifacts: [{ name: 'runs/1/metrics', type: { schemaTitle: 'system.Metrics', schemaVersion: '0.0.1' }, uri: join(work.dir, 'sft-kfp', 'metrics'), metadata: {} }] },
        },
        outputFile,
      },
    };
    const data = write('kfp-sft.jsonl', [{ prompt: '한글날은?', response: '10월 9일' }, { prompt: '수도는?', response: '서울' }]);
    const result = await runStep(work.script('sft'), [...TINY_ARGS, '--max_steps', '3', '--in-dataset', data, '--executor-input', JSON.stringify(executorInput)], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    const written = readJson(outputFile) as { artifacts: { metrics: { artifacts: { name: string; metadata: Record<string, number> }[] } } };
    const metadata = written.artifacts.metrics.artifacts[0].metadata;
    expect(written.artifacts.metrics.artifacts[0].name).toBe('runs/1/metrics');
    expect(metadata).toMatchObject({ steps: 3, processes: 1, final_loss: result.infos.findLast((i) => 'final_loss' in i)!.final_loss });
    expect(metadata.tokens_per_second).toBeGreaterThan(0);
    expect(readJson(join(work.dir, 'sft-kfp', 'metrics', 'metrics.json'))).toMatchObject({ steps: 3, processes: 1 });
    expect(existsSync(join(work.dir, 'sft-kfp', 'model', 'model.pt'))).toBe(true);
  });
});

describe('no silent fallback', () => {
  it('engine auto on a step with GPUs whose image lacks Unsloth and transformers fails before training, naming image, packages and fix', async () => {
    const out = join(work.dir, 'auto-gpu');
    const result = await runStep(work.script('cpt'), ['--max_steps', '2', '--in-dataset', corpus, '--out-model', out],
      { cwd: work.dir, env: { PIPEWRIGHT_GPUS: '4', PIPEWRIGHT_IMAGE: 'pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime' } });
    expect(result.code).toBe(4);
    const line = errorLine(result);
    expect(line).toContain('4 GPUs');
    expect(line).toContain('pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime');
    expect(line).toContain('unsloth, transformers, peft');
    expect(line).toContain('images/train/Dockerfile');
    expect(result.metrics).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('engine auto on a step without GPUs takes the tiny engine and says why', async () => {
    const result = await runStep(work.script('cpt'), [...TINY_ARGS.slice(2), '--max_steps', '2', '--in-dataset', corpus, '--out-model', join(work.dir, 'auto-cpu')],
      { cwd: work.dir, env: { PIPEWRIGHT_GPUS: '0' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.infos[0]).toMatchObject({ engine: 'tiny', processes: 1 });
    expect(String(result.infos[0].reason)).toContain('no GPUs');
  });
});

describe('transformers engine, one process per GPU (stand-ins)', () => {
  const calls = (log: string) => readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { call: string; kwargs: Record<string, unknown> });

  it('rank 1 of 2 loads the whole model on its own GPU, sets DDP for LoRA, and writes nothing', async () => {
    const log = join(work.dir, 'rank1.jsonl');
    const out = join(work.dir, 'rank1-model');
    const result = await runStep('gpu.py', [work.script('cpt'), '--engine', 'transformers', '--max_seq_length', '64', '--max_steps', '4', '--in-dataset', corpus, '--out-model', out],
      { cwd: work.dir, env: { PYTHONPATH: HF_STANDINS, STANDIN_LOG: log, WORLD_SIZE: '2', RANK: '1', LOCAL_RANK: '1' } });
    expect(result.code, result.stderr).toBe(0);
    const c = calls(log);
    expect(c.find((x) => x.call === 'transformers.AutoModelForCausalLM.from_pretrained')!.kwargs.device_map).toEqual({ '': 1 });
    expect(c.find((x) => x.call === 'transformers.TrainingArguments')!.kwargs.ddp_find_unused_parameters).toBe(false);
    expect(result.metrics).toEqual([]);
    expect(result.infos).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('one process spreads the model over the GPUs (device_map auto)', async () => {
    const log = join(work.dir, 'rank0.jsonl');
    const result = await runStep('gpu.py', [work.script('cpt'), '--engine', 'transformers', '--max_seq_length', '64', '--max_steps', '4', '--in-dataset', corpus, '--out-model', join(work.dir, 'rank0-model')],
      { cwd: work.dir, env: { PYTHONPATH: HF_STANDINS, STANDIN_LOG: log } });
    expect(result.code, result.stderr).toBe(0);
    expect(calls(log).find((x) => x.call === 'transformers.AutoModelForCausalLM.from_pretrained')!.kwargs.device_map).toBe('auto');
  });

  it('resumes from the last checkpoint-N in the checkpoint folder', async () => {
    const log = join(work.dir, 'hf-resume.jsonl');
    const ckpt = join(work.dir, 'hf-ckpt');
    mkdirSync(join(ckpt, 'checkpoint-3'), { recursive: true });
    mkdirSync(join(ckpt, 'checkpoint-7'), { recursive: true });
    const result = await runStep('gpu.py', [work.script('cpt'), '--engine', 'transformers', '--max_seq_length', '64', '--max_steps', '9', '--in-dataset', corpus, '--out-model', join(work.dir, 'hf-resume')],
      { cwd: work.dir, env: { PYTHONPATH: HF_STANDINS, STANDIN_LOG: log, PIPEWRIGHT_CHECKPOINT_DIR: ckpt } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`resumed from step 7 (${join(ckpt, 'checkpoint-7')})`);
    expect(calls(log).find((x) => x.call === 'transformers.Trainer.train')!.kwargs.resume_from_checkpoint).toBe(true);
    expect(calls(log).find((x) => x.call === 'transformers.TrainingArguments')!.kwargs.output_dir).toBe(ckpt);
  });
});

describe('warmup', () => {
  const run = async (version: string, extra: string[]) => {
    const log = join(work.dir, `warmup-${version}-${extra.join('')}.jsonl`);
    const out = join(work.dir, `warmup-${version}`);
    mkdirSync(out, { recursive: true });
    const result = await runStep('gpu.py', [work.script('cpt'), '--engine', 'transformers', '--max_seq_length', '64', '--per_device_train_batch_size', '2',
      '--gradient_accumulation_steps', '1', ...extra, '--in-dataset', corpus, '--out-model', out],
    { cwd: work.dir, env: { PYTHONPATH: HF_STANDINS, STANDIN_LOG: log, STANDIN_TRANSFORMERS_VERSION: version } });
    expect(result.code, result.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { call: string; kwargs: Record<string, unknown> });
    return calls.find((c) => c.call === 'transformers.TrainingArguments')!.kwargs;
  };

  it('transformers 4.x takes warmup_ratio 0.1', async () => {
    const args = await run('4', ['--max_steps', '50']);
    expect(args.warmup_ratio).toBe(0.1);
    expect(args.warmup_steps).toBe(0);
  });

  it('transformers 5.x (no warmup_ratio): warmup_steps is 10 % of the optimizer steps', async () => {
    expect((await run('5', ['--max_steps', '50'])).warmup_steps).toBe(5);
    expect((await run('5', ['--max_steps', '7'])).warmup_steps).toBe(1);
    expect('warmup_ratio' in (await run('5', ['--max_steps', '50']))).toBe(false);
  });
});

describe('resume', () => {
  it('with PIPEWRIGHT_CHECKPOINT_DIR the tiny engine saves its state every save_steps and a restart resumes from the last', async () => {
    const ckpt = join(work.dir, 'ckpt');
    const env = { PIPEWRIGHT_CHECKPOINT_DIR: ckpt };
    const first = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '4', '--save_steps', '2', '--in-dataset', corpus, '--out-model', join(work.dir, 'r1')], { cwd: work.dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toContain('resumed from step');
    expect(existsSync(join(ckpt, 'tiny-state.pt'))).toBe(true);
    const second = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '6', '--save_steps', '2', '--in-dataset', corpus, '--out-model', join(work.dir, 'r2')], { cwd: work.dir, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('resumed from step 2');
    expect(second.metrics[0].step).toBe(4);
    expect(second.stdout).toMatch(/trained steps 3-6/);
  });
});

describe("the tutorial's data", () => {
  it('sft trains on text, alpaca, chat and prompt/response records', async () => {
    const data = write('seed-sft.jsonl', [
      { text: '<|im_start|>user\n김치는 무엇인가요?<|im_end|>\n<|im_start|>assistant\n배추로 만든 발효 음식입니다.<|im_end|>' },
      { instruction: '인사말을 써 주세요.', input: '', output: '안녕하세요.' },
      { messages: [{ role: 'user', content: '수도는?' }, { role: 'assistant', content: '서울' }] },
      { prompt: '한글날은?', response: '10월 9일' },
    ]);
    const result = await runStep(work.script('sft'), [...TINY_ARGS, '--max_steps', '2', '--in-dataset', data, '--out-model', join(work.dir, 'seed-sft')], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('sft: 4 examples');
  });

  it('sft refuses any other record, naming the file, the line and the keys found', async () => {
    const data = write('odd-sft.jsonl', [{ text: 'fine' }, { question_text: 'q', label: 1 }]);
    const result = await runStep(work.script('sft'), [...TINY_ARGS, '--in-dataset', data, '--out-model', join(work.dir, 'odd')], { cwd: work.dir });
    expect(result.code).toBe(3);
    expect(errorLine(result)).toContain('odd-sft.jsonl:2');
    expect(errorLine(result)).toContain('keys: label, question_text');
  });

  it('eval reads {"prompt","expected"} records', async () => {
    const model = join(work.dir, 'eval-model');
    const trained = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '2', '--in-dataset', corpus, '--out-model', model], { cwd: work.dir });
    expect(trained.code, trained.stderr).toBe(0);
    const data = write('seed-eval.jsonl', [{ prompt: '대한민국의 수도는?', expected: '서울' }, { prompt: '한글을 만든 왕은?', expected: '세종대왕' }]);
    const result = await runStep(work.script('eval'), ['--max_new_tokens', '4', '--in-model', model, '--in-dataset', data, '--out-metrics', join(work.dir, 'seed-eval')], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    const predictions = readFileSync(join(work.dir, 'seed-eval', 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(predictions.map((p) => p.expected)).toEqual(['서울', '세종대왕']);
  });
});
