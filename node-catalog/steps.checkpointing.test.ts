/**
 * gradient_checkpointing reaches the training libraries: Unsloth's use_gradient_checkpointing ("unsloth" or
 * False), transformers' TrainingArguments and peft's k-bit preparation; the tiny engine says it ignores it.
 * Unsloth, transformers and peft are stand-ins with the published signatures (test/fixtures/hf-standins).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_STANDINS, makeTrainingWorkdir, runStep, TINY_ARGS } from './steps.testkit.ts';

interface Call {
  call: string;
  kwargs: Record<string, unknown>;
}

let work: ReturnType<typeof makeTrainingWorkdir>;
let corpus: string;
let runs = 0;

beforeAll(() => {
  work = makeTrainingWorkdir();
  corpus = work.corpus;
});
afterAll(() => work.cleanup());

/** Runs cpt with the stand-ins and returns the library calls it made. */
async function train(engine: string, extra: string[], gpu = true): Promise<Call[]> {
  const log = join(work.dir, `calls-${++runs}.jsonl`);
  const out = join(work.dir, `model-${runs}`);
  mkdirSync(out, { recursive: true });
  const stepArgs = ['--engine', engine, '--max_seq_length', '64', ...extra, '--in-dataset', corpus, '--out-model', out];
  const args = gpu ? ['gpu.py', work.script('cpt'), ...stepArgs] : [work.script('cpt'), ...stepArgs];
  const result = await runStep(args[0], args.slice(1), { cwd: work.dir, env: { PYTHONPATH: HF_STANDINS, STANDIN_LOG: log } });
  expect(result.code, result.stderr).toBe(0);
  return readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Call);
}

const find = (calls: Call[], name: string): Record<string, unknown> => {
  const call = calls.find((c) => c.call === name);
  if (!call) throw new Error(`${name} was not called; calls: ${calls.map((c) => c.call).join(', ')}`);
  return call.kwargs;
};

describe('gradient_checkpointing', () => {
  it('Unsloth: "unsloth" checkpointing by default, off when false, for loading and for the LoRA adapter', async () => {
    const on = await train('unsloth', []);
    expect(find(on, 'unsloth.FastLanguageModel.from_pretrained').use_gradient_checkpointing).toBe('unsloth');
    expect(find(on, 'unsloth.FastLanguageModel.get_peft_model').use_gradient_checkpointing).toBe('unsloth');
    const off = await train('unsloth', ['--gradient_checkpointing', 'false']);
    expect(find(off, 'unsloth.FastLanguageModel.from_pretrained').use_gradient_checkpointing).toBe(false);
    expect(find(off, 'unsloth.FastLanguageModel.get_peft_model').use_gradient_checkpointing).toBe(false);
    // Unsloth's own checkpointing is used: the Trainer is not asked to wrap the model again.
    expect(find(on, 'transformers.TrainingArguments').gradient_checkpointing).toBe(false);
  });

  it('transformers + 4-bit: peft prepares the model with the same choice, non-reentrant', async () => {
    const on = await train('transformers', []);
    expect(find(on, 'transformers.AutoModelForCausalLM.from_pretrained').load_in_4bit).toBe(true);
    expect(find(on, 'peft.prepare_model_for_kbit_training')).toEqual({ use_gradient_checkpointing: true, gradient_checkpointing_kwargs: { use_reentrant: false } });
    expect(find(on, 'transformers.TrainingArguments')).toMatchObject({ gradient_checkpointing: true, gradient_checkpointing_kwargs: { use_reentrant: false } });
    const off = await train('transformers', ['--gradient_checkpointing', 'false']);
    expect(find(off, 'peft.prepare_model_for_kbit_training').use_gradient_checkpointing).toBe(false);
    expect(find(off, 'transformers.TrainingArguments').gradient_checkpointing).toBe(false);
  });

  it('transformers without a GPU (no 4-bit): the Trainer checkpoints when asked', async () => {
    const on = await train('transformers', ['--gradient_checkpointing', 'true'], false);
    expect(on.some((c) => c.call === 'peft.prepare_model_for_kbit_training')).toBe(false);
    expect(find(on, 'transformers.TrainingArguments')).toMatchObject({ gradient_checkpointing: true, gradient_checkpointing_kwargs: { use_reentrant: false } });
  });

  it('the tiny engine says it ignores it', async () => {
    const result = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '1', '--gradient_checkpointing', 'false', '--in-dataset', corpus, '--out-model', 'tiny-out'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/tiny engine: ignoring .*gradient_checkpointing \(GPU-only settings\)/);
  });
});
