/**
 * The strict check the issue asks for: compiled pipelines parsed as KFP's own protobuf messages
 * (PipelineSpec, PipelineDeploymentConfig, PlatformSpec, KubernetesExecutorConfig), unknown fields refused.
 * Needs bindings generated from KFP's .proto files: `scripts/kfp-proto-setup.sh PROTO_DIR OUT`, then
 * KFP_PROTO_BINDINGS=OUT (several folders separated by ':' check against several KFP versions).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { catalog } from '../../node-catalog/index.ts';
import { arbitraryPipeline } from '../../test/fixtures/arbitraryPipeline.ts';
import { KFP_CHECKER, KFP_REFERENCE_DIR, loadTemplate, readKfpYaml } from '../../test/fixtures/kfp-emulation.ts';
import { compileKfp } from './kfp.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const bindings = (process.env.KFP_PROTO_BINDINGS ?? '').split(':').filter(Boolean);
// test/kfp-proto/globalSetup.ts builds them for every run; none means the setup did not run.
if (bindings.length === 0) throw new Error('KFP_PROTO_BINDINGS is not set: run the tests through vitest.config.ts (its global setup builds the bindings)');

const work = mkdtempSync(join(tmpdir(), 'pipewright-kfp-proto-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** The checker's verdict per file: 'ok' or its error line. */
function check(folder: string, files: string[]): Map<string, string> {
  const run = spawnSync('/usr/bin/python3', [KFP_CHECKER, ...files], { env: { ...process.env, KFP_PROTO_BINDINGS: folder }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`checker failed to run: ${run.stderr}`);
  const verdicts = new Map<string, string>();
  for (const line of run.stdout.split('\n').filter(Boolean)) {
    const file = files.find((f) => line.startsWith(`ok ${f}:`) || line.startsWith(`error ${f}`));
    if (file) verdicts.set(file, line.startsWith('ok ') ? 'ok' : line);
  }
  return verdicts;
}

const template = compileKfp(loadTemplate('korean-llm'), catalog)['pipeline.yaml'];

/** The template with one thing broken, as YAML again. */
function broken(change: (pipeline: Json, platform: Json) => void): string {
  const [pipeline, platform] = readKfpYaml(template) as Json[];
  change(pipeline, platform);
  return `${stringify(pipeline)}---\n${stringify(platform)}`;
}

const MUTATIONS: [string, (p: Json, k: Json) => void, RegExp][] = [
  ['an unknown task field', (p) => (p.root.dag.tasks.cpt.retries = 2), /PipelineTaskSpec.*has no field named "retries"/],
  ['a mistyped retry count', (p) => (p.root.dag.tasks.cpt.retryPolicy.maxRetryCount = 'two'), /maxRetryCount/],
  ['an unknown container field', (p) => (p.deploymentSpec.executors['exec-cpt'].container.gpu = 4), /PipelineDeploymentConfig.*has no field named "gpu"/],
  ['a misspelt resource field', (p) => (p.deploymentSpec.executors['exec-cpt'].container.resources.cpuLimits = 32), /has no field named "cpuLimits"/],
  ['an unknown Kubernetes executor field', (_p, k) => (k.platforms.kubernetes.deploymentSpec.executors['exec-cpt'].nodeSelectors = {}), /KubernetesExecutorConfig.*has no field named "nodeSelectors"/],
  ['a string constant for an integer', (p) => (p.root.dag.tasks.cpt.inputs.parameters.num_epochs.runtimeValue.constant = '2'), /constant for num_epochs is str, not NUMBER_INTEGER/],
  ['an artifact from a missing output', (p) => (p.root.dag.tasks.sft.inputs.artifacts.model.taskOutputArtifact.outputArtifactKey = 'weights'), /cpt has no output weights/],
  ['a placeholder for an undeclared parameter', (p) => p.deploymentSpec.executors['exec-cpt'].container.args.push("{{$.inputs.parameters['nope']}}"), /placeholder inputs.parameters\['nope'\]/],
  ['another schema version', (p) => (p.schemaVersion = '2.0.0'), /KFP accepts only 2.1.0/],
];

describe.each(bindings)('KFP protobuf check with bindings in %s', (folder) => {
  it('accepts the KFP-compiled reference files (a check of the checker)', () => {
    const files = readdirSync(KFP_REFERENCE_DIR).filter((f) => f.endsWith('.yaml')).map((f) => join(KFP_REFERENCE_DIR, f));
    const verdicts = check(folder, files);
    for (const [file, verdict] of verdicts) {
      // Backends before 2.5 know neither `secretNameParameter` nor `optional` on SecretAsEnv (see the reference README).
      if (verdict !== 'ok') expect([file, verdict]).toEqual([file, expect.stringMatching(/SecretAsEnv" has no field named "(secretNameParameter|optional)"/)]);
    }
    expect(verdicts.size).toBe(files.length);
  });

  it.each(MUTATIONS)('refuses %s (a check of the checker)', (name, change, message) => {
    const file = write(`broken-${name.replace(/\W+/g, '-')}.yaml`, broken(change));
    expect(check(folder, [file]).get(file)).toMatch(message);
  });

  it('parses both templates, compiled with the real step scripts', () => {
    const files = (['korean-llm', 'korean-llm-smoke'] as const).map((id) => write(`${id}.yaml`, compileKfp(loadTemplate(id), catalog)['pipeline.yaml']));
    const verdicts = check(folder, files);
    expect([...verdicts.values()]).toEqual(['ok', 'ok']);
  });

  it('parses a pipeline with run-time parameters (root inputDefinitions, componentInputParameter, a bound importer URI)', () => {
    const doc = loadTemplate('korean-llm');
    doc.parameters = [
      { name: 'lr', type: 'number', default: 2e-5, description: 'learning rate' },
      { name: 'epochs', type: 'integer', default: 2 },
      { name: 'samples', type: 'integer' },
      { name: 'corpus_uri', type: 'string', default: 's3://bucket/corpus.jsonl' },
      { name: 'flag', type: 'boolean', default: false },
    ];
    const node = (id: string) => doc.nodes.find((n) => n.id === id)!;
    node('cpt').params = { ...node('cpt').params, learning_rate: { $param: 'lr' }, num_epochs: { $param: 'epochs' }, load_in_4bit: { $param: 'flag' } };
    node('eval').params = { ...node('eval').params, max_samples: { $param: 'samples' } };
    node('corpus').params = { ...node('corpus').params, uri: { $param: 'corpus_uri' } };
    const text = compileKfp(doc, catalog)['pipeline.yaml'];
    const [pipeline] = readKfpYaml(text) as Json[];
    expect(pipeline.root.dag.tasks.corpus.inputs.parameters.uri).toEqual({ componentInputParameter: 'corpus_uri' });
    expect(pipeline.deploymentSpec.executors[pipeline.components[pipeline.root.dag.tasks.corpus.componentRef.name].executorLabel].importer.artifactUri).toEqual({ runtimeParameter: 'uri' });
    const file = write('parameters.yaml', text);
    expect(check(folder, [file]).get(file)).toBe('ok');
  });

  it('parses random valid pipelines with hostile values', () => {
    const docs = fc.sample(arbitraryPipeline({ maxNodes: 10 }), { numRuns: 40, seed: 20261128 });
    const files = docs.map((d, i) => write(`random-${i}.yaml`, compileKfp(d, catalog)['pipeline.yaml']));
    const verdicts = check(folder, files);
    expect([...verdicts].filter(([, v]) => v !== 'ok')).toEqual([]);
    expect(verdicts.size).toBe(files.length);
  });
});
