/**
 * The KFP emulator against KFP's published swagger (../shared/reference/kfp-api, kubeflow/pipelines
 * 7b70c7b9): every route it serves is a swagger route with that method, every answer validates against
 * the operation's response schema (no field the schema lacks), every request body is decoded against
 * the swagger's definitions, and the list keys it allows are fields of the listed type.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unknownFields } from '../fixtures/schemaCheck.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';
import { KfpApi } from '../kube-emulator/kfp/api.ts';
import { KFP_LIST_FIELDS, KFP_OPERATIONS, kfpOperation, resolve } from '../kube-emulator/kfp/validate.ts';
import type { Operation, Schema } from '../kube-emulator/kfp/validate.ts';
import { ObjectStore } from '../kube-emulator/store.ts';
import { waitFor } from '../kube-emulator/test-helpers.ts';

type Json = Record<string, unknown>;
const PACKAGE = readFileSync(join(import.meta.dirname, '../golden/kfp/korean-llm.pipeline.yaml'), 'utf8');

function validator(op: Operation, schema: Schema | undefined): (value: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'uint64', 'double', 'float', 'byte']) ajv.addFormat(f, true);
  const validate = ajv.compile({ ...(schema ?? {}), definitions: op.definitions });
  return (value) => [...(validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`)), ...unknownFields(op.definitions, schema ?? {}, value, '')];
}

interface Exchange {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

describe('KFP emulator against KFP\'s swagger', () => {
  let emulator: KubeEmulator;
  const exchanges: Exchange[] = [];
  /** One request on a connection of its own (no keep-alive reuse: a socket reset under load is not what is tested here). */
  const call = async (method: string, path: string, body?: unknown, form?: FormData): Promise<Exchange> => {
    const payload = form ? new Response(form) : undefined;
    const data = payload ? Buffer.from(await payload.arrayBuffer()) : body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { Authorization: `Bearer ${emulator.token}`, ...(payload ? { 'Content-Type': payload.headers.get('content-type')! } : {}) };
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${emulator.kfpUrl}${path}`, { method, headers: { ...headers, ...(data ? { 'Content-Length': String(data.length) } : {}) }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(data);
    });
    const exchange = { method, path: path.split('?')[0], status, body: text ? (JSON.parse(text) as unknown) : undefined };
    exchanges.push(exchange);
    return exchange;
  };
  const upload = (endpoint: string, query: string) => {
    const form = new FormData();
    form.append('uploadfile', new Blob([PACKAGE], { type: 'application/x-yaml' }), 'p.yaml');
    return call('POST', `/apis/v2beta1/pipelines/${endpoint}?${query}`, undefined, form);
  };

  beforeAll(async () => {
    emulator = await startKubeEmulator({ timeScale: 0.005 });
  });
  afterAll(() => emulator.close());

  it('serves only swagger routes, each with the swagger\'s method', () => {
    const api = new KfpApi(new ObjectStore(), { retryWorkflow: () => undefined });
    try {
      const swagger = new Set(KFP_OPERATIONS.map((op) => `${op.method} ${op.path}`));
      expect(api.servedRoutes.length).toBeGreaterThan(15);
      for (const route of api.servedRoutes) expect(swagger, route).toContain(route);
    } finally {
      api.stop();
    }
  });

  it('answers every route of a whole session as the swagger defines it', async () => {
    const pipeline = (await upload('upload', 'name=standins&description=d')).body as Json;
    const version = (await upload('upload_version', `pipelineid=${String(pipeline.pipeline_id)}&name=v2`)).body as Json;
    await call('GET', '/apis/v2beta1/pipelines?page_size=1&sort_by=created_at%20desc');
    await call('GET', `/apis/v2beta1/pipelines/${String(pipeline.pipeline_id)}`);
    await call('GET', '/apis/v2beta1/pipelines/names/standins');
    await call('GET', `/apis/v2beta1/pipelines/${String(pipeline.pipeline_id)}/versions?sort_by=name`);
    await call('GET', `/apis/v2beta1/pipelines/${String(pipeline.pipeline_id)}/versions/${String(version.pipeline_version_id)}`);
    const experiment = (await call('POST', '/apis/v2beta1/experiments', { display_name: 'standins', description: 'x' })).body as Json;
    await call('GET', '/apis/v2beta1/experiments?filter=' + encodeURIComponent(JSON.stringify({ predicates: [{ key: 'display_name', operation: 'IN', string_values: { values: ['standins'] } }] })));
    await call('GET', `/apis/v2beta1/experiments/${String(experiment.experiment_id)}`);
    const run = (await call('POST', '/apis/v2beta1/runs', { display_name: 'r', experiment_id: experiment.experiment_id, pipeline_version_reference: { pipeline_id: pipeline.pipeline_id }, runtime_config: { parameters: { epochs: 1 } } })).body as Json;
    await waitFor(async () => ((await call('GET', `/apis/v2beta1/runs/${String(run.run_id)}`)).body as Json).state === 'SUCCEEDED' || undefined, 30_000, 'the run');
    await call('GET', `/apis/v2beta1/runs?experiment_id=${String(experiment.experiment_id)}&sort_by=finished_at`);
    await call('POST', `/apis/v2beta1/runs/${String(run.run_id)}:terminate`);
    await call('POST', `/apis/v2beta1/runs/${String(run.run_id)}:retry`);
    const rr = (await call('POST', '/apis/v2beta1/recurringruns', { display_name: 'weekly', max_concurrency: '1', trigger: { cron_schedule: { cron: '0 0 2 * * 0' } }, pipeline_version_reference: { pipeline_id: pipeline.pipeline_id }, experiment_id: experiment.experiment_id })).body as Json;
    await call('GET', '/apis/v2beta1/recurringruns');
    await call('POST', `/apis/v2beta1/recurringruns/${String(rr.recurring_run_id)}:disable`);
    await call('POST', `/apis/v2beta1/recurringruns/${String(rr.recurring_run_id)}:enable`);
    await call('GET', `/apis/v2beta1/recurringruns/${String(rr.recurring_run_id)}`);
    await call('DELETE', `/apis/v2beta1/recurringruns/${String(rr.recurring_run_id)}`);
    await call('GET', '/apis/v2beta1/runs/missing');
    await call('DELETE', `/apis/v2beta1/pipelines/${String(pipeline.pipeline_id)}`);
    await call('DELETE', `/apis/v2beta1/pipelines/${String(pipeline.pipeline_id)}/versions/${String(version.pipeline_version_id)}`);
    await call('DELETE', `/apis/v2beta1/pipelines/${String(pipeline.pipeline_id)}?cascade=true`);
    await upload('upload_version', 'name=orphan');

    // The check itself catches what a wrong answer would have.
    const runOp = kfpOperation('GET', '/apis/v2beta1/runs/x')!;
    expect(validator(runOp, runOp.response)({ run_id: 'r', state: 'DONE', pipeline_id: 'p', run_details: { task_details: [{ pod_name: 1 }] } })).toEqual([
      '/state: must be equal to one of the allowed values',
      '/run_details/task_details/0/pod_name: must be string',
      '/pipeline_id: not a field of this object',
    ]);
    const statuses = new Set(exchanges.map((e) => e.status));
    expect([...statuses].sort()).toEqual([200, 400, 404, 409]);
    for (const exchange of exchanges) {
      const op = kfpOperation(exchange.method, exchange.path);
      expect(op, `${exchange.method} ${exchange.path}`).toBeDefined();
      const where = `${exchange.method} ${exchange.path} -> ${exchange.status}`;
      if (exchange.status === 200) {
        expect(validator(op!, op!.response)(exchange.body), where).toEqual([]);
      } else if (op!.file === 'pipeline.upload') {
        // The swagger says googleRpcStatus, but the upload handlers write a v1beta1 Error (pipeline_upload_server.go writeErrorToResponse).
        expect(exchange.body, where).toEqual({ error_message: expect.any(String), error_details: expect.any(String) });
      } else {
        expect(validator(op!, { $ref: '#/definitions/googleRpcStatus' })(exchange.body), where).toEqual([]);
      }
    }
    // A finished run as the backend stores it: a task per Argo node, no invented error text.
    const finished = exchanges.find((e) => e.status === 200 && (e.body as Json)?.state === 'SUCCEEDED')!.body as Json;
    expect(finished).not.toHaveProperty('error');
    expect(((finished.run_details as Json).task_details as Json[]).length).toBeGreaterThan(20);
  });

  it('decodes every body the swagger defines strictly: an unknown field is 400, the JSON (camelCase) names are accepted', async () => {
    const bodyOps = KFP_OPERATIONS.filter((op) => op.parameters.some((p) => p.in === 'body'));
    expect(bodyOps.length).toBeGreaterThan(5);
    for (const op of bodyOps) {
      const path = op.path.replace(/\{[^}]+\}/g, 'x');
      const refused = await call(op.method, path, { zz_not_a_field: 1 });
      expect(refused, `${op.method} ${op.path}`).toEqual({ method: op.method, path, status: 400, body: { code: 3, message: 'proto: (line 1:2): unknown field "zz_not_a_field"' } });
      const schema = resolve(op.definitions, op.parameters.find((p) => p.in === 'body')!.schema);
      const snake = Object.keys(schema.properties ?? {}).find((k) => k.includes('_') && resolve(op.definitions, schema.properties![k]).type === 'string' && !resolve(op.definitions, schema.properties![k]).format);
      if (!snake) continue;
      const camel = snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      const accepted = await call(op.method, path, { [camel]: 'x' });
      // Decoding passed: whatever the handler says next, it is not protojson's refusal.
      expect(String((accepted.body as Json | undefined)?.message ?? ''), `${op.method} ${op.path} ${camel}`).not.toMatch(/^proto:/);
    }
  });

  it('allows filtering and sorting only on fields of the listed type (KFP\'s v1 aliases aside)', async () => {
    for (const { definition, keys, v1 } of Object.values(KFP_LIST_FIELDS)) {
      const op = KFP_OPERATIONS.find((o) => o.definitions[definition])!;
      const properties = Object.keys(op.definitions[definition].properties ?? {});
      for (const key of keys) if (!(v1 as readonly string[]).includes(key)) expect(properties, `${definition}.${key}`).toContain(key);
    }
    for (const key of KFP_LIST_FIELDS.Run.keys) expect((await call('GET', `/apis/v2beta1/runs?sort_by=${key}%20desc`)).status, key).toBe(200);
    const notMapped = Object.keys(KFP_OPERATIONS.find((o) => o.definitions.v2beta1Run)!.definitions.v2beta1Run.properties ?? {}).filter((k) => !(KFP_LIST_FIELDS.Run.keys as readonly string[]).includes(k));
    expect(notMapped.length).toBeGreaterThan(3);
    for (const key of notMapped) expect((await call('GET', `/apis/v2beta1/runs?sort_by=${key}`)).status, key).toBe(400);
  });
});
