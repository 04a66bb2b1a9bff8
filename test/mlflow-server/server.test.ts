/**
 * The stand-in held to MLflow's published REST API (mlflow-rest-api.json, written from MLflow's protos and
 * REST docs): every answer's shape is checked against the specification, every other path, method and field
 * is refused, and the failure answers carry MLflow's codes and HTTP statuses.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fieldType, MLFLOW_API } from './schema.ts';
import { checkFields, startMlflowServer } from './index.ts';
import type { MlflowStandIn } from './index.ts';

let server: MlflowStandIn;
beforeAll(async () => {
  server = await startMlflowServer();
});
afterAll(() => server.close());
afterEach(() => server.faults.splice(0));

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, input: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(`/api/2.0/${path}`, server.url);
  const init: RequestInit = { method, headers };
  if (method === 'GET') for (const [k, v] of Object.entries(input)) url.searchParams.set(k, String(v));
  else init.body = JSON.stringify(input);
  if (method !== 'GET') init.headers = { 'Content-Type': 'application/json', ...headers };
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

/** A successful answer, checked field by field against the endpoint's response in the specification. */
async function ok(method: string, path: string, input: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const answer = await call(method, path, input);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const endpoint = MLFLOW_API.endpoints.find((e) => e.path === `/api/2.0/${path}` && e.method === method)!;
  expect(checkFields(endpoint.response as Record<string, string>, answer.body)).toBeNull();
  return answer.body;
}

const failure = (status: number, errorCode: string) => ({ status, body: expect.objectContaining({ error_code: errorCode, message: expect.any(String) }) });

describe('the specification file', () => {
  it('names its sources and uses only types it defines', () => {
    expect(MLFLOW_API.provenance.docs).toBe('https://mlflow.org/docs/latest/rest-api.html');
    for (const def of MLFLOW_API.provenance.definitions) expect(def.commit).toMatch(/^[0-9a-f]{40}$/);
    const known = (base: string) => ['string', 'bool', 'int32', 'int64', 'double'].includes(base) || (base.startsWith('enum:') ? base.slice(5) in MLFLOW_API.enums : base in MLFLOW_API.messages);
    const maps = [...Object.values(MLFLOW_API.messages), ...MLFLOW_API.endpoints.flatMap((e) => [e.request ?? {}, e.response === 'raw' ? {} : e.response])];
    for (const map of maps) for (const type of Object.values(map)) expect(known(fieldType(type).base), type).toBe(true);
  });

  it('holds each endpoint once per method, all under /api/2.0/', () => {
    const keys = MLFLOW_API.endpoints.map((e) => `${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of MLFLOW_API.endpoints) expect(e.path).toMatch(/^\/api\/2\.0\/(mlflow|mlflow-artifacts)\//);
  });
});

describe('what the stand-in refuses', () => {
  it.each([
    ['GET', 'mlflow/experiments/list'], // removed in MLflow 2.0
    ['POST', 'mlflow/runs/log-param'], // the endpoint is log-parameter
    ['GET', 'mlflow/no-such-thing'],
    ['GET', 'preview/mlflow/runs/get'],
  ])('%s /api/2.0/%s: 404 ENDPOINT_NOT_FOUND', async (method, path) => {
    expect(await call(method, path)).toEqual(failure(404, 'ENDPOINT_NOT_FOUND'));
  });

  it.each([...new Set(MLFLOW_API.endpoints.filter((e) => !e.path.includes('<')).map((e) => e.path))])('%s with a method it does not serve: 405', async (path) => {
    const served: string[] = MLFLOW_API.endpoints.filter((e) => e.path === path).map((e) => e.method);
    const other = ['GET', 'POST', 'PATCH', 'DELETE'].find((m) => !served.includes(m))!;
    const res = await fetch(new URL(path, server.url), { method: other, headers: { 'Content-Type': 'application/json' }, body: other === 'GET' ? undefined : '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(served.join(', '));
  });

  it.each([
    ['an unknown field', 'mlflow/experiments/create', { name: 'x', artifact_uri: 's3://b' }, /artifact_uri: no such field/],
    ['a misspelled nested field', 'mlflow/runs/create', { experiment_id: '0', tags: [{ key: 'a', val: 'b' }] }, /tags\[0\]\.val: no such field/],
    ['a string for an int64', 'mlflow/runs/create', { experiment_id: '0', start_time: 'yesterday' }, /start_time: expected an integer/],
    ['a number for a string', 'mlflow/experiments/create', { name: 7 }, /name: expected a string/],
    ['an unknown enum value', 'mlflow/runs/update', { run_id: 'x', status: 'DONE' }, /status: expected one of RUNNING/],
    ['a missing required field', 'mlflow/model-versions/transition-stage', { name: 'm', version: '1', stage: 'Staging' }, /archive_existing_versions: missing/],
    ['an object where a list belongs', 'mlflow/runs/log-batch', { run_id: 'x', metrics: { key: 'loss' } }, /metrics: expected a list/],
  ])('%s: 400 INVALID_PARAMETER_VALUE naming it', async (_what, path, body, message) => {
    const answer = await call('POST', path, body);
    expect(answer).toEqual(failure(400, 'INVALID_PARAMETER_VALUE'));
    expect(answer.body.message).toMatch(message);
  });

  it('a GET with an unknown query parameter, and a POST without a JSON content type', async () => {
    expect(await call('GET', 'mlflow/runs/get', { run_id: 'x', runid: 'y' })).toEqual(failure(400, 'INVALID_PARAMETER_VALUE'));
    const res = await fetch(new URL('/api/2.0/mlflow/experiments/create', server.url), { method: 'POST', body: '{"name":"x"}', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Bad Request. Content-Type must be one of ['application/json']." });
  });
});

describe('tracking', () => {
  it('experiments: get-by-name 404 until created, create twice 400 RESOURCE_ALREADY_EXISTS, Default is id 0', async () => {
    expect(await call('GET', 'mlflow/experiments/get-by-name', { experiment_name: 'korean-llm' })).toEqual(failure(404, 'RESOURCE_DOES_NOT_EXIST'));
    const { experiment_id } = await ok('POST', 'mlflow/experiments/create', { name: 'korean-llm' });
    expect(await call('POST', 'mlflow/experiments/create', { name: 'korean-llm' })).toEqual(failure(400, 'RESOURCE_ALREADY_EXISTS'));
    const { experiment } = await ok('GET', 'mlflow/experiments/get-by-name', { experiment_name: 'korean-llm' });
    expect(experiment).toMatchObject({ experiment_id, name: 'korean-llm', artifact_location: `mlflow-artifacts:/${experiment_id as string}`, lifecycle_stage: 'active' });
    expect((await ok('GET', 'mlflow/experiments/get', { experiment_id: '0' })).experiment).toMatchObject({ name: 'Default' });
  });

  it('a run: create, log-batch, log-parameter, update, get, get-history (paged)', async () => {
    const { run } = await ok('POST', 'mlflow/runs/create', { experiment_id: '0', run_name: 'r1-sft-20261204-101500', start_time: 1000, tags: [{ key: 'pipewright.node_id', value: 'sft' }] });
    const info = (run as { info: Record<string, unknown> }).info;
    expect(info).toMatchObject({ run_name: 'r1-sft-20261204-101500', status: 'RUNNING', start_time: 1000, lifecycle_stage: 'active' });
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/0/${info.run_id as string}/artifacts`);
    const runId = info.run_id as string;
    const metrics = [1, 2, 3].map((step) => ({ key: 'loss', value: 3 - step / 2, timestamp: 2000 + step, step }));
    await ok('POST', 'mlflow/runs/log-batch', { run_id: runId, metrics, params: [{ key: 'learning_rate', value: '2e-05' }], tags: [{ key: 'pipewright.run_id', value: 'r1' }] });
    await ok('POST', 'mlflow/runs/log-parameter', { run_id: runId, key: 'learning_rate', value: '2e-05' });
    expect(await call('POST', 'mlflow/runs/log-parameter', { run_id: runId, key: 'learning_rate', value: '1e-05' })).toEqual(failure(400, 'INVALID_PARAMETER_VALUE'));
    const { run_info } = await ok('POST', 'mlflow/runs/update', { run_id: runId, status: 'FINISHED', end_time: 3000 });
    expect(run_info).toMatchObject({ status: 'FINISHED', end_time: 3000 });
    const got = (await ok('GET', 'mlflow/runs/get', { run_id: runId })).run as { data: Record<string, unknown> };
    expect(got.data.metrics).toEqual([{ key: 'loss', value: 1.5, timestamp: 2003, step: 3 }]);
    expect(got.data.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.runName', value: 'r1-sft-20261204-101500' }, { key: 'pipewright.run_id', value: 'r1' }]));
    const page1 = await ok('GET', 'mlflow/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: 2 });
    expect(page1.metrics).toEqual(metrics.slice(0, 2));
    const page2 = await ok('GET', 'mlflow/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: 2, page_token: page1.next_page_token as string });
    expect(page2).toEqual({ metrics: metrics.slice(2) });
  });

  it('unknown run ids: 404 RESOURCE_DOES_NOT_EXIST; a missing run_id: 400', async () => {
    expect(await call('GET', 'mlflow/runs/get', { run_id: 'f'.repeat(32) })).toEqual(failure(404, 'RESOURCE_DOES_NOT_EXIST'));
    expect(await call('POST', 'mlflow/runs/log-batch', { run_id: 'f'.repeat(32), metrics: [] })).toEqual(failure(404, 'RESOURCE_DOES_NOT_EXIST'));
    expect(await call('POST', 'mlflow/runs/log-batch', { metrics: [] })).toEqual(failure(400, 'INVALID_PARAMETER_VALUE'));
  });

  it('log-batch limits and names as MLflow checks them', async () => {
    const { run } = await ok('POST', 'mlflow/runs/create', { experiment_id: '0' });
    const runId = (run as { info: { run_id: string } }).info.run_id;
    const many = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
    expect((await call('POST', 'mlflow/runs/log-batch', { run_id: runId, metrics: many })).body.message).toMatch(/at most 1000 metrics/);
    expect((await call('POST', 'mlflow/runs/log-batch', { run_id: runId, metrics: [{ key: 'bad*name', value: 1, timestamp: 1 }] })).body.message).toMatch(/Invalid metric name/);
    expect((await call('POST', 'mlflow/runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 1 }] })).body.message).toMatch(/required parameter 'timestamp'/);
    await ok('POST', 'mlflow/runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 'NaN', timestamp: 1, step: 1 }] });
  });
});

describe('artifacts and the registry', () => {
  it('proxied artifacts: PUT, GET, list; a path escaping the root is refused', async () => {
    const put = await fetch(new URL('/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/model/config.json', server.url), { method: 'PUT', body: '{"a":1}' });
    expect(put.status).toBe(200);
    expect(await (await fetch(new URL('/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/model/config.json', server.url))).text()).toBe('{"a":1}');
    expect(await ok('GET', 'mlflow-artifacts/artifacts', { path: '0/abc/artifacts/model' })).toEqual({ files: [{ path: 'config.json', is_dir: false, file_size: 7 }] });
    const escape = await fetch(new URL('/api/2.0/mlflow-artifacts/artifacts/0/..%2F..%2Fetc', server.url), { method: 'PUT', body: 'x' });
    expect(escape.status).toBe(400);
  });

  it('registered model, version, stage and alias, with MLflow failure answers', async () => {
    const { run } = await ok('POST', 'mlflow/runs/create', { experiment_id: '0' });
    const info = (run as { info: { run_id: string; artifact_uri: string } }).info;
    await ok('POST', 'mlflow/registered-models/create', { name: 'korean-llm' });
    expect(await call('POST', 'mlflow/registered-models/create', { name: 'korean-llm' })).toEqual(failure(400, 'RESOURCE_ALREADY_EXISTS'));
    expect(await call('POST', 'mlflow/model-versions/create', { name: 'nope', source: `${info.artifact_uri}/model` })).toEqual(failure(404, 'RESOURCE_DOES_NOT_EXIST'));
    expect(await call('POST', 'mlflow/model-versions/create', { name: 'korean-llm', source: '/tmp/model', run_id: info.run_id })).toEqual(failure(400, 'INVALID_PARAMETER_VALUE'));
    const v1 = (await ok('POST', 'mlflow/model-versions/create', { name: 'korean-llm', source: `${info.artifact_uri}/model`, run_id: info.run_id })).model_version;
    expect(v1).toMatchObject({ name: 'korean-llm', version: '1', current_stage: 'None', status: 'READY', run_id: info.run_id });
    await ok('POST', 'mlflow/model-versions/create', { name: 'korean-llm', source: 's3://bucket/sft/model' });
    await ok('POST', 'mlflow/model-versions/transition-stage', { name: 'korean-llm', version: '1', stage: 'staging', archive_existing_versions: true });
    const v2 = (await ok('POST', 'mlflow/model-versions/transition-stage', { name: 'korean-llm', version: '2', stage: 'Staging', archive_existing_versions: true })).model_version;
    expect(v2).toMatchObject({ current_stage: 'Staging' });
    expect((await ok('GET', 'mlflow/model-versions/get', { name: 'korean-llm', version: '1' })).model_version).toMatchObject({ current_stage: 'Archived' });
    expect(await call('POST', 'mlflow/model-versions/transition-stage', { name: 'korean-llm', version: '1', stage: 'Live', archive_existing_versions: false })).toEqual(failure(400, 'INVALID_PARAMETER_VALUE'));
    await ok('POST', 'mlflow/registered-models/alias', { name: 'korean-llm', alias: 'champion', version: '2' });
    expect(await call('POST', 'mlflow/registered-models/alias', { name: 'korean-llm', alias: 'v3', version: '2' })).toEqual(failure(400, 'INVALID_PARAMETER_VALUE'));
    expect((await ok('GET', 'mlflow/registered-models/alias', { name: 'korean-llm', alias: 'champion' })).model_version).toMatchObject({ version: '2', aliases: ['champion'] });
    expect(await call('GET', 'mlflow/registered-models/alias', { name: 'korean-llm', alias: 'staging' })).toEqual(failure(404, 'RESOURCE_DOES_NOT_EXIST'));
    expect((await ok('GET', 'mlflow/registered-models/get', { name: 'korean-llm' })).registered_model).toMatchObject({ aliases: [{ alias: 'champion', version: '2' }] });
  });
});

describe('configurations and faults', () => {
  it('injected 5xx answers and dropped connections, then normal service', async () => {
    server.faults.push({ count: 2, status: 503 }, { count: 1, drop: true, path: '/runs/get' });
    expect(await call('GET', 'mlflow/experiments/get', { experiment_id: '0' })).toEqual(failure(503, 'TEMPORARILY_UNAVAILABLE'));
    expect((await call('GET', 'mlflow/experiments/get', { experiment_id: '0' })).status).toBe(503);
    await expect(fetch(new URL('/api/2.0/mlflow/runs/get?run_id=x', server.url))).rejects.toThrow();
    await ok('GET', 'mlflow/experiments/get', { experiment_id: '0' });
  });

  it('auth: 401 UNAUTHENTICATED without the token; aliases missing on an old server; no proxied artifacts', async () => {
    const other = await startMlflowServer({ token: 's3cret', aliases: false, serveArtifacts: false, artifactRoot: 's3://bucket/mlflow' });
    try {
      const url = (path: string) => new URL(`/api/2.0/${path}`, other.url);
      expect((await fetch(url('mlflow/experiments/get?experiment_id=0'))).status).toBe(401);
      const auth = { Authorization: 'Bearer s3cret', 'Content-Type': 'application/json' };
      const exp = (await (await fetch(url('mlflow/experiments/get?experiment_id=0'), { headers: auth })).json()) as { experiment: { artifact_location: string } };
      expect(exp.experiment.artifact_location).toBe('s3://bucket/mlflow/0');
      const alias = await fetch(url('mlflow/registered-models/alias'), { method: 'POST', headers: auth, body: '{"name":"m","alias":"a","version":"1"}' });
      expect(alias.status).toBe(404);
      expect(await alias.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
      const put = await fetch(url('mlflow-artifacts/artifacts/0/x/model.bin'), { method: 'PUT', headers: auth, body: 'x' });
      expect(put.status).toBe(503);
      expect(await put.text()).toMatch(/--no-serve-artifacts/);
    } finally {
      await other.close();
    }
  });

  it('a model version can stay PENDING_REGISTRATION for a few reads', async () => {
    const other = await startMlflowServer({ pendingRegistrationReads: 2 });
    try {
      const post = (path: string, body: unknown) => fetch(new URL(`/api/2.0/${path}`, other.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      await post('mlflow/registered-models/create', { name: 'm' });
      const created = (await (await post('mlflow/model-versions/create', { name: 'm', source: 's3://b/m' })).json()) as { model_version: { status: string } };
      expect(created.model_version.status).toBe('PENDING_REGISTRATION');
      const read = async () => ((await (await fetch(new URL('/api/2.0/mlflow/model-versions/get?name=m&version=1', other.url))).json()) as { model_version: { status: string } }).model_version.status;
      expect([await read(), await read()]).toEqual(['PENDING_REGISTRATION', 'READY']);
    } finally {
      await other.close();
    }
  });
});
