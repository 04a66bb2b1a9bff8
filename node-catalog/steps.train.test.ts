/** cpt, sft and eval with the tiny engine on the sample data (Debian's python3-torch), and engine selection. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FILES } from './scripts.generated.ts';
import { errorLine, makeWorkdir, runStep, TINY_ARGS } from './steps.testkit.ts';
import type { StepResult } from './steps.testkit.ts';

let work: ReturnType<typeof makeWorkdir>;
let cpt: StepResult;
const sample = (name: string): string => join(work.dir, 'samples', name);
const losses = (result: StepResult): number[] => result.metrics.map((m) => m.loss);
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  work = makeWorkdir();
  mkdirSync(join(work.dir, 'samples'));
  for (const [name, text] of Object.entries(SAMPLE_FILES)) writeFileSync(join(work.dir, 'samples', name), text);
  cpt = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '24', '--in-dataset', sample('ko_corpus.jsonl'), '--out-model', 'cpt-model'], { cwd: work.dir });
}, 120_000);
afterAll(() => work.cleanup());

describe('cpt with the tiny engine', () => {
  it('says which engine runs, logs metric lines every logging_steps, and the loss goes down', () => {
    expect(cpt.code, cpt.stderr).toBe(0);
    expect(cpt.infos[0]).toEqual({ engine: 'tiny', reason: 'requested', processes: 1 });
    expect(cpt.metrics.map((m) => m.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    for (const m of cpt.metrics) expect(Object.keys(m).sort()).toEqual(['epoch', 'learning_rate', 'loss', 'processes', 'step', 'tokens_per_second']);
    const curve = losses(cpt);
    expect(curve[0]).toBeGreaterThan(4.5);
    expect(curve.at(-1)!).toBeLessThan(curve[0] - 1);
    expect(cpt.metrics[0].learning_rate).toBeCloseTo(0.003, 6);
    expect(cpt.metrics.at(-1)!.learning_rate).toBeLessThan(0.0005);
    expect(cpt.progress.at(-1)).toEqual({ current: 24, total: 24, label: 'train' });
  });

  it('saves model.pt and a config.json that eval and sft can load', () => {
    expect(existsSync(join(work.dir, 'cpt-model', 'model.pt'))).toBe(true);
    expect(readJson(join(work.dir, 'cpt-model', 'config.json'))).toMatchObject({
      engine: 'tiny', base_model: 'unsloth/Qwen2.5-7B-bnb-4bit', d_model: 64, n_layers: 2, max_seq_length: 48, steps: 24, trained_by: 'cpt',
    });
  });

  it('is deterministic for a seed', async () => {
    const args = [...TINY_ARGS, '--max_steps', '4', '--in-dataset', sample('ko_corpus.jsonl')];
    const [a, b] = await Promise.all([
      runStep(work.script('cpt'), [...args, '--out-model', 'det-a'], { cwd: work.dir }),
      runStep(work.script('cpt'), [...args, '--out-model', 'det-b'], { cwd: work.dir }),
    ]);
    expect(losses(a)).toEqual(losses(b));
    expect(readFileSync(join(work.dir, 'det-a', 'model.pt')).equals(readFileSync(join(work.dir, 'det-b', 'model.pt')))).toBe(true);
  });
});

describe('sft with the tiny engine', () => {
  it('continues the upstream tiny model: same weights at learning rate 0, a lower first loss than a fresh start', async () => {
    const args = [...TINY_ARGS, '--max_steps', '2', '--logging_steps', '1', '--in-dataset', sample('ko_instructions.jsonl')];
    const [continued, fresh, frozen] = await Promise.all([
      runStep(work.script('sft'), [...args, '--engine', 'auto', '--in-model', 'cpt-model', '--out-model', 'sft-model'], { cwd: work.dir }),
      runStep(work.script('sft'), [...args, '--out-model', 'sft-fresh'], { cwd: work.dir }),
      runStep(work.script('sft'), [...args, '--learning_rate', '0', '--in-model', 'cpt-model', '--out-model', 'sft-frozen'], { cwd: work.dir }),
    ]);
    expect(continued.code, continued.stderr).toBe(0);
    expect(continued.infos[0]).toEqual({ engine: 'tiny', reason: 'the input model was trained by the tiny engine', processes: 1 });
    expect(continued.stdout).toContain('tiny engine: continuing from cpt-model');
    expect(losses(continued)[0]).toBeLessThan(losses(fresh)[0]);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(readFileSync(join(work.dir, 'sft-frozen', 'model.pt')).equals(readFileSync(join(work.dir, 'cpt-model', 'model.pt')))).toBe(true);
    expect(readJson(join(work.dir, 'sft-model', 'config.json'))).toMatchObject({ engine: 'tiny', chat_template: 'qwen-2.5', trained_by: 'sft' });
  });

  it('refuses to continue a tiny model with another engine', async () => {
    const result = await runStep(work.script('sft'), ['--engine', 'transformers', '--in-model', 'cpt-model', '--in-dataset', sample('ko_instructions.jsonl'), '--out-model', 'x'], { cwd: work.dir });
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(/trained by the tiny engine; engine transformers cannot continue it/);
  });

  it('refuses a dataset without text or instruction pairs, naming the formats it reads', async () => {
    writeFileSync(join(work.dir, 'labels.jsonl'), '{"sentence": "a", "label": 0}\n');
    const result = await runStep(work.script('sft'), [...TINY_ARGS, '--in-dataset', 'labels.jsonl', '--out-model', 'x'], { cwd: work.dir });
    expect(result.code).toBe(3);
    expect(errorLine(result)).toMatch(/labels\.jsonl:1: an sft record needs text, instruction\/input\/output .*keys: label, sentence/);
  });
});

describe('engine selection', () => {
  it('auto without a GPU, Unsloth or transformers picks tiny and says why', async () => {
    const result = await runStep(work.script('cpt'), [...TINY_ARGS, '--engine', 'auto', '--max_steps', '1', '--in-dataset', sample('ko_test.jsonl'), '--out-model', 'auto-model'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.infos[0]).toEqual({ engine: 'tiny', reason: 'the step has no GPUs and neither Unsloth nor transformers + peft is installed', processes: 1 });
  });

  it.each([
    ['unsloth', /'unsloth'.*pip install unsloth/],
    ['transformers', /'transformers'.*pip install transformers peft/],
  ])('engine %s without the package exits 4 naming it', async (engine, message) => {
    const result = await runStep(work.script('cpt'), ['--engine', engine, '--in-dataset', sample('ko_test.jsonl'), '--out-model', 'x'], { cwd: work.dir });
    expect(result.code).toBe(4);
    expect(errorLine(result)).toMatch(message);
  });

  it('MLFLOW_TRACKING_URI without the mlflow package uses the REST API; a server that is not there gets one warning', async () => {
    const result = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '1', '--in-dataset', sample('ko_test.jsonl'), '--out-model', 'mlflow-model'], {
      cwd: work.dir, env: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:9/', MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: MLflow at http://127.0.0.1:9/ failed while starting the run (GET mlflow/experiments/get-by-name failed 1 time(s)');
  });
});

describe('eval', () => {
  it('writes metrics.json, predictions and KFP executor output with the scalar metrics', async () => {
    const outputFile = join(work.dir, 'kfp', 'executor_output.json');
    const executorInput = {
      inputs: { artifacts: { model: { artifacts: [{ name: 'm', uri: 's3://bucket/sft/model' }] } } },
      outputs: {
        artifacts: { metrics: { artifacts: [{ name: 'runs/1/metrics', type: { schemaTitle: 'system.Metrics', schemaVersion: '0.0.1' }, uri: 's3://bucket/eval/metrics', metadata: {} }] } },
        outputFile,
      },
    };
    const result = await runStep(work.script('eval'), [
      '--max_samples', '6', '--max_new_tokens', '8', '--in-model', 'cpt-model', '--in-dataset', sample('ko_test.jsonl'),
      '--out-metrics', 'eval-out', '--metrics-file', 'metrics/eval.json', '--executor-input', JSON.stringify(executorInput),
    ], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    const metrics = readJson(join(work.dir, 'eval-out', 'metrics.json'));
    expect(metrics).toMatchObject({ samples: 6, metric: 'contains', engine: 'tiny' });
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(metrics.accuracy).toBeLessThanOrEqual(1);
    expect(metrics.perplexity).toBeCloseTo(Math.exp(metrics.loss as number), 1);
    expect(metrics.perplexity).toBeGreaterThan(1);
    expect(readJson(join(work.dir, 'metrics', 'eval.json'))).toEqual(metrics);
    expect(result.metrics.at(-1)).toMatchObject({ step: 6, samples: 6, accuracy: metrics.accuracy, loss: metrics.loss });
    const predictions = readFileSync(join(work.dir, 'eval-out', 'predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(predictions[0]).toMatchObject({ prompt: '대한민국의 수도는 어디인가요?', expected: '서울' });
    expect(predictions).toHaveLength(6);
    const { accuracy, loss, perplexity, samples, correct } = metrics;
    expect(readJson(outputFile)).toEqual({
      artifacts: { metrics: { artifacts: [{ name: 'runs/1/metrics', uri: 's3://bucket/eval/metrics', metadata: { accuracy, loss, perplexity, samples, correct } }] } },
    });
  });

  it('without --out-metrics writes where the KFP executor input puts the artifact', async () => {
    const local = join(work.dir, 'kfp-local', 'metrics');
    const executorInput = { outputs: { artifacts: { metrics: { artifacts: [{ name: 'x', uri: local }] } }, outputFile: join(work.dir, 'kfp-local', 'out.json') } };
    const result = await runStep(work.script('eval'), ['--max_samples', '1', '--max_new_tokens', '2', '--in-model', 'cpt-model', '--in-dataset', sample('ko_test.jsonl'),
      '--executor-input', JSON.stringify(executorInput)], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(local, 'metrics.json'))).toBe(true);
  });

  it('refuses a directory that holds no model', async () => {
    mkdirSync(join(work.dir, 'empty-model'), { recursive: true });
    const result = await runStep(work.script('eval'), ['--in-model', 'empty-model', '--in-dataset', sample('ko_test.jsonl'), '--out-metrics', 'x'], { cwd: work.dir });
    expect(result.code).toBe(3);
    expect(errorLine(result)).toMatch(/empty-model holds no model/);
  });
});
