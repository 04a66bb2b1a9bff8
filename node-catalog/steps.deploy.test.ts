/** The deploy step: the accuracy gate, Deployment + Service, the canary Rollout and its analysis, endpoint.json. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { errorLine, makeWorkdir, runStep } from './steps.testkit.ts';

let work: ReturnType<typeof makeWorkdir>;
type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const manifest = (dir: string, file: string): Manifest => parse(readFileSync(join(work.dir, dir, file), 'utf8')) as Manifest;
type Container = { image: string; args: string[]; resources: { limits: Record<string, number> } };
const podSpec = (m: Manifest) => (m.spec.template as { spec: { containers: Container[]; initContainers?: { command: string[] }[]; volumes: Record<string, unknown>[] } }).spec;

beforeAll(() => {
  work = makeWorkdir();
  const write = (dir: string, file: string, data: unknown) => {
    mkdirSync(join(work.dir, dir), { recursive: true });
    writeFileSync(join(work.dir, dir, file), JSON.stringify(data));
  };
  write('tiny', 'config.json', { engine: 'tiny', base_model: 'unsloth/Qwen2.5-7B-bnb-4bit' });
  write('adapter', 'adapter_config.json', { base_model_name_or_path: 'unsloth/Qwen2.5-7B-bnb-4bit', r: 64 });
  write('good', 'metrics.json', { accuracy: 0.82, loss: 1.2 });
  write('bad', 'metrics.json', { accuracy: 0.31 });
  // Perplexities the smoke template's tiny engine reaches: ~46 trained, ~295 with training skipped (learning rate 1e-9).
  write('trained', 'metrics.json', { accuracy: 0, perplexity: 45.66 });
  write('untrained', 'metrics.json', { accuracy: 0, perplexity: 295 });
});
afterAll(() => work.cleanup());

describe('deploy step', () => {
  it('renders a Deployment and a Service with one GPU per replica, and endpoint.json', async () => {
    const result = await runStep(work.script('deploy'), ['--in-model', 'tiny', '--out-endpoint', 'plain', '--replicas', '3', '--namespace', 'serving', '--service_type', 'ClusterIP', '--service_port', '8080'], {
      cwd: work.dir, env: { PIPEWRIGHT_NODE_ID: 'deploy', PIPEWRIGHT_RUN_ID: 'run-7' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(work.dir, 'plain')).sort()).toEqual(['all.yaml', 'deployment.yaml', 'endpoint.json', 'kustomization.yaml', 'service.yaml']);
    const deployment = manifest('plain', 'deployment.yaml');
    expect(deployment).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'pipewright-deploy' }, spec: { replicas: 3 } });
    const [container] = podSpec(deployment).containers;
    expect(container.image).toBe('vllm/vllm-openai:v0.6.3');
    expect(container.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(container.args).toEqual(['--model', '/models/model', '--served-model-name', 'pipewright-deploy', '--port', '8000']);
    expect(podSpec(deployment).volumes[0]).toEqual({ name: 'model', hostPath: { path: join(work.dir, 'tiny'), type: 'Directory' } });
    expect((container as unknown as { env: unknown }).env).toEqual([{ name: 'MODEL_URI', value: join(work.dir, 'tiny') }, { name: 'MODEL_VERSION', value: 'run-7' }]);
    expect(manifest('plain', 'service.yaml')).toMatchObject({ kind: 'Service', spec: { type: 'ClusterIP', ports: [{ port: 8080, targetPort: 8000 }] } });
    const endpoint = JSON.parse(readFileSync(join(work.dir, 'plain', 'endpoint.json'), 'utf8'));
    expect(endpoint).toMatchObject({ url: 'http://pipewright-deploy.serving.svc.cluster.local:8080/v1', replicas: 3, canary: false, engine: 'tiny', applied: false, namespace: 'serving' });
    expect(result.stdout).toContain('not applied: not running in a cluster');
    expect(result.stdout).toContain('PIPEWRIGHT_DEPLOY {"kind": "Deployment", "name": "pipewright-deploy", "phase": "Rendered"}');
    expect(result.infos[0]).toMatchObject({ endpoint: endpoint.url });
    expect(parseAllDocuments(readFileSync(join(work.dir, 'plain', 'all.yaml'), 'utf8')).map((d) => d.toJSON().kind)).toEqual(['Deployment', 'Service']);
    expect(result.stderr).toContain('tiny engine');
  });

  it('with canary adds an Argo Rollout with 25/50/75 % steps and pauses, and a Prometheus success-rate analysis', async () => {
    const result = await runStep(work.script('deploy'), ['--in-model', 'adapter', '--in-metrics', 'good', '--min_accuracy', '0.8', '--canary', 'true', '--out-endpoint', 'canary'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('gate passed: accuracy 0.8200 >= min_accuracy 0.8');
    const rollout = manifest('canary', 'rollout.yaml');
    expect(rollout).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { replicas: 4, workloadRef: { kind: 'Deployment', name: 'pipewright-model' } } });
    expect(manifest('canary', 'deployment.yaml').spec.replicas).toBe(0);
    expect(manifest('canary', 'service.yaml').spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8000 }] });
    const canary = (rollout.spec.strategy as { canary: { steps: Record<string, unknown>[]; analysis: { templates: { templateName: string }[] } } }).canary;
    expect(canary.steps.filter((s) => 'setWeight' in s).map((s) => s.setWeight)).toEqual([25, 50, 75]);
    expect(canary.steps.filter((s) => 'pause' in s)).toEqual(Array(3).fill({ pause: { duration: '10m' } }));
    const analysis = manifest('canary', 'analysis-template.yaml');
    expect(analysis.kind).toBe('AnalysisTemplate');
    expect(analysis.metadata.name).toBe(canary.analysis.templates[0].templateName);
    const [metric] = analysis.spec.metrics as { successCondition: string; failureCondition: string; interval: string; count: number; provider: { prometheus: { query: string; address: string } } }[];
    expect(metric).toMatchObject({ interval: '2m', count: 5, failureLimit: 2, inconclusiveLimit: 1 });
    expect(metric.provider.prometheus.address).toBe('http://prometheus.monitoring.svc.cluster.local:9090');
    expect(metric.provider.prometheus.query).toContain('service="{{args.service-name}}"');
    expect(metric.provider.prometheus.query).toContain('status!~"5.."');
    // No data (an empty vector, or NaN when there were no requests) meets neither condition: Inconclusive, never Successful.
    expect(metric.successCondition).toBe('len(result) > 0 && result[0] >= 0.95');
    expect(metric.failureCondition).toBe('len(result) > 0 && result[0] < 0.95');
    const [container] = podSpec(manifest('canary', 'deployment.yaml')).containers;
    expect(container.args).toEqual([
      '--model', 'unsloth/Qwen2.5-7B-bnb-4bit', '--enable-lora', '--lora-modules', 'pipewright-model=/models/model', '--max-lora-rank', '64',
      '--quantization', 'bitsandbytes', '--load-format', 'bitsandbytes', '--port', '8000',
    ]);
    expect(parse(readFileSync(join(work.dir, 'canary', 'kustomization.yaml'), 'utf8')).resources).toEqual(['deployment.yaml', 'service.yaml', 'rollout.yaml', 'analysis-template.yaml']);
  });

  it('fetches a model from its KFP artifact URI with an init container', async () => {
    const executorInput = { inputs: { artifacts: { model: { artifacts: [{ name: 'm', uri: 's3://bucket/run/sft/model' }] } } }, outputs: { outputFile: join(work.dir, 'kfp.json') } };
    const result = await runStep(work.script('deploy'), ['--in-model', 'adapter', '--out-endpoint', 'kfp', '--executor-input', JSON.stringify(executorInput)], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    const pod = podSpec(manifest('kfp', 'deployment.yaml'));
    expect(pod.initContainers?.[0].command).toEqual(['aws', 's3', 'cp', '--recursive', 's3://bucket/run/sft/model', '/models/model']);
    expect(pod.volumes[0]).toEqual({ name: 'model', emptyDir: {} });
  });

  it("fetches from KFP's default MinIO store with its credentials Secret", async () => {
    const executorInput = { inputs: { artifacts: { model: { artifacts: [{ name: 'm', uri: 'minio://mlpipeline/v2/artifacts/sft/model' }] } } } };
    const result = await runStep(work.script('deploy'), ['--in-model', 'adapter', '--out-endpoint', 'minio', '--executor-input', JSON.stringify(executorInput)], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    const init = (podSpec(manifest('minio', 'deployment.yaml')).initContainers as unknown as { command: string[]; env: { name: string; valueFrom?: unknown }[] }[])[0];
    expect(init.command).toContain('s3://mlpipeline/v2/artifacts/sft/model');
    expect(init.env.map((e) => e.name)).toEqual(['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(init.env[1].valueFrom).toEqual({ secretKeyRef: { name: 'mlpipeline-minio-artifact', key: 'accesskey' } });
  });

  it.each([
    [['--pause', '10 minutes'], /--pause '10 minutes' is not a duration like 90s, 10m or 1h30m/],
    [['--namespace', 'Inference'], /--namespace 'Inference' is not a Kubernetes namespace name/],
  ])('refuses a bad parameter before rendering (%j)', async (args, message) => {
    const result = await runStep(work.script('deploy'), ['--in-model', 'tiny', '--out-endpoint', 'bad-param', ...args], { cwd: work.dir });
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(message);
  });

  it.each([
    [['--in-metrics', 'bad', '--min_accuracy', '0.5'], /refusing to deploy: accuracy 0\.3100 is below min_accuracy 0\.5 \(from bad\/metrics\.json\)/],
    [['--min_accuracy', '0.5'], /min_accuracy is 0\.5 but no metrics input is connected/],
    [['--in-metrics', 'untrained', '--max_perplexity', '100'], /refusing to deploy: perplexity 295\.00 is above max_perplexity 100(\.0)? \(from untrained\/metrics\.json\): the model has not learnt enough/],
    [['--max_perplexity', '100'], /max_perplexity is 100(\.0)? but no metrics input is connected/],
  ])('refuses below min_accuracy and writes nothing (%j)', async (args, message) => {
    const out = `refused-${args.length}`;
    const result = await runStep(work.script('deploy'), ['--in-model', 'tiny', '--out-endpoint', out, ...args], { cwd: work.dir });
    expect(result.code).toBe(1);
    expect(errorLine(result)).toMatch(message);
    expect(() => readdirSync(join(work.dir, out))).toThrow();
  });

  it('passes a model that learnt (perplexity under max_perplexity)', async () => {
    const result = await runStep(work.script('deploy'), ['--in-model', 'tiny', '--in-metrics', 'trained', '--max_perplexity', '100', '--out-endpoint', 'learnt'], { cwd: work.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/gate passed: accuracy 0\.0000 >= min_accuracy 0(\.0)?, perplexity 45\.66 <= max_perplexity 100/);
  });
});
