import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator } from './index.ts';
import { nodesOf, waitFor } from './test-helpers.ts';

const PACKAGE = readFileSync(join(import.meta.dirname, '../golden/kfp/korean-llm.pipeline.yaml'), 'utf8');
const RETRY_PACKAGE = readFileSync(join(import.meta.dirname, '../../../shared/reference/kfp-ir/pipeline_with_retry.yaml'), 'utf8');

interface TaskDetail {
  task_id: string;
  display_name: string;
  state?: string;
  child_tasks?: Array<{ pod_name: string }>;
  pod_name?: string;
  executor_detail?: unknown;
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
    expect(duplicate.body).toEqual({ error_message: 'Failed to create a pipeline and a pipeline version', error_details: 'Failed to create a pipeline and a pipeline version' });
    const version = await upload(PACKAGE, `name=v2&pipelineid=${pipelineId}`, 'upload_version');
    expect(version.status).toBe(200);
    expect(version.body).toMatchObject({ pipeline_id: pipelineId, name: 'v2', display_name: 'v2' });
    expect(version.body.pipeline_spec.pipeline_spec.pipelineInfo.name).toBe('korean-llm');
    expect(version.body.pipeline_spec.platform_spec).toBeDefined();
    const filter = encodeURIComponent(JSON.stringify({ predicates: [{ operation: 'EQUALS', key: 'name', string_value: 'korean-llm' }] }));
    const listed = await api(`/pipelines?filter=${filter}`);
    expect(listed.body.pipelines.map((p) => p.pipeline_id)).toEqual([pipelineId]);
    const none = await api(`/pipelines?filter=${encodeURIComponent(JSON.stringify({ predicates: [{ operation: 'EQUALS', key: 'name', string_value: 'other' }] }))}`);
    // protojson leaves zero values and empty lists out.
    expect(none.body).toEqual({});
    const versions = await api(`/pipelines/${pipelineId}/versions?sort_by=created_at%20desc`);
    expect(versions.body.pipeline_versions.map((v) => v.name)).toEqual(['v2', 'korean-llm']);
    const bad = await upload('not: [a pipeline', 'name=broken');
    expect(bad.status).toBe(400);
    expect(bad.body.error_message).toMatch(/^failed to parse pipeline spec YAML: /);
    expect(bad.body.code).toBeUndefined();
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
    // As the persistence agent stores them: one task per Argo node (root DAG and drivers included),
    // children by node id, no pod names or executor details.
    const tasks = done.run_details.task_details;
    const nodes = nodesOf(emulator.controller.get('workflows', 'kubeflow', wf!.metadata.name));
    expect(tasks).toHaveLength(nodes.length);
    const names = tasks.map((t) => t.display_name);
    for (const name of ['corpus', 'cpt', 'cpt-driver', 'deploy', 'eval', 'instructions', 'ko-bench', 'preprocess', 'sft', 'test-set', 'root', 'root-driver', wf!.metadata.name]) expect(names).toContain(name);
    expect(tasks.every((t) => t.pod_name === undefined && t.executor_detail === undefined)).toBe(true);
    const cptDag = nodes.find((n) => n.displayName === 'cpt' && n.type === 'DAG')!;
    const cpt = tasks.find((t) => t.display_name === 'cpt')!;
    expect(cpt.state).toBe('SUCCEEDED');
    expect(cpt.child_tasks?.map((c) => c.pod_name)).toEqual(cptDag.children);
    const executorNode = nodes.find((n) => n.name === `${wf!.metadata.name}.root.cpt.executor(0)`)!;
    const podName = `${wf!.metadata.name}-retry-system-container-impl-${executorNode.id.split('-').at(-1)}`;
    const pod = emulator.controller.get('pods', 'kubeflow', podName)!;
    expect(pod.metadata.labels).toMatchObject({ 'pipeline/runid': run.run_id, 'workflows.argoproj.io/workflow': wf!.metadata.name });
    expect(pod.metadata.annotations?.['workflows.argoproj.io/node-name']).toBe(executorNode.name);
    const logs = emulator.controller.logLines('kubeflow', podName);
    expect(logs.some((l) => l.startsWith('PIPEWRIGHT_METRIC {"step":1,'))).toBe(true);
    const drivers = emulator.controller.list('pods', 'kubeflow').filter((p) => p.metadata.name.includes('-system-container-driver-'));
    expect(drivers.filter((p) => p.metadata.labels?.['pipeline/runid'] === run.run_id)).toHaveLength(6);
    expect(tasks.find((t) => t.display_name === 'corpus')?.state).toBe('SUCCEEDED');
    // No failure, so no error field: the real server sets none even for failed runs.
    expect(done.error).toBeUndefined();
  });

  it('maps a failing step to FAILED with downstream tasks never run, and retry runs it again', async () => {
    emulator.controller.setStepBehavior({ step: 'sft' }, { outcome: 'fail', exitCode: 1, afterLines: 5 });
    const run = await createRun(pipelineId, 'failing');
    const failed = await waitForState(run.run_id, ['FAILED', 'SUCCEEDED'], 30_000);
    expect(failed.state).toBe('FAILED');
    expect(failed.error).toBeUndefined();
    const sft = failed.run_details.task_details.find((t) => t.display_name === 'sft')!;
    expect(sft.state).toBe('FAILED');
    expect(failed.run_details.task_details.filter((t) => /^executor\(\d+\)$/.test(t.display_name) && t.state === 'FAILED').length).toBeGreaterThanOrEqual(3);
    const wf = emulator.controller.list('workflows', 'kubeflow').find((w) => w.metadata.labels?.['pipeline/runid'] === run.run_id)!;
    const evalDriver = nodesOf(wf).find((n) => n.displayName === 'eval-driver');
    expect(evalDriver?.phase).toBe('Omitted');

    emulator.controller.clearStepBehaviors();
    const retried = await api(`/runs/${run.run_id}:retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    const after = await waitForState(run.run_id, ['SUCCEEDED', 'FAILED'], 30_000);
    expect(after.state).toBe('SUCCEEDED');
  });

  it('terminates a running run as KFP 2.17 does: CANCELING, activeDeadlineSeconds 0 on the Workflow, then FAILED', async () => {
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 100_000 });
    const run = await createRun(pipelineId, 'to cancel');
    await waitForState(run.run_id, ['RUNNING']);
    await waitFor(() => emulator.controller.list('pods', 'kubeflow').some((p) => p.metadata.labels?.['pipeline/runid'] === run.run_id && p.metadata.name.includes('impl') && p.metadata.annotations?.['workflows.argoproj.io/node-name']?.includes('.cpt.')), 20_000, 'the cpt pod');
    const terminated = await api(`/runs/${run.run_id}:terminate`, { method: 'POST' });
    expect(terminated).toEqual({ status: 200, body: {} });
    expect((await api(`/runs/${run.run_id}`)).body.state).toMatch(/CANCELING|FAILED/);
    const wf = emulator.controller.list('workflows', 'kubeflow').find((w) => w.metadata.labels?.['pipeline/runid'] === run.run_id)!;
    expect((wf.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds).toBe(0);
    const ended = await waitForState(run.run_id, ['FAILED', 'CANCELED', 'SUCCEEDED']);
    expect(ended.state).toBe('FAILED');
    expect(ended.state_history.map((h) => h.state)).toEqual(['PENDING', 'RUNNING', 'CANCELING', 'FAILED']);
    expect(nodesOf(emulator.controller.get('workflows', 'kubeflow', wf.metadata.name)!).some((n) => n.message === 'Step exceeded its deadline')).toBe(true);
    const again = await api(`/runs/${run.run_id}:terminate`, { method: 'POST' });
    expect(again.status).toBe(400);
    expect(again.body.message).toBe(`Failed to terminate a run: Failed to terminate run ${run.run_id}: Invalid input error: Failed to terminate a run ${run.run_id}. Row not found`);
  });

  it('honours retryPolicy from the IR (retry-system-container-impl with maxRetryCount)', async () => {
    const uploaded = await upload(RETRY_PACKAGE, 'name=retry');
    emulator.controller.setStepBehavior({ step: 'add' }, { attempts: [{ outcome: 'fail' }, { outcome: 'fail' }, { outcome: 'succeed' }] });
    const run = await createRun(uploaded.body.pipeline_id, 'retrying');
    const done = await waitForState(run.run_id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    const attempts = done.run_details.task_details.filter((t) => /^executor\(\d+\)$/.test(t.display_name));
    expect(attempts.map((t) => t.state).sort()).toEqual(['FAILED', 'FAILED', 'SUCCEEDED']);
  });

  it('answers unknown ids and bad bodies with KFP errors (google.rpc.Status, internal text in message, external in details)', async () => {
    expect(await api('/runs/nope')).toEqual({
      status: 404,
      body: { code: 5, message: 'Failed to get a run: Failed to fetch run nope: ResourceNotFoundError: Run nope not found', details: [{ '@type': 'type.googleapis.com/google.rpc.Status', code: 5, message: 'Run nope not found' }] },
    });
    // The real server refuses an unnamed run in its conversion step, as an internal error.
    expect(await api('/runs', { method: 'POST', body: '{}' })).toEqual({
      status: 500,
      body: {
        code: 13,
        message: 'CreateJob(job.ToV2())Failed to create a run due to conversion error: InternalServerError: Failed to convert a API run detail to its internal representation: Invalid input error: Run name cannot be empty',
        details: [{ '@type': 'type.googleapis.com/google.rpc.Status', code: 13, message: 'Internal Server Error' }],
      },
    });
    expect(await api(`/pipelines/${pipelineId}`, { method: 'DELETE' })).toMatchObject({ status: 400, body: { code: 3, details: [{ message: expect.stringMatching(/^Failed to delete pipeline with id .* as it has existing pipeline versions \(e\.g\. .*\)\. Set cascade=true to delete all versions$/) }] } });
    expect((await api('/pipelines/nope')).status).toBe(404);
    expect(await api('/nothing-here')).toEqual({ status: 404, body: { code: 5, message: 'Not Found' } });
    expect(await api('/runs/x:terminate')).toEqual({ status: 405, body: { code: 12, message: 'Method Not Allowed' } });
  });

  describe('refuses what the real server refuses', () => {
    const post = (path: string, body: unknown) => api(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });

    it('an unknown body field, a wrong type or a bad enum: 400 with protojson\'s message and no details', async () => {
      expect(await post('/experiments', { display_name: 'typo', descripton: 'x' })).toEqual({ status: 400, body: { code: 3, message: 'proto: (line 1:24): unknown field "descripton"' } });
      expect(await post('/experiments', { display_name: 5 })).toEqual({ status: 400, body: { code: 3, message: 'proto: (line 1:17): invalid value for string field display_name: 5' } });
      expect((await post('/experiments', { display_name: 'e', storage_state: 'GONE' })).body.message).toBe('proto: (line 1:37): invalid value for enum field storage_state: "GONE"');
      const nested = await post('/runs', { display_name: 'r', runtime_config: { parameters: {}, pipelineRoot: 'gs://b', root: 'x' } });
      expect(nested.body.message).toMatch(/^proto: \(line 1:\d+\): unknown field "root"$/);
      expect((await post('/runs', 'not json')).body).toMatchObject({ code: 3, message: expect.stringMatching(/^proto: syntax error/) });
    });

    it('accepts camelCase (JSON names) as grpc-gateway does, and answers in proto names', async () => {
      const created = await post('/experiments', { displayName: 'camel', description: 'by JSON name' });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ display_name: 'camel', description: 'by JSON name' });
      expect(created.body).not.toHaveProperty('displayName');
      const run = await post('/runs', { displayName: 'camel run', experimentId: created.body.experiment_id, pipelineVersionReference: { pipelineId: pipelineId }, runtimeConfig: { parameters: {} } });
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ display_name: 'camel run', pipeline_version_reference: { pipeline_id: pipelineId } });
      // Empty fields are left out: no parameters were given, no error, no run_details yet.
      expect(run.body).not.toHaveProperty('runtime_config');
      expect(run.body).not.toHaveProperty('error');
      expect(run.body).not.toHaveProperty('description');
    });

    it('filter keys and sort_by: only the fields KFP maps, checked in the server\'s order', async () => {
      const filter = (predicates: unknown[]) => encodeURIComponent(JSON.stringify({ predicates }));
      const badKey = await api(`/runs?filter=${filter([{ key: 'pipeline_id', operation: 'EQUALS', string_value: 'x' }])}`);
      expect(badKey).toEqual({
        status: 400,
        body: { code: 3, message: 'Failed to create list options: Invalid input error: no support for filtering on unrecognized field "pipeline_id"', details: [{ '@type': 'type.googleapis.com/google.rpc.Status', code: 3, message: 'no support for filtering on unrecognized field "pipeline_id"' }] },
      });
      const badSort = await api('/experiments?sort_by=size%20desc');
      expect(badSort.body.message).toBe('Failed to create list options: Invalid input error: Invalid sorting field: "size" on listable type Experiment');
      expect((await api('/runs?sort_by=created_at%20up')).body.message).toContain('Received invalid sort by format "created_at up"');
      // The filter's own JSON is decoded strictly: `op` is not a Predicate field.
      const badOp = await api(`/pipelines?filter=${filter([{ key: 'name', op: 'EQUALS', string_value: 'x' }])}`);
      expect(badOp.status).toBe(400);
      expect(badOp.body.message).toMatch(/failed to parse valid filter from .*unknown field \\"op\\"|unknown field "op"/);
      // The old camelCase value names are still read (KFP rewrites them before decoding).
      const camelValue = await api(`/pipelines?filter=${filter([{ key: 'name', operation: 'EQUALS', stringValue: 'korean-llm' }])}`);
      expect(camelValue.body.pipelines).toHaveLength(1);
      expect((await api(`/pipelines/${pipelineId}/versions?sort_by=name`)).status).toBe(200);
      expect((await api('/runs?sort_by=metric:loss')).status).toBe(200);
    });

    it('upload parameters come from the query string only; form fields are ignored', async () => {
      const form = new FormData();
      form.append('uploadfile', new Blob([PACKAGE], { type: 'application/x-yaml' }), 'from-form-test.yaml');
      form.append('name', 'name-in-form');
      form.append('description', 'description in form');
      const res = await fetch(`${emulator.kfpUrl}/apis/v2beta1/pipelines/upload`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${emulator.token}` } });
      const body = (await res.json()) as Json;
      expect(res.status).toBe(200);
      // No name in the query: the file's name (with its extension) is the pipeline's name.
      expect(body).toMatchObject({ name: 'from-form-test.yaml', display_name: 'from-form-test.yaml' });
      expect(body).not.toHaveProperty('description');
      const noFile = await fetch(`${emulator.kfpUrl}/apis/v2beta1/pipelines/upload_version?pipelineid=${pipelineId}&name=x`, { method: 'POST', body: new FormData(), headers: { Authorization: `Bearer ${emulator.token}` } });
      expect(noFile.status).toBe(400);
      expect(await noFile.json()).toEqual({ error_message: 'Failed to create a pipeline version', error_details: 'Failed to create a pipeline version' });
    });

    it('retry of a run that has not failed is refused (409, Aborted), as ResourceManager.RetryRun does', async () => {
      emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 100_000 });
      const run = await createRun(pipelineId, 'not failed');
      await waitForState(run.run_id, ['RUNNING']);
      const retried = await api(`/runs/${run.run_id}:retry`, { method: 'POST' });
      expect(retried).toMatchObject({ status: 409, body: { code: 10, details: [{ message: 'Workflow must be Failed/Error to retry' }] } });
      await api(`/runs/${run.run_id}:terminate`, { method: 'POST' });
    });
  });
});
