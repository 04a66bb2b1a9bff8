/**
 * The MLflow stand-in (test/mlflow-server) against MLflow's documented REST API 2.0, written down here
 * independently of the stand-in's own specification file: endpoints, methods and field names as
 * https://mlflow.org/docs/latest/rest-api.html lists them (read from the page's source,
 * docs/api_reference/source/rest-api.rst, MLflow 2.x/3.x), and for the artifact proxy
 * mlflow/protos/mlflow_artifacts.proto (MlflowArtifactsService, served by `mlflow server
 * --serve-artifacts`), which the REST page does not list. Types are the page's (STRING, INT64, ...),
 * or a message name, `Name[]` for "An array of".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MLFLOW_API, startMlflowServer } from '../mlflow-server/index.ts';
import type { MlflowStandIn } from '../mlflow-server/index.ts';

type Fields = Record<string, string>;
interface DocEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  request: string[];
  response: Fields | 'raw';
}

const REST_PAGE = 'https://mlflow.org/docs/latest/rest-api.html';
const ARTIFACTS_PROTO = 'https://github.com/mlflow/mlflow/blob/master/mlflow/protos/mlflow_artifacts.proto';

/** The endpoints Pipewright needs, as documented (request field names; response fields and their types). */
const DOCUMENTED: DocEndpoint[] = [
  { method: 'POST', path: '2.0/mlflow/experiments/create', request: ['name', 'artifact_location', 'tags'], response: { experiment_id: 'STRING' } },
  { method: 'GET', path: '2.0/mlflow/experiments/get', request: ['experiment_id'], response: { experiment: 'Experiment' } },
  { method: 'GET', path: '2.0/mlflow/experiments/get-by-name', request: ['experiment_name'], response: { experiment: 'Experiment' } },
  { method: 'POST', path: '2.0/mlflow/runs/create', request: ['experiment_id', 'user_id', 'run_name', 'start_time', 'tags'], response: { run: 'Run' } },
  { method: 'POST', path: '2.0/mlflow/runs/update', request: ['run_id', 'run_uuid', 'status', 'end_time', 'run_name'], response: { run_info: 'RunInfo' } },
  { method: 'POST', path: '2.0/mlflow/runs/log-metric', request: ['run_id', 'run_uuid', 'key', 'value', 'timestamp', 'step', 'model_id', 'dataset_name', 'dataset_digest'], response: {} },
  { method: 'POST', path: '2.0/mlflow/runs/log-parameter', request: ['run_id', 'run_uuid', 'key', 'value'], response: {} },
  { method: 'POST', path: '2.0/mlflow/runs/set-tag', request: ['run_id', 'run_uuid', 'key', 'value'], response: {} },
  { method: 'POST', path: '2.0/mlflow/runs/log-batch', request: ['run_id', 'metrics', 'params', 'tags'], response: {} },
  { method: 'GET', path: '2.0/mlflow/runs/get', request: ['run_id', 'run_uuid'], response: { run: 'Run' } },
  { method: 'GET', path: '2.0/mlflow/metrics/get-history', request: ['run_id', 'run_uuid', 'metric_key', 'page_token', 'max_results'], response: { metrics: 'Metric[]', next_page_token: 'STRING' } },
  { method: 'GET', path: '2.0/mlflow/artifacts/list', request: ['run_id', 'run_uuid', 'path', 'page_token'], response: { root_uri: 'STRING', files: 'FileInfo[]', next_page_token: 'STRING' } },
  { method: 'POST', path: '2.0/mlflow/registered-models/create', request: ['name', 'tags', 'description', 'deployment_job_id'], response: { registered_model: 'RegisteredModel' } },
  { method: 'GET', path: '2.0/mlflow/registered-models/get', request: ['name'], response: { registered_model: 'RegisteredModel' } },
  { method: 'POST', path: '2.0/mlflow/model-versions/create', request: ['name', 'source', 'run_id', 'tags', 'run_link', 'description', 'model_id'], response: { model_version: 'ModelVersion' } },
  { method: 'GET', path: '2.0/mlflow/model-versions/get', request: ['name', 'version'], response: { model_version: 'ModelVersion' } },
  { method: 'POST', path: '2.0/mlflow/model-versions/transition-stage', request: ['name', 'version', 'stage', 'archive_existing_versions'], response: { model_version: 'ModelVersion' } },
  { method: 'POST', path: '2.0/mlflow/registered-models/alias', request: ['name', 'alias', 'version'], response: {} },
  { method: 'DELETE', path: '2.0/mlflow/registered-models/alias', request: ['name', 'alias'], response: {} },
  { method: 'GET', path: '2.0/mlflow/registered-models/alias', request: ['name', 'alias'], response: { model_version: 'ModelVersion' } },
  // mlflow_artifacts.proto (ARTIFACTS_PROTO): DownloadArtifact, UploadArtifact, ListArtifacts.
  { method: 'GET', path: '2.0/mlflow-artifacts/artifacts/<path:artifact_path>', request: [], response: 'raw' },
  { method: 'PUT', path: '2.0/mlflow-artifacts/artifacts/<path:artifact_path>', request: [], response: {} },
  { method: 'GET', path: '2.0/mlflow-artifacts/artifacts', request: ['path'], response: { files: 'FileInfo[]' } },
];

/** The documented data structures (fields of the page's "Data Structures" section). */
const MESSAGES: Record<string, Fields> = {
  Experiment: { experiment_id: 'STRING', name: 'STRING', artifact_location: 'STRING', lifecycle_stage: 'STRING', last_update_time: 'INT64', creation_time: 'INT64', tags: 'ExperimentTag[]' },
  ExperimentTag: { key: 'STRING', value: 'STRING' },
  Run: { info: 'RunInfo', data: 'RunData', inputs: 'RunInputs', outputs: 'RunOutputs' },
  RunInfo: { run_id: 'STRING', run_uuid: 'STRING', run_name: 'STRING', experiment_id: 'STRING', user_id: 'STRING', status: 'RunStatus', start_time: 'INT64', end_time: 'INT64', artifact_uri: 'STRING', lifecycle_stage: 'STRING' },
  RunData: { metrics: 'Metric[]', params: 'Param[]', tags: 'RunTag[]' },
  Metric: { key: 'STRING', value: 'DOUBLE', timestamp: 'INT64', step: 'INT64', dataset_name: 'STRING', dataset_digest: 'STRING', model_id: 'STRING', run_id: 'STRING' },
  Param: { key: 'STRING', value: 'STRING' },
  RunTag: { key: 'STRING', value: 'STRING' },
  FileInfo: { path: 'STRING', is_dir: 'BOOL', file_size: 'INT64' },
  RegisteredModel: {
    name: 'STRING',
    creation_timestamp: 'INT64',
    last_updated_timestamp: 'INT64',
    user_id: 'STRING',
    description: 'STRING',
    latest_versions: 'ModelVersion[]',
    tags: 'RegisteredModelTag[]',
    aliases: 'RegisteredModelAlias[]',
    deployment_job_id: 'STRING',
    deployment_job_state: 'STRING',
  },
  RegisteredModelTag: { key: 'STRING', value: 'STRING' },
  RegisteredModelAlias: { alias: 'STRING', version: 'STRING' },
  ModelVersion: {
    name: 'STRING',
    version: 'STRING',
    creation_timestamp: 'INT64',
    last_updated_timestamp: 'INT64',
    user_id: 'STRING',
    current_stage: 'STRING',
    description: 'STRING',
    source: 'STRING',
    run_id: 'STRING',
    status: 'ModelVersionStatus',
    status_message: 'STRING',
    tags: 'ModelVersionTag[]',
    run_link: 'STRING',
    aliases: 'STRING[]',
    model_id: 'STRING',
  },
  ModelVersionTag: { key: 'STRING', value: 'STRING' },
};
const ENUMS: Record<string, string[]> = {
  RunStatus: ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'],
  ModelVersionStatus: ['PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY'],
};
const SCALARS = new Set(['STRING', 'INT64', 'INT32', 'DOUBLE', 'BOOL']);

const docOf = (method: string, path: string) => DOCUMENTED.find((d) => d.method === method && `/api/${d.path}` === path);

/** Fields of `value` that the documented type does not have, or whose value is not of the documented kind. */
function undocumented(type: string, value: unknown, where: string): string[] {
  const repeated = type.endsWith('[]');
  const base = repeated ? type.slice(0, -2) : type;
  if (repeated) return Array.isArray(value) ? value.flatMap((v, i) => undocumented(base, v, `${where}[${i}]`)) : [`${where}: not a list`];
  if (SCALARS.has(base)) {
    const ok = base === 'STRING' ? typeof value === 'string' : base === 'BOOL' ? typeof value === 'boolean' : typeof value === 'number' || (typeof value === 'string' && /^-?\d+$|^(NaN|-?Infinity)$/.test(value));
    return ok ? [] : [`${where}: not ${base}`];
  }
  if (ENUMS[base]) return ENUMS[base].includes(String(value)) ? [] : [`${where}: ${String(value)} is not a ${base}`];
  const fields = MESSAGES[base];
  if (!fields) return [`${where}: ${base} is not a documented type`];
  if (value === null || typeof value !== 'object') return [`${where}: not an object`];
  return Object.entries(value).flatMap(([k, v]) => (fields[k] ? undocumented(fields[k], v, `${where}.${k}`) : [`${where}.${k}: not a documented field of ${base}`]));
}

describe('MLflow stand-in against MLflow\'s documented REST API', () => {
  it('its specification serves only documented endpoints, with the documented method and field names', () => {
    expect(MLFLOW_API.provenance.docs).toBe(REST_PAGE);
    expect(MLFLOW_API.endpoints.length).toBe(DOCUMENTED.length);
    for (const e of MLFLOW_API.endpoints) {
      const doc = docOf(e.method, e.path);
      expect(doc, `${e.method} ${e.path} is not in ${REST_PAGE} or ${ARTIFACTS_PROTO}`).toBeDefined();
      for (const field of Object.keys(e.request ?? {})) expect(doc!.request, `${e.method} ${e.path} request field ${field}`).toContain(field);
      if (doc!.response === 'raw') expect(e.response).toBe('raw');
      else for (const field of Object.keys(e.response as Fields)) expect(Object.keys(doc!.response), `${e.method} ${e.path} response field ${field}`).toContain(field);
    }
    for (const [name, fields] of Object.entries(MLFLOW_API.messages)) {
      expect(MESSAGES[name], `message ${name}`).toBeDefined();
      for (const field of Object.keys(fields)) expect(Object.keys(MESSAGES[name]), `${name}.${field}`).toContain(field);
    }
    for (const [name, values] of Object.entries(MLFLOW_API.enums)) expect(values.sort()).toEqual([...ENUMS[name]].sort());
  });

  describe('the running stand-in', () => {
    let server: MlflowStandIn;
    beforeAll(async () => {
      server = await startMlflowServer();
    });
    afterAll(() => server.close());

    const answers: { method: string; path: string; status: number; body: unknown }[] = [];
    const call = async (method: DocEndpoint['method'], path: string, input: Record<string, unknown> = {}) => {
      const url = new URL(`/api/${path}`, server.url);
      if (method === 'GET') for (const [k, v] of Object.entries(input)) url.searchParams.set(k, String(v));
      const res = await fetch(url, method === 'GET' ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
      const answer = { method, path: url.pathname, status: res.status, body: (await res.json()) as Record<string, unknown> };
      answers.push(answer);
      return answer.body;
    };

    it('answers a whole tracking and registry session with documented fields only', async () => {
      const { experiment_id } = await call('POST', '2.0/mlflow/experiments/create', { name: 'standins', tags: [{ key: 'k', value: 'v' }] });
      await call('GET', '2.0/mlflow/experiments/get', { experiment_id });
      await call('GET', '2.0/mlflow/experiments/get-by-name', { experiment_name: 'standins' });
      const { run } = (await call('POST', '2.0/mlflow/runs/create', { experiment_id, run_name: 'r', start_time: 1, tags: [{ key: 't', value: '1' }] })) as { run: { info: { run_id: string; artifact_uri: string } } };
      const runId = run.info.run_id;
      await call('POST', '2.0/mlflow/runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 1.5, timestamp: 2, step: 1 }], params: [{ key: 'lr', value: '1e-4' }], tags: [{ key: 'a', value: 'b' }] });
      await call('POST', '2.0/mlflow/runs/log-metric', { run_id: runId, key: 'loss', value: 1.2, timestamp: 3, step: 2 });
      await call('POST', '2.0/mlflow/runs/log-parameter', { run_id: runId, key: 'epochs', value: '1' });
      await call('POST', '2.0/mlflow/runs/set-tag', { run_id: runId, key: 'note', value: 'x' });
      await call('POST', '2.0/mlflow/runs/update', { run_id: runId, status: 'FINISHED', end_time: 4 });
      await call('GET', '2.0/mlflow/runs/get', { run_id: runId });
      await call('GET', '2.0/mlflow/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: 1 });
      await call('GET', '2.0/mlflow/artifacts/list', { run_id: runId });
      await call('POST', '2.0/mlflow/registered-models/create', { name: 'm', description: 'd' });
      await call('POST', '2.0/mlflow/model-versions/create', { name: 'm', source: `${run.info.artifact_uri}/model`, run_id: runId });
      await call('GET', '2.0/mlflow/model-versions/get', { name: 'm', version: '1' });
      await call('POST', '2.0/mlflow/model-versions/transition-stage', { name: 'm', version: '1', stage: 'Staging', archive_existing_versions: false });
      await call('POST', '2.0/mlflow/registered-models/alias', { name: 'm', alias: 'champion', version: '1' });
      await call('GET', '2.0/mlflow/registered-models/alias', { name: 'm', alias: 'champion' });
      await call('GET', '2.0/mlflow/registered-models/get', { name: 'm' });
      await call('DELETE', '2.0/mlflow/registered-models/alias', { name: 'm', alias: 'champion' });
      await fetch(new URL(`/api/2.0/mlflow-artifacts/artifacts/${experiment_id as string}/${runId}/artifacts/model/a.txt`, server.url), { method: 'PUT', body: 'hi' });
      await call('GET', '2.0/mlflow-artifacts/artifacts', { path: `${experiment_id as string}/${runId}/artifacts/model` });

      expect(answers.length).toBe(DOCUMENTED.length - 2);
      for (const a of answers) {
        expect(a.status, `${a.method} ${a.path}: ${JSON.stringify(a.body)}`).toBe(200);
        const doc = docOf(a.method, a.path)!;
        const fields = doc.response as Fields;
        const problems = Object.entries(a.body as Record<string, unknown>).flatMap(([k, v]) => (fields[k] ? undocumented(fields[k], v, k) : [`${k}: not a documented response field`]));
        expect(problems, `${a.method} ${a.path}`).toEqual([]);
      }
    });

    it('the check catches an undocumented field or a wrong kind of value', () => {
      expect(undocumented('RunInfo', { run_id: 'r', runId: 'r', status: 'DONE', start_time: 'soon' }, 'info')).toEqual([
        'info.runId: not a documented field of RunInfo',
        'info.status: DONE is not a RunStatus',
        'info.start_time: not INT64',
      ]);
    });

    it('answers a documented endpoint it does not emulate as MLflow answers an unknown one, never as a success', async () => {
      const res = await fetch(new URL('/api/2.0/mlflow/runs/search', server.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
    });
  });
});
