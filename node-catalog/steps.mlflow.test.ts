/**
 * Steps logging to MLflow over real HTTP: the REST path (no mlflow package) against the stand-in tracking
 * server (test/mlflow-server, held to MLflow's published API), and the mlflow-package path against a stand-in
 * `mlflow` module with the real package's signatures (test/mlflow-python).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowServer } from '../test/mlflow-server/index.ts';
import type { MlflowStandIn } from '../test/mlflow-server/index.ts';
import type { RunRecord as MlflowRunRecord } from '../test/mlflow-server/store.ts';
import { SAMPLE_FILES } from './scripts.generated.ts';
import { makeWorkdir, runStep, TINY_ARGS } from './steps.testkit.ts';
import type { StepResult } from './steps.testkit.ts';

let work: ReturnType<typeof makeWorkdir>;
let server: MlflowStandIn;
const sample = (name: string): string => join(work.dir, 'samples', name);
const FAST_RETRIES = { MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.01' };
const base = (nodeId: string, extra: Record<string, string> = {}) => ({
  MLFLOW_TRACKING_URI: server.url, MLFLOW_EXPERIMENT_NAME: 'korean-llm', PIPEWRIGHT_RUN_ID: 'run-7', PIPEWRIGHT_NODE_ID: nodeId,
  PIPEWRIGHT_PIPELINE: 'korean-llm', ...FAST_RETRIES, ...extra,
});
const mlflowWarnings = (r: StepResult) => r.stderr.split('\n').filter((l) => l.startsWith('warning:') && l.includes('MLflow'));
const runOf = (r: StepResult): MlflowRunRecord => server.tracking.run(r.infos.find((i) => i.mlflow_run_id)!.mlflow_run_id as string);
const history = (run: MlflowRunRecord, key: string) => (run.metrics.get(key) ?? []).map((m) => [m.step, m.value]);
const artifactFiles = (run: MlflowRunRecord, path: string) =>
  [...server.tracking.artifacts.keys()].filter((k) => k.startsWith(`${run.experiment_id}/${run.run_id}/artifacts/${path}/`)).map((k) => k.split('/').at(-1)).sort();

let cpt: StepResult;
let sft: StepResult;

beforeAll(async () => {
  work = makeWorkdir();
  mkdirSync(join(work.dir, 'samples'));
  for (const [name, text] of Object.entries(SAMPLE_FILES)) writeFileSync(join(work.dir, 'samples', name), text);
  server = await startMlflowServer();
  cpt = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '12', '--in-dataset', sample('ko_corpus.jsonl'), '--out-model', 'cpt-model'], { cwd: work.dir, env: base('cpt', { PIPEWRIGHT_PARAMETER_cpt_learning_rate: '0.003' }) });
  sft = await runStep(work.script('sft'), [...TINY_ARGS, '--max_steps', '4', '--in-model', 'cpt-model', '--in-dataset', sample('ko_instructions.jsonl'), '--out-model', 'sft-model'], {
    cwd: work.dir, env: base('sft', { PIPEWRIGHT_REGISTERED_MODEL_NAME: 'korean-llm-7b', PIPEWRIGHT_REGISTER_MODEL: 'true' }),
  });
}, 120_000);
afterAll(async () => {
  await server.close();
  work.cleanup();
});
afterEach(() => server.faults.splice(0));

describe('a training step logs one MLflow run through the REST API', () => {
  it('named {run}-{stage}-{timestamp}, tagged with the run, node, pipeline and pipeline parameters, FINISHED', () => {
    expect(cpt.code, cpt.stderr).toBe(0);
    const run = runOf(cpt);
    expect(run.run_name).toMatch(/^run-7-cpt-\d{8}-\d{6}$/);
    expect(server.tracking.experiment(run.experiment_id).name).toBe('korean-llm');
    expect(Object.fromEntries(run.tags)).toMatchObject({
      'pipewright.run_id': 'run-7', 'pipewright.node_id': 'cpt', 'pipewright.pipeline': 'korean-llm', 'pipewright.step': 'cpt',
      'pipewright.parameter.cpt_learning_rate': '0.003', 'pipewright.engine': 'tiny', 'mlflow.runName': run.run_name, 'mlflow.source.type': 'JOB',
    });
    expect(run.status).toBe('FINISHED');
    expect(run.end_time).toBeGreaterThanOrEqual(run.start_time);
  });

  it('params are the hyperparameters; per-step metrics arrive batched; final metrics at the last step', () => {
    const run = runOf(cpt);
    expect(Object.fromEntries(run.params)).toMatchObject({ learning_rate: '0.003', max_steps: '12', engine: 'tiny', max_seq_length: '48', target_modules: "['q_proj', 'k_proj', 'v_proj', 'o_proj']" });
    const lines = cpt.metrics.map((m) => [m.step, m.loss]);
    expect(history(run, 'loss')).toEqual(lines);
    expect(history(run, 'learning_rate')).toHaveLength(6);
    const batches = server.requests.filter((r) => r.path.endsWith('/runs/log-batch') && (r.body as { run_id: string; metrics?: unknown[] }).run_id === run.run_id && (r.body as { metrics?: unknown[] }).metrics);
    expect(batches.length).toBeLessThan(cpt.metrics.length);
    const final = cpt.infos.findLast((i) => 'final_loss' in i)!;
    expect(history(run, 'final_loss')).toEqual([[12, final.final_loss]]);
    expect(history(run, 'steps')).toEqual([[12, 12]]);
  });

  it('uploads the model folder to the proxied artifact store and prints the link line', () => {
    const run = runOf(cpt);
    expect(artifactFiles(run, 'model')).toEqual(['config.json', 'model.pt']);
    const stored = server.tracking.artifacts.get(`${run.experiment_id}/${run.run_id}/artifacts/model/model.pt`)!;
    expect(stored.equals(readFileSync(join(work.dir, 'cpt-model', 'model.pt')))).toBe(true);
    expect(cpt.infos).toContainEqual({ mlflow_run_id: run.run_id, mlflow_experiment_id: run.experiment_id, mlflow_run_url: `${server.url}/#/experiments/${run.experiment_id}/runs/${run.run_id}` });
    expect(server.registry.models.size === 0 || !server.registry.models.get('korean-llm-7b')?.versions.some((v) => v.run_id === run.run_id)).toBe(true);
  });
});

describe('the node that holds the final model registers it', () => {
  it('a new version from the run artifacts, alias staging and stage Staging; mlflow.json and the link line', () => {
    expect(sft.code, sft.stderr).toBe(0);
    const run = runOf(sft);
    const model = server.registry.get('korean-llm-7b');
    expect(model.versions).toHaveLength(1);
    expect(model.versions[0]).toMatchObject({ version: '1', source: `${run.artifact_uri}/model`, run_id: run.run_id, current_stage: 'Staging', status: 'READY' });
    expect(Object.fromEntries(model.versions[0].tags)).toEqual({ 'pipewright.run_id': 'run-7', 'pipewright.node_id': 'sft' });
    expect(Object.fromEntries(model.aliases)).toEqual({ staging: '1' });
    const url = `${server.url}/#/models/korean-llm-7b/versions/1`;
    expect(sft.infos).toContainEqual({ mlflow_model_name: 'korean-llm-7b', mlflow_model_version: '1', mlflow_model_alias: 'staging', mlflow_model_stage: 'Staging', mlflow_model_url: url });
    expect(JSON.parse(readFileSync(join(work.dir, 'sft-model', 'mlflow.json'), 'utf8'))).toMatchObject({ run_id: run.run_id, registered_model: { name: 'korean-llm-7b', version: '1', url } });
  });

  it('eval logs its scores and outputs, linked to the model run; deploy promotes the version to champion / Production', async () => {
    const evalResult = await runStep(work.script('eval'), ['--max_samples', '3', '--max_new_tokens', '4', '--in-model', 'sft-model', '--in-dataset', sample('ko_test.jsonl'), '--out-metrics', 'eval-out'], { cwd: work.dir, env: base('eval') });
    expect(evalResult.code, evalResult.stderr).toBe(0);
    const run = runOf(evalResult);
    const scores = JSON.parse(readFileSync(join(work.dir, 'eval-out', 'metrics.json'), 'utf8')) as Record<string, number>;
    expect(history(run, 'accuracy')).toEqual([[0, scores.accuracy]]);
    expect(history(run, 'perplexity')).toEqual([[0, scores.perplexity]]);
    expect(Object.fromEntries(run.params)).toEqual({ max_samples: '3', max_new_tokens: '4', metric: 'contains' });
    expect(Object.fromEntries(run.tags)).toMatchObject({ 'pipewright.model_run_id': runOf(sft).run_id, 'pipewright.model_name': 'korean-llm-7b', 'pipewright.model_version': '1' });
    expect(artifactFiles(run, 'outputs')).toEqual(['metrics.json', 'predictions.jsonl']);
    const deploy = await runStep(work.script('deploy'), ['--in-model', 'sft-model', '--in-metrics', 'eval-out', '--out-endpoint', 'endpoint'], { cwd: work.dir, env: base('deploy') });
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(server.registry.version('korean-llm-7b', '1').current_stage).toBe('Production');
    expect(Object.fromEntries(server.registry.get('korean-llm-7b').aliases)).toEqual({ staging: '1', champion: '1' });
    expect(deploy.infos).toContainEqual(expect.objectContaining({ mlflow_model_name: 'korean-llm-7b', mlflow_model_version: '1', mlflow_model_alias: 'champion' }));
    expect(JSON.parse(readFileSync(join(work.dir, 'endpoint', 'endpoint.json'), 'utf8')).model_version).toEqual({ name: 'korean-llm-7b', version: '1' });
    // The inference server gets the registry's version, as the tutorial's MODEL_URI / MODEL_VERSION.
    const deployment = readFileSync(join(work.dir, 'endpoint', 'deployment.yaml'), 'utf8');
    expect(deployment).toMatch(/name: MODEL_URI\s+value: "models:\/korean-llm-7b\/1"\s/);
    expect(deployment).toMatch(/name: MODEL_VERSION\s+value: "?1"?\s/);
  });
});

describe('ko-bench logs one MLflow run of its scores', () => {
  it('final scores per benchmark, KMMLU category, base model and delta, its parameters and output files, linked to the model run', async () => {
    const result = await runStep(work.script('ko-bench'), [
      '--data_uri', 'sample://ko-bench', '--benchmarks', '["kmmlu", "kobest_wic"]', '--baseline', 'true', '--in-model', 'sft-model', '--out-metrics', 'bench-out',
    ], { cwd: work.dir, env: base('ko-bench', { PIPEWRIGHT_SAMPLES_DIR: join(work.dir, 'samples') }) });
    expect(result.code, result.stderr).toBe(0);
    const run = runOf(result);
    const doc = JSON.parse(readFileSync(join(work.dir, 'bench-out', 'metrics.json'), 'utf8'));
    expect(history(run, 'kmmlu/acc')[0][1]).toBeCloseTo(doc.benchmarks.kmmlu.acc, 5);
    expect(history(run, 'kmmlu/humss/acc')[0][1]).toBeCloseTo(doc.benchmarks.kmmlu.categories.HUMSS.acc, 5);
    expect(history(run, 'kobest_wic/f1')[0][1]).toBeCloseTo(doc.benchmarks.kobest_wic.f1, 5);
    expect(history(run, 'base/kobest_wic/acc')[0][1]).toBeCloseTo(doc.baseline.kobest_wic.acc, 5);
    expect(history(run, 'delta/kmmlu/acc')[0][1]).toBeCloseTo(doc.delta.kmmlu.acc, 5);
    expect(Object.fromEntries(run.params)).toMatchObject({ data_uri: 'sample://ko-bench', baseline: 'True', num_fewshot: '0', benchmarks: "['kmmlu', 'kobest_wic']" });
    expect(Object.fromEntries(run.tags)).toMatchObject({ 'pipewright.node_id': 'ko-bench', 'pipewright.model_run_id': runOf(sft).run_id });
    expect(artifactFiles(run, 'outputs')).toEqual(['metrics.json', 'predictions.jsonl']);
    expect(run.status).toBe('FINISHED');
  });
});

describe('when MLflow misbehaves, training goes on', () => {
  const train = (out: string, env: Record<string, string>) =>
    runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '6', '--logging_steps', '1', '--in-dataset', sample('ko_test.jsonl'), '--out-model', out], { cwd: work.dir, env });

  it('a server that is down: the model is trained and one warning line says so', async () => {
    const result = await train('down-model', { ...base('down'), MLFLOW_TRACKING_URI: 'http://127.0.0.1:9' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.metrics).toHaveLength(6);
    expect(mlflowWarnings(result)).toEqual([expect.stringMatching(/^warning: MLflow at http:\/\/127\.0\.0\.1:9 failed while starting the run \(.*failed 5 time\(s\).*\); the step goes on without MLflow logging$/)]);
  });

  it('5xx answers and a dropped connection are retried: nothing is lost', async () => {
    server.faults.push({ count: 2, status: 503, path: '/runs/create' }, { count: 1, status: 500, path: '/runs/log-batch' }, { count: 1, drop: true, path: '/mlflow-artifacts/' });
    const result = await train('retried-model', base('retried'));
    expect(result.code, result.stderr).toBe(0);
    expect(mlflowWarnings(result)).toEqual([]);
    const run = runOf(result);
    expect(history(run, 'loss')).toEqual(result.metrics.map((m) => [m.step, m.loss]));
    expect(artifactFiles(run, 'model')).toEqual(['config.json', 'model.pt']);
    expect(server.requests.filter((r) => r.path.endsWith('/runs/create') && r.status === 503)).toHaveLength(2);
    expect(server.faults.every((f) => f.count === 0)).toBe(true);
  });

  it('a server failing for good mid-run: one warning, no more requests, the step succeeds', async () => {
    server.faults.push({ count: 1000, status: 502, path: '/mlflow-artifacts/' });
    const before = server.requests.length;
    const result = await train('failing-model', base('failing'));
    expect(result.code, result.stderr).toBe(0);
    expect(mlflowWarnings(result)).toEqual([expect.stringMatching(/failed while uploading model \(PUT mlflow-artifacts\/artifacts failed 5 time\(s\), last: HTTP 502/)]);
    const after = server.requests.slice(before);
    expect(after.filter((r) => r.path.includes('/mlflow-artifacts/')).map((r) => r.status)).toEqual([502, 502, 502, 502, 502]);
    expect(after.at(-1)!.path).toContain('/mlflow-artifacts/');
    expect(history(runOf(result), 'loss')).toEqual(result.metrics.map((m) => [m.step, m.loss]));
  });

  it('a step that is not rank 0 does not log', async () => {
    const before = server.requests.length;
    const result = await train('rank1-model', { ...base('rank1'), RANK: '1', LOCAL_RANK: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests.length).toBe(before);
    expect(result.infos.some((i) => i.mlflow_run_id)).toBe(false);
  });
});

describe('other servers and targets', () => {
  it('no proxied artifacts: the model location becomes a tag, and a remote (KFP) location is registered', async () => {
    const s3 = await startMlflowServer({ serveArtifacts: false, artifactRoot: 's3://mlflow-bucket', aliases: false });
    try {
      const outputFile = join(work.dir, 'kfp-out', 'executor_output.json');
      const executorInput = { outputs: { artifacts: { model: { artifacts: [{ name: 'm', uri: 's3://pipelines/run-7/sft/model' }] } }, outputFile } };
      const env = { ...base('sft'), MLFLOW_TRACKING_URI: s3.url, PIPEWRIGHT_REGISTERED_MODEL_NAME: 'm', PIPEWRIGHT_REGISTER_MODEL: 'true' };
      const args = [...TINY_ARGS, '--max_steps', '2', '--in-dataset', sample('ko_instructions.jsonl')];
      const remote = await runStep(work.script('sft'), [...args, '--out-model', 'kfp-model', '--executor-input', JSON.stringify(executorInput)], { cwd: work.dir, env });
      expect(remote.code, remote.stderr).toBe(0);
      const run = [...s3.tracking.runs.values()][0];
      expect(run.tags.get('pipewright.model_location')).toBe('s3://pipelines/run-7/sft/model');
      expect(remote.stdout).toContain('is not proxied by the tracking server, so the model stays at s3://pipelines/run-7/sft/model (tag pipewright.model_location)');
      expect(s3.registry.version('m', '1')).toMatchObject({ source: 's3://pipelines/run-7/sft/model', current_stage: 'Staging' });
      expect(s3.requests.some((r) => r.path.endsWith('/registered-models/alias') && r.status === 404)).toBe(true);
      expect(remote.infos).toContainEqual({ mlflow_model_name: 'm', mlflow_model_version: '1', mlflow_model_stage: 'Staging', mlflow_model_url: `${s3.url}/#/models/m/versions/1` });
      const local = await runStep(work.script('sft'), [...args, '--out-model', 'local-model'], { cwd: work.dir, env });
      expect(local.code).toBe(0);
      expect(mlflowWarnings(local)).toEqual([expect.stringMatching(/model m not registered: it is only on this machine \(.*local-model\) and the tracking server does not proxy artifacts/)]);
      expect(s3.registry.get('m').versions).toHaveLength(1);
    } finally {
      await s3.close();
    }
  });

  it('a token from MLFLOW_TRACKING_TOKEN is sent and never printed; a wrong one fails once, training goes on', async () => {
    const secured = await startMlflowServer({ token: 'tok-123' });
    try {
      const env = { ...base('auth'), MLFLOW_TRACKING_URI: secured.url, MLFLOW_TRACKING_TOKEN: 'tok-123' };
      const ok = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '2', '--in-dataset', sample('ko_test.jsonl'), '--out-model', 'auth-model'], { cwd: work.dir, env });
      expect(ok.code).toBe(0);
      expect(secured.requests.every((r) => r.authorization === 'Bearer tok-123')).toBe(true);
      expect(ok.stdout + ok.stderr).not.toContain('tok-123');
      expect([...secured.tracking.runs.values()]).toHaveLength(1);
      const bad = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '2', '--in-dataset', sample('ko_test.jsonl'), '--out-model', 'auth-model-2'], { cwd: work.dir, env: { ...env, MLFLOW_TRACKING_TOKEN: 'wrong' } });
      expect(bad.code).toBe(0);
      expect(mlflowWarnings(bad)).toEqual([expect.stringMatching(/UNAUTHENTICATED: HTTP 401/)]);
    } finally {
      await secured.close();
    }
  });

  it('DVC: the settings come from params.yaml `_pipewright` when the environment has none', async () => {
    const params = {
      _pipewright: { pipeline: 'korean-llm', mlflow_tracking_uri: server.url, mlflow_experiment_name: 'from-dvc', registered_model_name: 'dvc-model', register_model: ['sft'], parameters: { epochs_scale: 2 } },
      sft: { engine: 'tiny', max_seq_length: 48, per_device_train_batch_size: 8, gradient_accumulation_steps: 1, max_steps: 2, logging_steps: 1 },
    };
    writeFileSync(join(work.dir, 'params.yaml'), JSON.stringify(params));
    const result = await runStep(work.script('sft'), ['--params-file', 'params.yaml', '--params-key', 'sft', '--in-dataset', sample('ko_instructions.jsonl'), '--out-model', 'dvc-model'], { cwd: work.dir, env: FAST_RETRIES });
    expect(result.code, result.stderr).toBe(0);
    const run = runOf(result);
    expect(server.tracking.experiment(run.experiment_id).name).toBe('from-dvc');
    expect(run.run_name).toMatch(/^korean-llm-sft-\d{8}-\d{6}$/);
    expect(run.tags.get('pipewright.parameter.epochs_scale')).toBe('2');
    expect(server.registry.version('dvc-model', '1').run_id).toBe(run.run_id);
  });
});

describe('with the mlflow package in the image', () => {
  it('calls the package API as documented: experiment, run with name and tags, params, metrics by step, artifacts, registry', async () => {
    const calls = join(work.dir, 'mlflow-calls.jsonl');
    const env = { ...base('sft'), PYTHONPATH: resolve(import.meta.dirname, '../test/mlflow-python'), MLFLOW_STANDIN_CALLS: calls, PIPEWRIGHT_REGISTERED_MODEL_NAME: 'pkg-model', PIPEWRIGHT_REGISTER_MODEL: 'true' };
    const result = await runStep(work.script('sft'), [...TINY_ARGS, '--max_steps', '4', '--logging_steps', '2', '--in-dataset', sample('ko_instructions.jsonl'), '--out-model', 'pkg-model'], { cwd: work.dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(mlflowWarnings(result)).toEqual([]);
    const log = readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { call: string; args: Record<string, unknown> });
    const names = log.map((c) => c.call);
    expect(names.slice(0, 5)).toEqual(['set_tracking_uri', 'set_experiment', 'start_run', 'log_params', 'set_tags']);
    expect(log[0].args).toEqual({ uri: server.url });
    expect(log[1].args).toEqual({ experiment_name: 'korean-llm', experiment_id: null });
    expect(log[2].args.run_name).toMatch(/^run-7-sft-\d{8}-\d{6}$/);
    expect(log[2].args.tags).toMatchObject({ 'pipewright.run_id': 'run-7', 'pipewright.node_id': 'sft', 'pipewright.pipeline': 'korean-llm' });
    expect(log.find((c) => c.call === 'log_params')!.args.params).toMatchObject({ learning_rate: '0.003', chat_template: 'qwen-2.5' });
    const byStep = new Map<unknown, string[]>();
    for (const c of log.filter((x) => x.call === 'log_metrics')) byStep.set(c.args.step, [...(byStep.get(c.args.step) ?? []), ...Object.keys(c.args.metrics as object)].sort());
    expect([...byStep]).toEqual([[2, ['epoch', 'learning_rate', 'loss', 'tokens_per_second']], [4, ['epoch', 'final_loss', 'learning_rate', 'loss', 'processes', 'seconds', 'steps', 'tokens_per_second']]]);
    expect(log.find((c) => c.call === 'log_artifacts')!.args).toMatchObject({ artifact_path: 'model', files: ['config.json', 'model.pt'] });
    const runId = (result.infos.find((i) => i.mlflow_run_id)!.mlflow_run_id as string);
    expect(log.find((c) => c.call === 'register_model')!.args).toEqual({ model_uri: `runs:/${runId}/model`, name: 'pkg-model', await_registration_for: 300, tags: { 'pipewright.run_id': 'run-7', 'pipewright.node_id': 'sft' } });
    expect(log.find((c) => c.call === 'MlflowClient.set_registered_model_alias')!.args).toEqual({ name: 'pkg-model', alias: 'staging', version: '1' });
    expect(log.find((c) => c.call === 'MlflowClient.transition_model_version_stage')!.args).toEqual({ name: 'pkg-model', version: '1', stage: 'Staging', archive_existing_versions: true });
    expect(names.at(-1)).toBe('end_run');
    expect(log.at(-1)!.args).toEqual({ status: 'FINISHED' });
  });
});
