import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator } from './index.ts';
import { nodesOf, waitFor } from './test-helpers.ts';

const PACKAGE = readFileSync(join(import.meta.dirname, '../golden/kfp/korean-llm.pipeline.yaml'), 'utf8');
const RETRY_PACKAGE = readFileSync(join(import.meta.dirname, '../../../shared/reference/kfp-ir/pipeline_with_retry.yaml'), 'utf8');

interface TaskDetail {
  display_name: string;
  state: string;
  pod_name: string;
  child_tasks: Array<{ pod_name: string }>;
  executor_detail: { failed_main_jobs: string[] };
}

/** The fields these tests read from KFP's answers (pipelines, versions, experiments, runs, lists, errors). */
interface Json {
  [key: string]: unknown;
  pipeline_id: string;
  run_id: string;
  state: string;
  code: number;
  message: string;
  name: string;
  state_history: Array<{ state: string }>;
  error: { message: string };
  run_details: { task_details: TaskDetail[] };
  pipeline_spec: { pipeline_spec: { pipelineInfo: { name: string } }; platform_spec: unknown };
  pipelines: Json[];
  pipeline_versions: Json[];
  experiments: Json[];
}

describe('KFP v2beta1 API through the ml-pipeline service proxy', () => {
  let emulator: KubeEmulator;
  const api = async (path: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${emulator.kfpUrl}/apis/v2beta1${path}`, { ...init, headers: { Authorization: `Bearer ${emulator.token}`, ...(init.headers ?? {}) } });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const upload = (text: string, query: string, endpoint = 'upload') => {
    const form = new FormData();
    form.append('uploadfile', new Blob([text], { type: 'application/x-yaml' }), 'pipeline.yaml');
    return api(`/pipelines/${endpoint}?${query}`, { method: 'POST', body: form });
  };
  const createRun = async (pipelineId: string, name: string, experimentId?: string) =>
    (await api('/runs', { method: 'POST', body: JSON.stringify({ display_name: name, pipeline_version_reference: { pipeline_id: pipelineId }, experiment_id: experimentId, runtime_config: { parameters: {} } }) })).body;
  const waitForState = (runId: string, states: string[], timeoutMs = 20_000) =>
    waitFor(async () => {
      const run = (await api(`/runs/${runId}`)).body;
      return states.includes(run.state) ? run : undefined;
    }, timeoutMs, `run ${runId} to reach ${states.join('|')}`);

  let pipelineId: string;
  beforeAll(async () => {
    emulator = await startKubeEmulator({ timeScale: 0.005 });
    const uploaded = await upload(PACKAGE, 'name=korean-llm&description=smoke');
    expect(uploaded.status).toBe(200);
    pipelineId = uploaded.body.pipeline_id;
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.controller.clearStepBehaviors());

  it('uploads pipelines and versions, refuses a duplicate name, and filters by name', async () => {
    const duplicate = await upload(PACKAGE, 'name=korean-llm');
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe(6);
    const version = await upload(PACKAGE, `name=v2&pipelineid=${pipelineId}`, 'upload_version');
    expect(version.status).toBe(200);
    expect(version.body).toMatchObject({ pipeline_id: pipelineId, name: 'v2', display_name: 'v2' });
    expect(version.body.pipeline_spec.pipeline_spec.pipelineInfo.name).toBe('korean-llm');
    expect(version.body.pipeline_spec.platform_spec).toBeDefined();
    const filter = encodeURIComponent(JSON.stringify({ predicates: [{ operation: 'EQUALS', key: 'name', string_value: 'korean-llm' }] }));
    const listed = await api(`/pipelines?filter=${filter}`);
    expect(listed.body.pipelines.map((p) => p.pipeline_id)).toEqual([pipelineId]);
    const none = await api(`/pipelines?filter=${encodeURIComponent(JSON.stringify({ predicates: [{ operation: 'EQUALS', key: 'name', string_value: 'other' }] }))}`);
    expect(none.body).toMatchObject({ total_size: 0 });
    const versions = await api(`/pipelines/${pipelineId}/versions?sort_by=created_at%20desc`);
    expect(versions.body.pipeline_versions.map((v) => v.name)).toEqual(['v2', 'korean-llm']);
    const bad = await upload('not: [a pipeline', 'name=broken');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('Failed to upload pipeline');
  });

  it('creates experiments and refuses a duplicate display name', async () => {
    const created = await api('/experiments', { method: 'POST', body: JSON.stringify({ display_name: 'pipewright', description: 'runs' }) });
    expect(created.body).toMatchObject({ display_name: 'pipewright', storage_state: 'AVAILABLE' });
    const again = await api('/experiments', { method: 'POST', body: JSON.stringify({ display_name: 'pipewright' }) });
    expect(again.status).toBe(409);
    const filter = encodeURIComponent(JSON.stringify({ predicates: [{ operation: 'EQUALS', key: 'display_name', string_value: 'pipewright' }] }));
    expect((await api(`/experiments?filter=${filter}`)).body.experiments).toHaveLength(1);
    expect((await api('/experiments/nope')).status).toBe(404);
  });

  it('runs a pipeline as KFP does: an Argo Workflow with driver and executor pods, then SUCCEEDED', async () => {
    const run = await createRun(pipelineId, 'run one');
    expect(run.state).toBe('PENDING');
    const wf = emulator.controller.list('workflows', 'kubeflow').find((w) => w.metadata.labels?.['pipeline/runid'] === run.run_id);
    expect(wf?.metadata.name).toMatch(/^korean-llm-[a-z0-9]{5}$/);
    const done = await waitForState(run.run_id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.state_history.map((h) => h.state)).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
    const tasks = done.run_details.task_details;
    expect(tasks.map((t) => t.display_name).sort()).toEqual(['corpus', 'cpt', 'deploy', 'eval', 'instructions', 'ko-bench', 'preprocess', 'sft', 'test-set']);
    const cpt = tasks.find((t) => t.display_name === 'cpt')!;
    expect(cpt.state).toBe('SUCCEEDED');
    expect(cpt.pod_name).toMatch(new RegExp(`^${wf!.metadata.name}-retry-system-container-impl-\\d+$`));
    expect(cpt.child_tasks.map((c) => c.pod_name)).toContain(cpt.pod_name);
    const pod = emulator.controller.get('pods', 'kubeflow', cpt.pod_name)!;
    expect(pod.metadata.labels).toMatchObject({ 'pipeline/runid': run.run_id, 'workflows.argoproj.io/workflow': wf!.metadata.name });
    expect(pod.metadata.annotations?.['workflows.argoproj.io/node-name']).toBe(`${wf!.metadata.name}.root.cpt.executor(0)`);
    const logs = emulator.controller.logLines('kubeflow', cpt.pod_name);
    expect(logs.some((l) => l.startsWith('PIPEWRIGHT_METRIC {"step":1,'))).toBe(true);
    const drivers = emulator.controller.list('pods', 'kubeflow').filter((p) => p.metadata.name.includes('-system-container-driver-'));
    expect(drivers.filter((p) => p.metadata.labels?.['pipeline/runid'] === run.run_id)).toHaveLength(6);
    const corpus = tasks.find((t) => t.display_name === 'corpus')!;
    expect(corpus.pod_name).toMatch(new RegExp(`^${wf!.metadata.name}-system-importer-\\d+$`));
    expect(emulator.controller.get('pods', 'kubeflow', corpus.pod_name)?.metadata.annotations?.['workflows.argoproj.io/node-name']).toBe(`${wf!.metadata.name}.root.corpus`);
  });

  it('maps a failing step to FAILED with downstream tasks never run, and retry runs it again', async () => {
    emulator.controller.setStepBehavior({ step: 'sft' }, { outcome: 'fail', exitCode: 1, afterLines: 5 });
    const run = await createRun(pipelineId, 'failing');
    const failed = await waitForState(run.run_id, ['FAILED', 'SUCCEEDED'], 30_000);
    expect(failed.state).toBe('FAILED');
    expect(failed.error.message).toMatch(/failed/);
    const sft = failed.run_details.task_details.find((t) => t.display_name === 'sft')!;
    expect(sft.state).toBe('FAILED');
    expect(sft.executor_detail.failed_main_jobs).toHaveLength(2);
    const wf = emulator.controller.list('workflows', 'kubeflow').find((w) => w.metadata.labels?.['pipeline/runid'] === run.run_id)!;
    const evalDriver = nodesOf(wf).find((n) => n.displayName === 'eval-driver');
    expect(evalDriver?.phase).toBe('Omitted');

    emulator.controller.clearStepBehaviors();
    const retried = await api(`/runs/${run.run_id}:retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    const after = await waitForState(run.run_id, ['SUCCEEDED', 'FAILED'], 30_000);
    expect(after.state).toBe('SUCCEEDED');
  });

  it('terminates a running run: CANCELING, then CANCELED', async () => {
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 100_000 });
    const run = await createRun(pipelineId, 'to cancel');
    await waitForState(run.run_id, ['RUNNING']);
    await waitFor(() => emulator.controller.list('pods', 'kubeflow').some((p) => p.metadata.labels?.['pipeline/runid'] === run.run_id && p.metadata.name.includes('impl') && p.metadata.annotations?.['workflows.argoproj.io/node-name']?.includes('.cpt.')), 20_000, 'the cpt pod');
    expect((await api(`/runs/${run.run_id}:terminate`, { method: 'POST' })).status).toBe(200);
    const canceled = await waitForState(run.run_id, ['CANCELED']);
    expect(canceled.state_history.map((h) => h.state)).toContain('CANCELED');
    expect((await api(`/runs/${run.run_id}:terminate`, { method: 'POST' })).status).toBe(400);
  });

  it('honours retryPolicy from the IR (retry-system-container-impl with maxRetryCount)', async () => {
    const uploaded = await upload(RETRY_PACKAGE, 'name=retry');
    emulator.controller.setStepBehavior({ step: 'add' }, { attempts: [{ outcome: 'fail' }, { outcome: 'fail' }, { outcome: 'succeed' }] });
    const run = await createRun(uploaded.body.pipeline_id, 'retrying');
    const done = await waitForState(run.run_id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    const add = done.run_details.task_details.find((t) => t.display_name === 'add')!;
    expect(add.executor_detail.failed_main_jobs).toHaveLength(2);
  });

  it('answers unknown ids and bad bodies with KFP errors', async () => {
    expect((await api('/runs/nope')).body).toMatchObject({ code: 5 });
    expect((await api('/runs', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await api('/pipelines/nope')).status).toBe(404);
  });
});
