/**
 * The ko-bench step from its command line: the tiny engine on the bundled samples (metrics.json, predictions,
 * metric lines, KFP executor output, DVC metrics file), data_uri layouts and refusals that name file, line and
 * keys, and the Hugging Face hub path through a stand-in `datasets` module with load_dataset's published signature.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FILES } from '../scripts.generated.ts';
import { errorLine, makeWorkdir, probeStep, runStep, TINY_ARGS } from '../steps.testkit.ts';
import type { StepResult } from '../steps.testkit.ts';

let work: ReturnType<typeof makeWorkdir>;
let run: StepResult;
const env = () => ({ PIPEWRIGHT_SAMPLES_DIR: join(work.dir, 'samples') });
const readJson = (file: string) => JSON.parse(readFileSync(join(work.dir, file), 'utf8'));
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const write = (path: string, text: string) => {
  mkdirSync(join(work.dir, path, '..'), { recursive: true });
  writeFileSync(join(work.dir, path), text);
};
const bench = (args: string[], extra: Record<string, string> = {}) => runStep(work.script('ko-bench'), ['--in-model', 'model', '--out-metrics', 'out-x', ...args], { cwd: work.dir, env: { ...env(), ...extra } });

const executorInput = (dir: string) => ({
  outputs: { artifacts: { metrics: { artifacts: [{ name: 'runs/1/ko-bench', uri: 's3://bucket/ko-bench/metrics', metadata: {} }] } }, outputFile: join(dir, 'executor_output.json') },
});

beforeAll(async () => {
  work = makeWorkdir();
  mkdirSync(join(work.dir, 'samples'));
  for (const [name, text] of Object.entries(SAMPLE_FILES)) writeFileSync(join(work.dir, 'samples', name), text);
  const cpt = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '3', '--in-dataset', 'samples/ko_corpus.jsonl', '--out-model', 'model'], { cwd: work.dir });
  expect(cpt.code, cpt.stderr).toBe(0);
  run = await runStep(work.script('ko-bench'), [
    '--data_uri', 'sample://ko-bench', '--num_fewshot', '1', '--baseline', 'true', '--in-model', 'model', '--out-metrics', 'out',
    '--metrics-file', 'metrics/ko-bench.json', '--executor-input', JSON.stringify(executorInput(join(work.dir, 'kfp'))),
  ], { cwd: work.dir, env: env() });
}, 120_000);
afterAll(() => work.cleanup());

describe('the tiny engine on the bundled samples', () => {
  it('scores every benchmark for the model and its base, and writes metrics.json, the DVC metrics file and predictions', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.infos[0]).toMatchObject({ engine: 'tiny' });
    const doc = readJson('out/metrics.json');
    expect(doc).toMatchObject({ engine: 'tiny', num_fewshot: 1, data: 'sample://ko-bench', harness: expect.stringContaining('lm-evaluation-harness v0.4.12') });
    const samples = Object.fromEntries(Object.entries(doc.benchmarks as Record<string, { samples: number }>).map(([k, v]) => [k, v.samples]));
    expect(samples).toEqual({ kmmlu: 12, kobest_boolq: 4, kobest_copa: 4, kobest_hellaswag: 3, kobest_sentineg: 4, kobest_wic: 4, haerae: 9 });
    for (const r of Object.values(doc.benchmarks as Record<string, { acc: number }>)) expect(r.acc).toBeGreaterThanOrEqual(0);
    expect(Object.keys(doc.benchmarks.haerae.tasks).sort()).toEqual(['haerae_general_knowledge', 'haerae_history', 'haerae_loan_word']);
    expect(doc.delta.kmmlu.acc).toBeCloseTo(doc.benchmarks.kmmlu.acc - doc.baseline.kmmlu.acc, 6);
    expect(readJson('metrics/ko-bench.json')).toEqual(doc);
    const predictions = readFileSync(join(work.dir, 'out/predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(predictions).toHaveLength(2 * 40);
    expect(predictions[0]).toMatchObject({ model: 'model', benchmark: 'kmmlu', task: 'kmmlu_energy_management' });
    expect(predictions[0].loglikelihoods).toHaveLength(4);
    expect(predictions.at(-1)).toMatchObject({ model: 'base', benchmark: 'haerae' });
  });

  it('reports running accuracy while it scores, then each benchmark\'s final scores, base scores and deltas', () => {
    const kmmlu = run.metrics.filter((m) => 'kmmlu/acc' in m);
    expect(kmmlu.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const doc = readJson('out/metrics.json');
    expect(kmmlu.at(-1)!['kmmlu/acc']).toBeCloseTo(doc.benchmarks.kmmlu.acc, 6);
    expect(kmmlu.at(-1)!['kmmlu/humss/acc']).toBeCloseTo(doc.benchmarks.kmmlu.categories.HUMSS.acc, 6);
    expect(run.metrics.find((m) => 'delta/kobest_copa/acc' in m)).toMatchObject({ step: 4 });
    expect(run.progress.at(-1)).toEqual({ current: 80, total: 80, label: 'ko-bench' });
  });

  it('writes the final scores as KFP executor output metrics', () => {
    const out = readJson('kfp/executor_output.json');
    const metadata = out.artifacts.metrics.artifacts[0].metadata as Record<string, number>;
    const doc = readJson('out/metrics.json');
    expect(metadata['kmmlu/acc']).toBeCloseTo(doc.benchmarks.kmmlu.acc, 6);
    expect(metadata['base/kobest_wic/acc']).toBeCloseTo(doc.baseline.kobest_wic.acc, 6);
    expect(Object.keys(metadata)).toContain('delta/haerae/acc_norm');
    expect(out.artifacts.metrics.artifacts[0].uri).toBe('s3://bucket/ko-bench/metrics');
  });

  it('gives the same scores on a second run (few-shot draws and the model are deterministic)', async () => {
    const again = await bench(['--data_uri', 'sample://ko-bench', '--num_fewshot', '1', '--baseline', 'true', '--out-metrics', 'out-again']);
    expect(again.code, again.stderr).toBe(0);
    expect(readJson('out-again/metrics.json')).toEqual(readJson('out/metrics.json'));
  });
});

describe('data_uri', () => {
  const kmmluRow = { question: '1 + 1 = ?', answer: 2, A: '1', B: '2', C: '3', D: '4', Category: 'Math', 'Human Accuracy': 0.9 };

  it.each<[string, string, string, RegExp]>([
    ['a missing column', 'kmmlu', jsonl([kmmluRow, { ...kmmluRow, answer: undefined }]), /bad1\/kmmlu\/test\.jsonl:2: kmmlu row: missing column 'answer' \(keys found: question, A, B, C, D, Category, Human Accuracy\)/],
    ['an answer out of range', 'kmmlu', jsonl([{ ...kmmluRow, answer: 5 }]), /:1: kmmlu row: column 'answer' is 5, expected 1, 2, 3 or 4 \(A-D\) \(keys found: question, answer, A, B, C, D, Category, Human Accuracy\)/],
    ['an unknown KMMLU subject', 'kmmlu', jsonl([{ ...kmmluRow, Category: 'Astrology' }]), /:1: kmmlu row: column 'Category' is "Astrology", not one of the 45 KMMLU subjects/],
    ['a label out of range', 'kobest_boolq', jsonl([{ paragraph: '가', question: '나?', label: 2 }]), /kobest_boolq row: column 'label' is 2, expected an integer label 0-1/],
    ['a COPA question that is neither 원인 nor 결과', 'kobest_copa', jsonl([{ premise: '가', question: '이유', alternative_1: '나', alternative_2: '다', label: 0 }]), /column 'question' is "이유", expected "원인" or "결과"/],
    ['text where text belongs', 'kobest_wic', jsonl([{ word: 3, context_1: '가', context_2: '나', label: 0 }]), /column 'word' is 3, expected text/],
    ['an answer that is not a choice', 'haerae', jsonl([{ query: '질문?', answer: '(F)' }]), /haerae row: the answer "\(F\)" is not one of the choices \["\(A\)", "\(B\)", "\(C\)", "\(D\)", "\(E\)"\]/],
    ['a line that is not JSON', 'kobest_sentineg', '{"sentence": "좋다", "label": 1}\n{"sentence": 좋다}\n', /kobest_sentineg\/test\.jsonl:2: not valid JSON/],
  ])('refuses %s, naming file, line and keys found', async (_what, benchmark, text, message) => {
    write(`bad1/${benchmark}/test.jsonl`, text);
    const result = await bench(['--data_uri', 'bad1', '--benchmarks', JSON.stringify([benchmark])]);
    expect(result.code).toBe(3);
    expect(errorLine(result)).toMatch(message);
  });

  it.each<[string, string[], number, RegExp]>([
    ['a benchmark folder that is missing', ['--benchmarks', '["kmmlu", "kobest_wic"]'], 3, /data_uri has no kobest_wic\/test\.jsonl \(found in .*layout1: kmmlu, kobest_boolq\)/],
    ['few-shot without dev.jsonl', ['--benchmarks', '["kmmlu"]', '--num_fewshot', '1'], 3, /num_fewshot 1 needs few-shot rows for kmmlu: put them in .*layout1\/kmmlu\/dev\.jsonl \(the harness samples them from the dev split\)/],
    ['more shots than a subject has dev rows', ['--benchmarks', '["kobest_boolq"]', '--num_fewshot', '3'], 3, /kobest_boolq: num_fewshot 3 needs at least 3 few-shot rows, and .*kobest_boolq\/train\.jsonl has 2/],
  ])('refuses %s', async (_what, args, code, message) => {
    write('layout1/kmmlu/test.jsonl', jsonl([kmmluRow]));
    write('layout1/kobest_boolq/test.jsonl', jsonl([{ paragraph: '가', question: '나?', label: 1 }]));
    write('layout1/kobest_boolq/train.jsonl', jsonl([{ paragraph: '다', question: '라?', label: 0 }, { paragraph: '마', question: '바?', label: 1 }]));
    write('layout1/kobest_boolq/dev.jsonl', jsonl([1, 2, 3, 4].map((i) => ({ paragraph: `문단 ${i}`, question: '?', label: 0 }))));
    const result = await bench(['--data_uri', 'layout1', ...args]);
    expect(result.code).toBe(code);
    expect(errorLine(result)).toMatch(message);
  });

  it.each<[string, string, number, RegExp]>([
    ['an http URI', 'https://example.com/bench', 2, /data_uri https:\/\/example\.com\/bench: a folder cannot be read over https; use a path, s3:\/\/, gs:\/\/ or sample:\/\//],
    ['a plain file', 'samples/ko_test.jsonl', 3, /data_uri samples\/ko_test\.jsonl is a file; expected a folder \(or a packed sample folder\)/],
    ['a path that does not exist', 'nowhere', 3, /data_uri not found: nowhere/],
    ['s3 without boto3', 's3://bucket/ko-bench', 4, /reading s3:\/\/ URIs needs the Python package 'boto3'.*pip install boto3/],
    ['gs without google-cloud-storage', 'gs://bucket/ko-bench', 4, /reading gs:\/\/ URIs needs the Python package 'google'.*pip install google-cloud-storage/],
  ])('refuses %s with a clear message', async (_what, uri, code, message) => {
    // boto3 hidden (CI installs Debian's python3-boto3 for the data check's tests): an image without it.
    write('no-boto3/boto3.py', 'raise ImportError("No module named \'boto3\'")\n');
    const result = await bench(['--data_uri', uri], { PYTHONPATH: join(work.dir, 'no-boto3') });
    expect(result.code).toBe(code);
    expect(errorLine(result)).toMatch(message);
  });

  it.each<[string, string, RegExp]>([
    ['an unknown benchmark', '["kmmlu", "mmlu"]', /--benchmarks: expected a list of kmmlu, kobest_boolq, kobest_copa, kobest_hellaswag, kobest_sentineg, kobest_wic, haerae/],
    ['no benchmark at all', '[]', /--benchmarks is empty: choose one or more of kmmlu/],
  ])('refuses %s', async (_what, value, message) => {
    const result = await bench(['--data_uri', 'sample://ko-bench', '--benchmarks', value]);
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(message);
  });

  it('takes KoBEST few-shot rows from train.jsonl (the harness\'s split) before dev.jsonl, and KMMLU\'s from dev.jsonl', () => {
    const pools = (files: Record<string, string>) => {
      rmSync(join(work.dir, 'layout2'), { recursive: true, force: true });
      write('layout2/kobest_boolq/test.jsonl', jsonl([{ paragraph: '가', question: '나?', label: 1 }]));
      for (const [name, paragraph] of Object.entries(files)) write(`layout2/kobest_boolq/${name}`, jsonl([{ paragraph, question: '?', label: 0 }]));
      return probeStep<string[]>('ko-bench', `
import tempfile
tasks = step.load_benchmark_tasks(["kobest_boolq"], "layout2", 1, 0, tempfile.mkdtemp())
result = [r["paragraph"] for r in tasks["kobest_boolq"][0].pool]`, { cwd: work.dir });
    };
    expect(pools({ 'dev.jsonl': '개발 행' })).toEqual(['개발 행']);
    expect(pools({ 'train.jsonl': '학습 행', 'dev.jsonl': '개발 행' })).toEqual(['학습 행']);
  });
});

/** A stand-in for the `datasets` package: load_dataset with the published signature (datasets 3.x/4.x), rows from a fixture. */
const STAND_IN = `
import json, os

def load_dataset(path, name=None, data_dir=None, data_files=None, split=None, cache_dir=None, features=None, download_config=None,
                 download_mode=None, verification_mode=None, keep_in_memory=None, save_infos=False, revision=None, token=None,
                 streaming=False, num_proc=None, storage_options=None, **config_kwargs):
    with open(os.environ["HUB_LOG"], "a") as log:
        log.write(json.dumps([path, name, split, token]) + "\\n")
    rows = json.load(open(os.environ["HUB_ROWS"])).get("%s/%s/%s" % (path, name, split))
    if rows is None:
        raise FileNotFoundError("Dataset '%s' doesn't exist on the Hub or cannot be accessed" % path)
    return rows
`;

describe('data_uri empty: the Hugging Face hub', () => {
  const copa = (i: number) => ({ premise: `전제 ${i}.`, question: '결과', alternative_1: '가', alternative_2: '나', label: i % 2 });
  const haerae = (i: number) => ({ query: `질문 ${i}?`, answer: '(A)' });
  const hub = async (rows: Record<string, unknown[]>, benchmarks: string) => {
    write('hub/datasets/__init__.py', STAND_IN);
    write('hub/rows.json', JSON.stringify(rows));
    rmSync(join(work.dir, 'hub/log.jsonl'), { force: true });
    const result = await bench(['--data_uri', '', '--benchmarks', benchmarks, '--num_fewshot', '1', '--out-metrics', 'out-hub'], {
      PYTHONPATH: join(work.dir, 'hub'), HUB_ROWS: join(work.dir, 'hub/rows.json'), HUB_LOG: join(work.dir, 'hub/log.jsonl'), HF_TOKEN: 'hf_secret_token',
    });
    const calls = readFileSync(join(work.dir, 'hub/log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    return { result, calls };
  };
  const haeraeRows = Object.fromEntries(['general_knowledge', 'history', 'loan_words', 'rare_words', 'standard_nomenclature'].map((c) => [`HAERAE-HUB/HAE_RAE_BENCH/${c}/test`, [haerae(1), haerae(2)]]));

  it('loads each task\'s test split and its few-shot split with HF_TOKEN, as the harness names them', async () => {
    const { result, calls } = await hub({ 'skt/kobest_v1/copa/test': [copa(1), copa(2)], 'skt/kobest_v1/copa/train': [copa(3)], ...haeraeRows }, '["kobest_copa", "haerae"]');
    expect(result.code, result.stderr).toBe(0);
    expect(calls).toEqual([
      ['skt/kobest_v1', 'copa', 'test', 'hf_secret_token'],
      ['skt/kobest_v1', 'copa', 'train', 'hf_secret_token'],
      ...['general_knowledge', 'history', 'loan_words', 'rare_words', 'standard_nomenclature'].map((c) => ['HAERAE-HUB/HAE_RAE_BENCH', c, 'test', 'hf_secret_token']),
    ]);
    const doc = readJson('out-hub/metrics.json');
    expect(doc).toMatchObject({ data: 'huggingface-hub', benchmarks: { kobest_copa: { samples: 2 }, haerae: { samples: 10 } } });
    expect(Object.keys(doc.benchmarks.haerae.tasks)).toHaveLength(5);
    expect(result.stdout + result.stderr).not.toContain('hf_secret_token');
  });

  it('names the dataset, config and split it could not load, and a bad hub row by its place', async () => {
    const missing = await hub({ 'skt/kobest_v1/copa/test': [copa(1)] }, '["kobest_copa"]');
    expect(missing.result.code).toBe(3);
    expect(errorLine(missing.result)).toMatch(/cannot load skt\/kobest_v1 \(copa, split train\) from the Hugging Face hub: FileNotFoundError: .* \(set data_uri to a folder, or give the step HF_TOKEN and network access\)/);
    const bad = await hub({ 'skt/kobest_v1/copa/test': [copa(1), { ...copa(2), label: 7 }], 'skt/kobest_v1/copa/train': [copa(3)] }, '["kobest_copa"]');
    expect(bad.result.code).toBe(3);
    expect(errorLine(bad.result)).toMatch(/skt\/kobest_v1\[copa\]\/test row 2: kobest_copa row: column 'label' is 7, expected an integer label 0-1/);
  });

  it('without the datasets package exits 4 naming it', async () => {
    const result = await bench(['--data_uri', '', '--benchmarks', '["kobest_wic"]']);
    expect(result.code).toBe(4);
    expect(errorLine(result)).toMatch(/loading the benchmarks from the Hugging Face hub \(data_uri is empty\) needs the Python package 'datasets'.*pip install datasets/);
  });
});
