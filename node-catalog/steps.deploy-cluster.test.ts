/**
 * The deploy step in a cluster: server-side apply through the Kubernetes REST API with a service account
 * token, then following the Deployment or the canary Rollout (steps, pauses, background analysis) on the
 * emulated cluster, whose controllers move status as Kubernetes' and Argo Rollouts' do.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { startKubeEmulator } from '../test/kube-emulator/index.ts';
import type { KubeEmulator } from '../test/kube-emulator/index.ts';
import { deployPermissions } from './deploy/permissions.ts';
import { spawn } from 'node:child_process';
import { startMlflowServer } from '../test/mlflow-server/index.ts';
import { errorLine, makeWorkdir, PYTHON, runStep } from './steps.testkit.ts';
import type { StepResult } from './steps.testkit.ts';

let work: ReturnType<typeof makeWorkdir>;
let emulator: KubeEmulator;
let saDir: string;

type Deploy = { kind: string; phase: string; step?: number; steps?: number; weight?: number; paused?: string; analysis?: string; analysis_value?: string; ready?: number; replicas?: number; message?: string };
const deployLines = (r: StepResult): Deploy[] =>
  r.stdout.split('\n').filter((l) => l.startsWith('PIPEWRIGHT_DEPLOY ')).map((l) => JSON.parse(l.slice('PIPEWRIGHT_DEPLOY '.length)) as Deploy);

// Fast canary settings: with timeScale 0.003 a 1 m pause takes 180 ms and a 30 s interval 90 ms.
const FAST = ['--pause', '1m', '--analysis_interval', '30s', '--analysis_count', '3'];

function deploy(out: string, runId: string, args: string[] = []): Promise<StepResult> {
  return runStep(work.script('deploy'), ['--in-model', 'model', '--out-endpoint', out, ...args], {
    cwd: work.dir,
    env: { PIPEWRIGHT_NODE_ID: 'serve', PIPEWRIGHT_RUN_ID: runId, PIPEWRIGHT_KUBE_API: emulator.url, PIPEWRIGHT_SERVICEACCOUNT_DIR: saDir, PIPEWRIGHT_DEPLOY_POLL_SECONDS: '0.02' },
  });
}

beforeAll(async () => {
  work = makeWorkdir();
  mkdirSync(join(work.dir, 'model'), { recursive: true });
  writeFileSync(join(work.dir, 'model', 'config.json'), JSON.stringify({ engine: 'tiny' }));
  saDir = join(work.dir, 'serviceaccount');
  mkdirSync(saDir);
  emulator = await startKubeEmulator({ timeScale: 0.003, namespaces: ['inference'], kfp: false, requireToken: true });
  writeFileSync(join(saDir, 'token'), `${emulator.token}\n`);
});
afterAll(async () => {
  await emulator.close();
  work.cleanup();
});
beforeEach(() => {
  emulator.controller.allowAll();
  emulator.controller.setPrometheus(() => [0.99]);
});

describe('deploy step in a cluster', () => {
  it('applies the Deployment and the LoadBalancer Service (server-side apply, field manager pipewright) and waits for the replicas', async () => {
    const result = await deploy('plain', 'run-1', ['--service_port', '8080']);
    expect(result.code, result.stderr).toBe(0);
    const deployment = emulator.controller.get('deployments', 'inference', 'pipewright-serve')!;
    expect((deployment.metadata.managedFields as Array<{ manager: string; operation: string }>).map((m) => [m.manager, m.operation])).toEqual([['pipewright', 'Apply']]);
    expect((deployment.status as { readyReplicas: number }).readyReplicas).toBe(4);
    const lines = deployLines(result);
    expect(lines[0]).toMatchObject({ kind: 'Deployment', phase: 'Progressing', replicas: 4 });
    expect(lines.at(-1)).toMatchObject({ kind: 'Deployment', phase: 'Healthy', ready: 4, replicas: 4 });
    const endpoint = JSON.parse(readFileSync(join(work.dir, 'plain', 'endpoint.json'), 'utf8'));
    expect(endpoint).toMatchObject({ applied: true, phase: 'Healthy', namespace: 'inference', url: 'http://pipewright-serve.inference.svc.cluster.local:8080/v1' });
    expect(result.stdout).toMatch(/deploy: Deployment inference\/pipewright-serve is Healthy( at http:\/\/203\.0\.113\.10:8080\/v1)?/);
    // What was applied, for the run panel of a cluster run: one PIPEWRIGHT_APPLIED line per object, its YAML as sent.
    const applied = result.stdout.split('\n').filter((l) => l.startsWith('PIPEWRIGHT_APPLIED ')).map((l) => JSON.parse(l.slice('PIPEWRIGHT_APPLIED '.length)) as { file: string; kind: string; name: string; namespace: string; generation?: number; yaml: string });
    expect(applied.map((a) => [a.file, a.kind, a.name, a.namespace])).toEqual([['service.yaml', 'Service', 'pipewright-serve', 'inference'], ['deployment.yaml', 'Deployment', 'pipewright-serve', 'inference']]);
    expect(applied[1].generation).toBe(deployment.metadata.generation);
    expect(parse(applied[1].yaml)).toEqual(parse(readFileSync(join(work.dir, 'plain', 'deployment.yaml'), 'utf8')));
    expect((parse(applied[0].yaml) as { spec: { ports: Array<{ port: number }> } }).spec.ports[0].port).toBe(8080);
  });

  it('a local run only renders, even with a cluster reachable', async () => {
    const result = await runStep(work.script('deploy'), ['--in-model', 'model', '--out-endpoint', 'local', '--namespace', 'local-ns'], {
      cwd: work.dir, env: { PIPEWRIGHT_KUBE_API: emulator.url, PIPEWRIGHT_SERVICEACCOUNT_DIR: saDir, PIPEWRIGHT_LOCAL_RUN: '1' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('not applied: a local run');
    expect(emulator.controller.list('deployments', 'local-ns')).toEqual([]);
  });

  it('walks a canary: the first revision goes straight to 100 %, the next through 25/50/75 % with pauses and a passing analysis', async () => {
    const first = await deploy('canary-1', 'run-1', ['--canary', 'true', ...FAST]);
    expect(first.code, first.stderr).toBe(0);
    expect(deployLines(first).at(-1)).toMatchObject({ kind: 'Rollout', phase: 'Healthy', step: 6, steps: 6, weight: 100 });
    expect(deployLines(first).some((l) => l.paused)).toBe(false);

    const second = await deploy('canary-2', 'run-2', ['--canary', 'true', ...FAST]);
    expect(second.code, second.stderr).toBe(0);
    const lines = deployLines(second);
    const weights = [...new Set(lines.map((l) => l.weight))];
    expect(weights).toEqual([25, 50, 75, 100]);
    expect(lines.filter((l) => l.paused === 'CanaryPauseStep').map((l) => l.weight)).toEqual(expect.arrayContaining([25, 50, 75]));
    expect(lines.some((l) => l.analysis === 'Running' && l.analysis_value === '[0.99]')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ phase: 'Healthy', step: 6, weight: 100 });
    const rollout = emulator.controller.get('rollouts', 'inference', 'pipewright-serve')!;
    expect(rollout.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('2');
    const status = rollout.status as { stableRS: string; currentPodHash: string };
    expect(status.stableRS).toBe(status.currentPodHash);
    const [run] = emulator.controller.list('analysisruns', 'inference');
    const metric = (run.status as { metricResults: Array<{ successful: number; measurements: Array<{ value: string }> }> }).metricResults[0];
    expect(metric.successful).toBeGreaterThanOrEqual(1);
    // The analysis queried the Service by the name the Rollout passed as its argument.
    expect((run.spec as { metrics: Array<{ provider: { prometheus: { query: string } } }> }).metrics[0].provider.prometheus.query).toContain('service="pipewright-serve"');
    const container = ((emulator.controller.get('deployments', 'inference', 'pipewright-serve')!.spec as { template: { spec: { containers: Array<{ env: unknown }> } } }).template.spec.containers[0]);
    expect(container.env).toEqual([{ name: 'MODEL_URI', value: join(work.dir, 'model') }, { name: 'MODEL_VERSION', value: 'run-2' }]);
  });

  it('a failing success rate aborts the rollout and fails the step with the analysis reason', async () => {
    emulator.controller.setPrometheus(() => [0.5]);
    const result = await deploy('canary-bad', 'run-3', ['--canary', 'true', ...FAST]);
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(/rollout of inference\/pipewright-serve failed: RolloutAborted: Rollout aborted update to revision 3: Metric "success-rate" assessed Failed due to failed \(3\) > failureLimit \(2\)/);
    const status = emulator.controller.get('rollouts', 'inference', 'pipewright-serve')!.status as { abort: boolean; phase: string; stableRS: string; currentPodHash: string };
    expect(status).toMatchObject({ abort: true, phase: 'Degraded' });
    expect(status.stableRS).not.toBe(status.currentPodHash);
  });

  it('no data from Prometheus never passes: the analysis is inconclusive, the step aborts the rollout and fails', async () => {
    emulator.controller.setPrometheus(() => []);
    const result = await deploy('canary-nodata', 'run-4', ['--canary', 'true', ...FAST]);
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(/the success-rate analysis was inconclusive \(no data from pipewright-serve-\w+-4\?\): Metric "success-rate" assessed Inconclusive due to inconclusive \(2\) > inconclusiveLimit \(1\)/);
    const rollout = emulator.controller.get('rollouts', 'inference', 'pipewright-serve')!;
    expect(rollout.status).toMatchObject({ abort: true, phase: 'Degraded' });
    expect(deployLines(result).at(-1)).toMatchObject({ phase: 'Aborted' });
  });

  it('a rollout that outlasts the timeout is aborted (status.abort) and the step says where it stood', async () => {
    const result = await deploy('canary-slow', 'run-5', ['--canary', 'true', '--pause', '10h', '--timeout', '1s']);
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(/rollout of inference\/pipewright-serve timed out after 1s at step \d\/6, weight 25 %; aborted/);
    expect(emulator.controller.get('rollouts', 'inference', 'pipewright-serve')!.status).toMatchObject({ abort: true, phase: 'Degraded' });
  });

  it('a Deployment that never gets ready fails at its progress deadline with the controller reason', async () => {
    emulator.controller.setDeploymentNeverReady('inference', 'pipewright-stuck');
    const result = await runStep(work.script('deploy'), ['--in-model', 'model', '--out-endpoint', 'stuck'], {
      cwd: work.dir, env: { PIPEWRIGHT_NODE_ID: 'stuck', PIPEWRIGHT_RUN_ID: 'run-6', PIPEWRIGHT_KUBE_API: emulator.url, PIPEWRIGHT_SERVICEACCOUNT_DIR: saDir, PIPEWRIGHT_DEPLOY_POLL_SECONDS: '0.02' },
    });
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(/failed: ProgressDeadlineExceeded: ReplicaSet "pipewright-stuck-\w+" has timed out progressing\./);
  });

  it('a forbidden apply names the permissions the service account needs', async () => {
    emulator.controller.deny({ verb: 'patch', resource: 'deployments' });
    const result = await deploy('forbidden', 'run-7');
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(/deploy to namespace inference: PATCH \/apis\/apps\/v1\/namespaces\/inference\/deployments\/pipewright-serve\?fieldManager=pipewright&force=true: 403 .*forbidden.*needs: .*patch deployments\.apps in inference/);
  });

  it("watches the registry: each new version the alias points to is rolled out, a failing one aborted while the stable keeps serving", async () => {
    const mlflow = await startMlflowServer();
    let stop = () => {};
    try {
      mlflow.registry.create('korean-llm-7b', [], '');
      mlflow.registry.createVersion('korean-llm-7b', 's3://models/korean-llm-7b/1', '', '', '', []);
      mlflow.registry.setAlias('korean-llm-7b', 'champion', '1');
      const env = {
        ...process.env, PIPEWRIGHT_NODE_ID: 'watch', PIPEWRIGHT_RUN_ID: 'run-w', PIPEWRIGHT_KUBE_API: emulator.url, PIPEWRIGHT_SERVICEACCOUNT_DIR: saDir,
        PIPEWRIGHT_DEPLOY_POLL_SECONDS: '0.02', MLFLOW_TRACKING_URI: mlflow.url, PIPEWRIGHT_REGISTERED_MODEL_NAME: 'korean-llm-7b',
      };
      const child = spawn(PYTHON, ['-u', work.script('deploy'), '--in-model', 'model', '--out-endpoint', 'watch', '--canary', 'true', ...FAST, '--watch_alias', 'champion', '--watch_interval', '0.05'], { cwd: work.dir, env });
      stop = () => child.kill('SIGTERM');
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const modelVersion = () => {
        const d = emulator.controller.get('deployments', 'inference', 'pipewright-watch');
        const env = (d?.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string; value: string }> }> } } } | undefined)?.template.spec.containers[0].env;
        return env?.find((e) => e.name === 'MODEL_VERSION')?.value;
      };
      const healthy = () => (emulator.controller.get('rollouts', 'inference', 'pipewright-watch')?.status as { phase?: string } | undefined)?.phase;
      // The first apply is the node's own model; the watcher then finds the alias at version 1 and rolls it out.
      await expect.poll(() => [modelVersion(), healthy()], { timeout: 15_000 }).toEqual(['1', 'Healthy']);
      mlflow.registry.createVersion('korean-llm-7b', 's3://models/korean-llm-7b/2', '', '', '', []);
      mlflow.registry.setAlias('korean-llm-7b', 'champion', '2');
      await expect.poll(() => stdout.includes('deploy: version 2 is Healthy'), { timeout: 15_000 }).toBe(true);
      expect(stdout).toContain('registry: korean-llm-7b@champion is version 2 (deployed: 1): rolling it out');
      const pod = (emulator.controller.get('deployments', 'inference', 'pipewright-watch')!.spec as { template: { spec: { initContainers: Array<{ command: string[] }> } } }).template.spec;
      expect(pod.initContainers[0].command).toContain('s3://models/korean-llm-7b/2');
      // A version whose analysis fails is aborted; the watcher says so and goes on.
      emulator.controller.setPrometheus(() => [0.2]);
      mlflow.registry.createVersion('korean-llm-7b', 's3://models/korean-llm-7b/3', '', '', '', []);
      mlflow.registry.setAlias('korean-llm-7b', 'champion', '3');
      await expect.poll(() => stderr.includes('version 3 was not rolled out'), { timeout: 15_000 }).toBe(true);
      expect(stderr).toMatch(/Metric "success-rate" assessed Failed.*the stable version keeps serving, watching goes on/);
      expect(child.exitCode).toBeNull();
    } finally {
      stop();
      await mlflow.close();
    }
  });

  it('the permission list for pre-flight matches what the step asks for', () => {
    const step = readFileSync(join(import.meta.dirname, 'deploy', 'step.py'), 'utf8');
    const block = /PERMISSIONS = \[([\s\S]*?)\n\]/.exec(step)![1];
    const fromStep = [...block.matchAll(/\("(\w+)", "([\w.]*)", "([\w/]+)"\)/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
    const fromTs = deployPermissions({ namespace: 'inference', canary: true }).map((p) => `${p.verb} ${p.group} ${p.resource}`).sort();
    expect(fromTs).toEqual(fromStep);
    expect(deployPermissions({ namespace: 'serving', canary: false }).every((p) => p.group !== 'argoproj.io' && p.namespace === 'serving')).toBe(true);
    expect(deployPermissions({ apply: false })).toEqual([]);
  });
});

describe("the rendered Rollout and AnalysisTemplate against Argo Rollouts' CRD schemas", () => {
  const schemaOf = (file: string) => {
    const crd = parse(readFileSync(join(import.meta.dirname, '..', '..', 'shared', 'reference', 'argo-rollouts', file), 'utf8')) as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: object } }> } };
    return crd.spec.versions.find((v) => v.name === 'v1alpha1')!.schema.openAPIV3Schema;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  /** Structural schemas prune unknown fields silently; a test must refuse them, so every object gets additionalProperties: false. */
  const closed = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(closed);
    if (!schema || typeof schema !== 'object') return schema;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v);
    if (out.type === 'object' && out.properties && !out['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  };

  it.each([['rollout.yaml', 'rollout-crd.yaml'], ['analysis-template.yaml', 'analysis-template-crd.yaml']])('%s validates against %s', async (file, crd) => {
    const result = await runStep(work.script('deploy'), ['--in-model', 'model', '--out-endpoint', 'schema', '--canary', 'true'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    const validate = ajv.compile(closed(schemaOf(crd)) as object);
    const doc = parse(readFileSync(join(work.dir, 'schema', file), 'utf8')) as Record<string, unknown>;
    const meta = doc.metadata;
    expect(validate({ ...doc, metadata: {} }), JSON.stringify(validate.errors)).toBe(true);
    expect(meta).toMatchObject({ name: expect.stringMatching(/^[a-z0-9-]+$/) });
    // A misspelt field must fail the same check.
    expect(validate({ ...doc, metadata: {}, spec: { ...(doc.spec as object), replicaz: 1 } })).toBe(false);
  });
});
