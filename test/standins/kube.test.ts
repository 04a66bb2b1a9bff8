/**
 * The Kubernetes emulator's Argo objects against the published schemas in ../shared/reference: the
 * Workflows its Argo controller runs (and the ones KFP's emulated backend makes), with the `status` the
 * controller writes, against Argo's JSON schema (v3.7.18); CronWorkflows after a tick; Rollouts through
 * a canary against the Argo Rollouts CRD's openAPIV3Schema, unknown fields refused everywhere.
 * Not covered: AnalysisRuns (no CRD in the reference set), Deployments and Services (no Kubernetes
 * OpenAPI document in it; kubectl's server-side field validation covers those in kubectl.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REFERENCE_DIR } from '../fixtures/compileFixtures.ts';
import { argoCronWorkflowCheck, argoWorkflowCheck } from '../fixtures/schemaCheck.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';
import type { KubeObject } from '../kube-emulator/types.ts';
import { waitFor } from '../kube-emulator/test-helpers.ts';

type Json = Record<string, unknown>;
const PACKAGE = readFileSync(join(import.meta.dirname, '../golden/kfp/korean-llm.pipeline.yaml'), 'utf8');

/** Structural schemas prune unknown fields silently; here every object refuses them (additionalProperties: false). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, closed(s)])) : closed(v);
  if (out.type === 'object' && out.properties && !out['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function crdCheck(file: string): (value: unknown) => string[] {
  const crd = parse(readFileSync(join(REFERENCE_DIR, 'argo-rollouts', file), 'utf8')) as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Json } }> } };
  const schema = closed(crd.spec.versions.find((v) => v.name === 'v1alpha1')!.schema.openAPIV3Schema) as Json;
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`));
}

/**
 * A zero metav1.Time is written as JSON null (its MarshalJSON), so a running Workflow has
 * `finishedAt: null` as Argo writes it, though the schema types times as strings: nulls are left out.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** The object as a client reads it, with metadata left to the API server's own checks (the CRD schema only says `object`). */
const bodyOf = (o: KubeObject) => ({ ...o, metadata: {} });

describe('Kubernetes emulator objects against the published schemas', () => {
  let emulator: KubeEmulator;
  const checkArgo = argoWorkflowCheck();
  const checkWorkflow = (wf: unknown) => checkArgo(withoutNulls(wf));
  beforeAll(async () => {
    emulator = await startKubeEmulator({ timeScale: 0.005 });
  });
  afterAll(() => emulator.close());

  const post = async (path: string, body: unknown): Promise<Json> => {
    const res = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${emulator.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Json;
    expect(res.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  };
  const workflowDone = (name: string) =>
    waitFor(() => {
      const wf = emulator.controller.get('workflows', 'default', name);
      return ['Succeeded', 'Failed', 'Error'].includes(String((wf?.status as Json | undefined)?.phase)) ? wf : undefined;
    }, 30_000, `workflow ${name}`);

  it.each(['dag-diamond.yaml', 'retry-backoff.yaml'])('Argo\'s example %s, run by the emulated controller, validates with its status', async (file) => {
    const doc = parse(readFileSync(join(REFERENCE_DIR, 'argo', file), 'utf8')) as KubeObject;
    emulator.controller.setStepBehavior({ step: 'retry-backoff' }, { attempts: [{ outcome: 'fail' }, { outcome: 'succeed' }] });
    const created = await post('/apis/argoproj.io/v1alpha1/namespaces/default/workflows', { ...doc, metadata: { ...doc.metadata, namespace: 'default' } });
    const done = await workflowDone(String((created.metadata as Json).name));
    expect(Object.keys((done.status as Json).nodes as Json).length).toBeGreaterThan(1);
    expect(checkWorkflow(done)).toEqual([]);
  });

  it('the Workflow KFP\'s emulated backend makes, run and then terminated, validates with its status', async () => {
    const form = new FormData();
    form.append('uploadfile', new Blob([PACKAGE]), 'p.yaml');
    const kfp = (path: string, init: RequestInit) => fetch(`${emulator.kfpUrl}/apis/v2beta1${path}`, { ...init, headers: { Authorization: `Bearer ${emulator.token}` } }).then((r) => r.json() as Promise<Json>);
    const pipeline = await kfp('/pipelines/upload?name=kube-standins', { method: 'POST', body: form });
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 100_000 });
    const run = await kfp('/runs', { method: 'POST', body: JSON.stringify({ display_name: 'kube', pipeline_version_reference: { pipeline_id: pipeline.pipeline_id } }) });
    const wf = await waitFor(() => emulator.controller.list('workflows', 'kubeflow').find((w) => w.metadata.labels?.['pipeline/runid'] === run.run_id && Object.values(((w.status as Json | undefined)?.nodes ?? {}) as Record<string, Json>).some((n) => n.displayName === 'executor' && n.phase === 'Running')), 30_000, 'cpt running');
    expect(checkWorkflow(wf)).toEqual([]);
    await kfp(`/runs/${String(run.run_id)}:terminate`, { method: 'POST' });
    const ended = await waitFor(() => {
      const w = emulator.controller.get('workflows', 'kubeflow', wf.metadata.name);
      return (w?.status as Json | undefined)?.phase === 'Failed' ? w : undefined;
    }, 30_000, 'terminated');
    expect((ended.spec as Json).activeDeadlineSeconds).toBe(0);
    expect(checkWorkflow(ended)).toEqual([]);
    emulator.controller.clearStepBehaviors();
  });

  it('a CronWorkflow after a tick (status.active, lastScheduledTime) and the Workflow it started validate', async () => {
    const cron = await post('/apis/argoproj.io/v1alpha1/namespaces/default/cronworkflows', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'CronWorkflow',
      metadata: { name: 'weekly', namespace: 'default' },
      spec: { schedules: ['0 2 * * 0'], timezone: 'Asia/Seoul', concurrencyPolicy: 'Forbid', workflowMetadata: { labels: { team: 'ml' } }, workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine:3.20', command: ['echo', 'hi'] } }] } },
    });
    const tick = emulator.controller.tickCronWorkflow('default', String((cron.metadata as Json).name));
    if (!('started' in tick)) throw new Error(`no workflow started: ${tick.skipped}`);
    expect(argoCronWorkflowCheck()(emulator.controller.get('cronworkflows', 'default', 'weekly'))).toEqual([]);
    expect(checkWorkflow(await workflowDone(tick.started.metadata.name))).toEqual([]);
  });

  it('a Rollout through a canary with background analysis validates against the Argo Rollouts CRD at every step', async () => {
    const checkRollout = crdCheck('rollout-crd.yaml');
    const checkTemplate = crdCheck('analysis-template-crd.yaml');
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success', namespace: 'default' },
      spec: { args: [{ name: 'service' }], metrics: [{ name: 'ok', interval: '30s', count: 2, successCondition: 'result[0] >= 0.9', failureLimit: 0, provider: { prometheus: { address: 'http://prometheus:9090', query: 'up{service="{{args.service}}"}' } } }] },
    };
    expect(checkTemplate(bodyOf(template as KubeObject))).toEqual([]);
    await post('/apis/argoproj.io/v1alpha1/namespaces/default/analysistemplates', template);
    const podTemplate = (image: string) => ({ metadata: { labels: { app: 'serve' } }, spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 8000 }] }] } });
    await post('/apis/argoproj.io/v1alpha1/namespaces/default/rollouts', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'serve', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'serve' } },
        template: podTemplate('vllm:1'),
        strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '1m' } }, { setWeight: 100 }], analysis: { templates: [{ templateName: 'success' }], startingStep: 1, args: [{ name: 'service', value: 'serve' }] } } },
      },
    });
    const seen: string[][] = [];
    const rollout = () => emulator.controller.get('rollouts', 'default', 'serve')!;
    await waitFor(() => (rollout().status as Json | undefined)?.phase === 'Healthy' || undefined, 30_000, 'first revision healthy');
    seen.push(checkRollout(bodyOf(rollout())));
    emulator.apply('rollouts', { ...rollout(), spec: { ...(rollout().spec as Json), template: podTemplate('vllm:2') } });
    await waitFor(() => (rollout().status as Json | undefined)?.phase === 'Paused' || undefined, 30_000, 'canary paused');
    seen.push(checkRollout(bodyOf(rollout())));
    expect(emulator.controller.list('analysisruns', 'default').length).toBe(1);
    await waitFor(() => ((rollout().status as Json | undefined)?.phase === 'Healthy' && (rollout().status as Json).stableRS === (rollout().status as Json).currentPodHash) || undefined, 30_000, 'promoted');
    seen.push(checkRollout(bodyOf(rollout())));
    expect(seen).toEqual([[], [], []]);
    // The check refuses what the CRD does not define.
    expect(checkRollout({ ...bodyOf(rollout()), status: { ...(rollout().status as Json), stablePodHash: 'x' } })).toEqual(['/status: must NOT have additional properties (stablePodHash)']);
  });
});
