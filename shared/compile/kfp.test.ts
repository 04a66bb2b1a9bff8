import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalog } from '../../node-catalog/index.ts';
import { arbitraryPipeline } from '../../test/fixtures/arbitraryPipeline.ts';
import { catalogWithScript, kfpStubCatalog, loadTemplate, readKfpYaml } from '../../test/fixtures/kfp-emulation.ts';
import type { PipelineDocument, PipelineNode } from '../pipeline/types.ts';
import { compileKfp, kfpDocuments, KFP_LAUNCHER } from './kfp.ts';
import { containerEnv, containerExecutor } from './kfp/container.ts';
import { containerComponent, importerComponent, importerExecutor } from './kfp/dag.ts';
import { planDataset } from './kfp/dataset.ts';
import { launcherCommand } from './kfp/launcher.ts';
import { kubernetesExecutorConfig, secretAsEnv } from './kfp/platform.ts';
import { CompileError, planPipeline } from './plan.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function compile(doc: PipelineDocument, cat = kfpStubCatalog): { pipeline: Json; platform?: Json; text: string } {
  const text = compileKfp(doc, cat)['pipeline.yaml'];
  const [pipeline, platform] = readKfpYaml(text);
  return { pipeline: pipeline as Json, platform: platform as Json | undefined, text };
}

const at = (x: number) => ({ x, y: 0 });
function doc(nodes: PipelineNode[], edges: [string, string, string, string][] = [], settings: PipelineDocument['settings'] = {}): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v1',
    name: 'test-pipeline',
    settings,
    nodes,
    edges: edges.map(([source, sourceHandle, target, targetHandle], i) => ({ id: `e${i}`, source, sourceHandle, target, targetHandle })),
  };
}

describe('compileKfp: the Korean LLM template', () => {
  const { pipeline, platform, text } = compile(loadTemplate('korean-llm'));
  const tasks = pipeline.root.dag.tasks;
  const executors = pipeline.deploymentSpec.executors;

  it('writes one task per node, named by its id, with a component and executor named by its type', () => {
    const ids = loadTemplate('korean-llm').nodes.map((n) => n.id);
    expect(Object.keys(tasks).sort()).toEqual([...ids].sort());
    const components = Object.fromEntries(ids.map((id) => [id, tasks[id].componentRef.name]));
    expect(components).toEqual({
      corpus: 'comp-importer',
      preprocess: 'comp-preprocess',
      cpt: 'comp-cpt',
      instructions: 'comp-importer-2',
      sft: 'comp-sft',
      'test-set': 'comp-importer-3',
      eval: 'comp-eval',
      deploy: 'comp-deploy',
    });
    for (const id of ids) {
      expect(tasks[id].taskInfo.name).toBe(id);
      const label = pipeline.components[components[id]].executorLabel;
      expect(label).toBe(components[id].replace(/^comp-/, 'exec-'));
      expect(executors[label]).toBeDefined();
    }
    expect(Object.keys(executors)).toHaveLength(ids.length);
    expect(pipeline.pipelineInfo.name).toBe('korean-llm');
    expect(pipeline.schemaVersion).toBe('2.1.0');
    expect(pipeline.defaultPipelineRoot).toBe('s3://korean-llm-pipelines/runs');
    expect(text.startsWith('# PIPELINE DEFINITION\n# Name: korean-llm\n')).toBe(true);
  });

  it('imports s3:// datasets with importer executors, like dsl.importer', () => {
    expect(executors['exec-importer']).toEqual({
      importer: {
        artifactUri: { constant: 's3://korean-llm-data/corpus/' },
        typeSchema: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
        metadata: { format: 'jsonl' },
      },
    });
    expect(pipeline.components['comp-importer'].inputDefinitions).toEqual({ parameters: { uri: { parameterType: 'STRING' } } });
    expect(tasks.corpus.inputs.parameters.uri).toEqual({ runtimeValue: { constant: 's3://korean-llm-data/corpus/' } });
  });

  it('types every parameter and passes the node values as constants', () => {
    const params = pipeline.components['comp-cpt'].inputDefinitions.parameters;
    expect(params.learning_rate).toEqual({ parameterType: 'NUMBER_DOUBLE' });
    expect(params.num_epochs).toEqual({ parameterType: 'NUMBER_INTEGER' });
    expect(params.base_model).toEqual({ parameterType: 'STRING' });
    expect(params.precision).toEqual({ parameterType: 'STRING' });
    expect(params.load_in_4bit).toEqual({ parameterType: 'BOOLEAN' });
    expect(params.target_modules).toEqual({ parameterType: 'LIST' });
    const inputs = tasks.cpt.inputs.parameters;
    expect(inputs.learning_rate).toEqual({ runtimeValue: { constant: 1e-5 } });
    expect(inputs.num_epochs).toEqual({ runtimeValue: { constant: 2 } });
    expect(inputs.target_modules).toEqual({ runtimeValue: { constant: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] } });
    expect(inputs.max_steps).toEqual({ runtimeValue: { constant: 0 } }); // a catalog default the template leaves out
  });

  it('wires artifacts along the edges, with dependentTasks and typed definitions', () => {
    expect(tasks.sft.inputs.artifacts).toEqual({
      model: { taskOutputArtifact: { producerTask: 'cpt', outputArtifactKey: 'model' } },
      dataset: { taskOutputArtifact: { producerTask: 'instructions', outputArtifactKey: 'dataset' } },
    });
    expect(tasks.sft.dependentTasks).toEqual(['cpt', 'instructions']);
    expect(tasks.deploy.dependentTasks).toEqual(['eval', 'sft']);
    expect(tasks.corpus.dependentTasks).toBeUndefined();
    expect(pipeline.components['comp-sft'].inputDefinitions.artifacts.model).toEqual({ artifactType: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } });
    expect(pipeline.components['comp-eval'].outputDefinitions.artifacts.metrics.artifactType.schemaTitle).toBe('system.Metrics');
    expect(pipeline.components['comp-deploy'].outputDefinitions.artifacts.endpoint.artifactType.schemaTitle).toBe('system.Artifact');
  });

  it('exposes eval metrics as pipeline outputs', () => {
    expect(pipeline.root.dag.outputs.artifacts).toEqual({ eval_metrics: { artifactSelectors: [{ producerSubtask: 'eval', outputArtifactKey: 'metrics' }] } });
    expect(pipeline.root.outputDefinitions.artifacts.eval_metrics.artifactType.schemaTitle).toBe('system.Metrics');
  });

  it('sets retries with a backoff and caching per task', () => {
    expect(tasks.cpt.retryPolicy).toEqual({ maxRetryCount: 2, backoffDuration: '60s', backoffFactor: 2, backoffMaxDuration: '3600s' });
    expect(tasks.eval.retryPolicy.maxRetryCount).toBe(3);
    expect(tasks.corpus.retryPolicy).toBeUndefined();
    expect(tasks.cpt.cachingOptions).toEqual({ enableCache: true });
  });

  it('writes resources in both styles, memory in decimal GB', () => {
    expect(executors['exec-cpt'].container.resources).toEqual({
      resourceCpuLimit: '32',
      resourceCpuRequest: '32',
      cpuLimit: 32,
      cpuRequest: 32,
      resourceMemoryLimit: '200Gi',
      resourceMemoryRequest: '200Gi',
      memoryLimit: 214.7483648,
      memoryRequest: 214.7483648,
      accelerator: { resourceType: 'nvidia.com/gpu', resourceCount: '4', type: 'nvidia.com/gpu', count: '4' },
    });
    expect(executors['exec-deploy'].container.resources.accelerator).toBeUndefined();
    expect(text).toMatch(/\n {10}cpuLimit: 32\n/);
  });

  it('carries the step script in the command, the node id and flags in args, with the MLflow URI in env', () => {
    const sft = executors['exec-sft'].container;
    expect(sft.image).toBe('pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime');
    expect(sft.command).toEqual(['python3', '-u', '-c', KFP_LAUNCHER, kfpStubCatalog.get('sft')!.script]);
    expect(sft.args.slice(0, 6)).toEqual([
      '--pipewright-node-id',
      "{{$.inputs.parameters['pipewright-node-id']}}",
      '--base_model',
      "{{$.inputs.parameters['base_model']}}",
      '--engine',
      "{{$.inputs.parameters['engine']}}",
    ]);
    expect(pipeline.components['comp-sft'].inputDefinitions.parameters['pipewright-node-id']).toEqual({ parameterType: 'STRING' });
    expect(tasks.sft.inputs.parameters['pipewright-node-id']).toEqual({ runtimeValue: { constant: 'sft' } });
    expect(tasks.corpus.inputs.parameters['pipewright-node-id']).toBeUndefined();
    expect(sft.args.slice(-4)).toEqual(['--in-dataset', "{{$.inputs.artifacts['dataset'].path}}", '--out-model', "{{$.outputs.artifacts['model'].path}}"]);
    expect(sft.args).toContain('--in-model');
    expect(executors['exec-eval'].container.args.slice(-2)).toEqual(['--executor-input', '{{$}}']);
    expect(sft.args).not.toContain('--executor-input');
    expect(sft.env).toEqual([{ name: 'MLFLOW_TRACKING_URI', value: 'http://mlflow-server.mlflow.svc.cluster.local:5000' }]);
  });

  it('puts GPU product selectors, tolerations and secret references in platforms.kubernetes', () => {
    const k8s = platform!.platforms.kubernetes.deploymentSpec.executors;
    expect(k8s['exec-cpt']).toEqual({
      nodeSelector: { labels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' } },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      secretAsEnv: [{ secretName: 'hf-token', keyToEnv: [{ secretKey: 'token', envVar: 'HF_TOKEN' }] }],
    });
    expect(k8s['exec-deploy']).toEqual({ secretAsEnv: [{ secretName: 'hf-token', keyToEnv: [{ secretKey: 'token', envVar: 'HF_TOKEN' }] }] });
    expect(k8s['exec-importer']).toBeUndefined();
  });
});

describe('compileKfp: other shapes', () => {
  it('runs sample:// datasets as a fetch step that carries the sample', () => {
    const { pipeline, platform } = compile(loadTemplate('korean-llm-smoke'));
    const tasks = pipeline.root.dag.tasks;
    expect([tasks.corpus, tasks.instructions, tasks['test-set']].map((t) => t.componentRef.name)).toEqual(['comp-dataset', 'comp-dataset-2', 'comp-dataset-3']);
    const corpus = pipeline.deploymentSpec.executors['exec-dataset'].container;
    expect(corpus.command.slice(5)).toEqual(['--pipewright-sample=ko_corpus.jsonl', '{"text": "안녕하세요. 한국어 말뭉치입니다."}\n']);
    expect(pipeline.deploymentSpec.executors['exec-dataset-2'].container.command[5]).toBe('--pipewright-sample=ko_instructions.jsonl');
    expect(corpus.image).toBe('python:3.11-slim');
    expect(corpus.args).toEqual(['--pipewright-node-id', "{{$.inputs.parameters['pipewright-node-id']}}", '--uri', "{{$.inputs.parameters['uri']}}", '--format', "{{$.inputs.parameters['format']}}", '--out-dataset', "{{$.outputs.artifacts['dataset'].path}}"]);
    expect(pipeline.root.dag.tasks.corpus.inputs.parameters.uri).toEqual({ runtimeValue: { constant: 'sample://ko_corpus.jsonl' } });
    expect(platform).toBeUndefined();
  });

  it('fetches https:// data with a step and refuses a local path, naming the node', () => {
    const https = compile(doc([{ id: 'd', type: 'dataset', position: at(0), params: { uri: 'https://example.com/ko.jsonl' } }]));
    expect(https.pipeline.deploymentSpec.executors['exec-dataset'].container.command).toHaveLength(5);
    const local = doc([{ id: 'd', type: 'dataset', position: at(0), params: { uri: 'data/ko.jsonl' } }]);
    expect(() => compileKfp(local, kfpStubCatalog)).toThrow(/node "d": uri "data\/ko.jsonl" is a path on this machine/);
  });

  it('marks an unconnected optional input and passes no flag for it', () => {
    const d = doc(
      [
        { id: 'base', type: 'dataset', position: at(0), params: { uri: 'gs://b/x' } },
        { id: 'sft', type: 'sft', position: at(1), cache: false, retries: 0, resources: { gpus: 0, cpu: '500m', memory: '256Mi' } },
      ],
      [['base', 'dataset', 'sft', 'dataset']],
    );
    const { pipeline } = compile(d);
    expect(pipeline.components['comp-sft'].inputDefinitions.artifacts.model.isOptional).toBe(true);
    const container = pipeline.deploymentSpec.executors['exec-sft'].container;
    expect(container.args).not.toContain('--in-model');
    expect(container.resources).toEqual({ resourceCpuLimit: '500m', resourceCpuRequest: '500m', cpuLimit: 0.5, cpuRequest: 0.5, resourceMemoryLimit: '256Mi', resourceMemoryRequest: '256Mi', memoryLimit: 0.268435456, memoryRequest: 0.268435456 });
    expect(pipeline.root.dag.tasks.sft.cachingOptions).toEqual({ enableCache: false });
    expect(pipeline.root.dag.tasks.sft.retryPolicy).toBeUndefined();
  });

  it('compiles a python node from its interface and code, with settings.image', () => {
    const py: PipelineNode = {
      id: 'custom',
      type: 'python',
      position: at(0),
      code: 'print("hi")\n',
      params: { ratio: 0.5, tags: ['a', 'b'] },
      interface: {
        inputs: [],
        outputs: [{ name: 'report', kind: 'metrics' }],
        parameters: [
          { name: 'ratio', type: 'number', title: { en: 'r', ko: 'r' }, help: { en: '', ko: '' } },
          { name: 'tags', type: 'string-list', title: { en: 't', ko: 't' }, help: { en: '', ko: '' } },
        ],
      },
    };
    const { pipeline } = compile(doc([py], [], { image: 'ghcr.io/acme/py:1' }));
    const container = pipeline.deploymentSpec.executors['exec-python'].container;
    expect(container.image).toBe('ghcr.io/acme/py:1');
    expect(container.command[4]).toBe('print("hi")\n');
    expect(container.args).toEqual(['--pipewright-node-id', "{{$.inputs.parameters['pipewright-node-id']}}", '--ratio', "{{$.inputs.parameters['ratio']}}", '--tags', "{{$.inputs.parameters['tags']}}", '--out-report', "{{$.outputs.artifacts['report'].path}}"]);
    expect(pipeline.components['comp-python'].inputDefinitions.parameters).toEqual({ ratio: { parameterType: 'NUMBER_DOUBLE' }, tags: { parameterType: 'LIST' }, 'pipewright-node-id': { parameterType: 'STRING' } });
  });

  it('writes doubles so YAML 1.1 and 1.2 read the same numbers', () => {
    const d = doc([{ id: 'p', type: 'preprocess', position: at(0) }, { id: 'c', type: 'cpt', position: at(1), params: { learning_rate: 1e-7, lora_dropout: 1 } }, { id: 'd', type: 'dataset', position: at(2), params: { uri: 's3://b/x' } }], [
      ['d', 'dataset', 'p', 'dataset'],
      ['p', 'dataset', 'c', 'dataset'],
    ]);
    const { text } = compile(d);
    expect(text).toContain('constant: 1.0e-7\n');
    expect((readKfpYaml(text, '1.1')[0] as Json).root.dag.tasks.c.inputs.parameters.lora_dropout.runtimeValue.constant).toBe(1);
    expect(readKfpYaml(text, '1.1')).toEqual(readKfpYaml(text, '1.2'));
  });

  it.each<[string, PipelineDocument, RegExp]>([
    ['an unknown node type', doc([{ id: 'x', type: 'nope', position: at(0) }]), /node "x" has unknown type "nope"/],
    ['an edge to a missing port', doc([{ id: 'd', type: 'dataset', position: at(0), params: { uri: 's3://b' } }, { id: 'p', type: 'preprocess', position: at(1) }], [['d', 'dataset', 'p', 'nope']]), /edge "e0": node "p" has no input "nope"/],
    ['a cycle', doc([{ id: 'a', type: 'preprocess', position: at(0) }, { id: 'b', type: 'preprocess', position: at(1) }], [['a', 'dataset', 'b', 'dataset'], ['b', 'dataset', 'a', 'dataset']]), /cycle through a, b/],
    ['a bad memory quantity', doc([{ id: 'p', type: 'python', position: at(0), code: '', resources: { memory: '12 GB' } }]), /node "p": resources.memory/],
    ['"{{" in the image', doc([{ id: 'p', type: 'python', position: at(0), code: '' }], [], { image: 'img:{{workflow.name}}' }), /image .* of node "p" cannot contain "\{\{"/],
    ['"{{" in a secret name', doc([{ id: 'p', type: 'python', position: at(0), code: '' }], [], { secretEnv: [{ secret: '{{x}}', key: 'k', env: 'E' }] }), /settings.secretEnv.0.secret/],
  ])('refuses %s with a CompileError that says where', (_name, input, message) => {
    expect(() => compileKfp(input, kfpStubCatalog)).toThrow(CompileError);
    expect(() => compileKfp(input, kfpStubCatalog)).toThrow(message);
  });

  it('refuses a script too long for one argument', () => {
    const big = catalogWithScript(`# ${'x'.repeat(140_000)}\n`);
    expect(() => compileKfp(doc([{ id: 'p', type: 'preprocess', position: at(0) }, { id: 'd', type: 'dataset', position: at(1), params: { uri: 's3://b' } }], [['d', 'dataset', 'p', 'dataset']]), big)).toThrow(/node "p": its step script is \d+ bytes/);
  });
});

/** Resource values a variant node may get instead of its original's. */
const VARIANT_RESOURCES: [keyof NonNullable<PipelineNode['resources']>, unknown][] = [
  ['gpus', 3],
  ['cpu', '3'],
  ['memory', '3Gi'],
  ['gpuResource', 'amd.com/gpu'],
  ['gpuProduct', 'NVIDIA-L4'],
  ['tolerations', [{ key: 'spot', operator: 'Exists' }]],
];

/**
 * The document plus, per node, an exact copy and a copy with one thing changed (a resource, a parameter's
 * type, or an optional input left unconnected), fed by the same sources: pairs that must and must not share definitions.
 */
function withVariants(d: PipelineDocument, picks: number[]): PipelineDocument {
  const nodes = [...d.nodes];
  const edges = [...d.edges];
  d.nodes.forEach((node, i) => {
    const pick = picks[i % picks.length];
    const [field, value] = VARIANT_RESOURCES[pick % VARIANT_RESOURCES.length];
    const variant = { ...structuredClone(node), id: `${node.id}-v` };
    const param = variant.interface?.parameters[0];
    if (param && pick % 2 === 0) param.type = param.type === 'string' ? 'integer' : 'string';
    else if (pick % 7 !== 6 && node.type !== 'dataset') variant.resources = { ...variant.resources, [field]: value };
    nodes.push({ ...structuredClone(node), id: `${node.id}-c` }, variant);
    const incoming = d.edges.filter((e) => e.target === node.id);
    const dropped = pick % 7 === 6 ? incoming.find((e) => node.type === 'sft' && e.targetHandle === 'model') : undefined;
    for (const e of incoming) {
      edges.push({ ...e, id: `${e.id}-c`, target: `${node.id}-c` });
      if (e !== dropped) edges.push({ ...e, id: `${e.id}-v`, target: `${node.id}-v` });
    }
  });
  return { ...d, nodes, edges };
}

describe('compileKfp: components and executors shared by tasks', () => {
  const gpu = { gpus: 1, cpu: '8', memory: '50Gi' };
  const cpts = (resources: Record<string, PipelineNode['resources']>): PipelineNode[] =>
    Object.entries(resources).map(([id, r], i) => ({ id, type: 'cpt', position: at(i), params: { learning_rate: 1e-5 * (i + 1) }, resources: r }));

  it('gives tasks with the same definition one component and one executor, the values and node id as task inputs', () => {
    const { pipeline } = compile(doc(cpts({ a: gpu, b: gpu, c: gpu })));
    const tasks = pipeline.root.dag.tasks;
    expect(Object.keys(pipeline.components)).toEqual(['comp-cpt']);
    expect(Object.keys(pipeline.deploymentSpec.executors)).toEqual(['exec-cpt']);
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      expect(tasks[id].componentRef.name).toBe('comp-cpt');
      expect(tasks[id].inputs.parameters['pipewright-node-id']).toEqual({ runtimeValue: { constant: id } });
      expect(tasks[id].inputs.parameters.learning_rate).toEqual({ runtimeValue: { constant: 1e-5 * (i + 1) } });
    }
    expect(JSON.stringify(pipeline.deploymentSpec)).not.toMatch(/"(a|b|c)"/);
  });

  it.each<[string, Record<string, PipelineNode['resources']>, Record<string, string>, number]>([
    ['resources', { a: gpu, b: { ...gpu, gpus: 2 }, c: gpu, d: { ...gpu, memory: '60Gi' } }, { a: 'comp-cpt', b: 'comp-cpt-2', c: 'comp-cpt', d: 'comp-cpt-3' }, 0],
    ['the GPU product (platform config only)', { a: gpu, b: { ...gpu, gpuProduct: 'NVIDIA-A100-SXM4-80GB' } }, { a: 'comp-cpt', b: 'comp-cpt-2' }, 1],
    ['tolerations', { a: { ...gpu, tolerations: [{ key: 'gpu', operator: 'Exists' }] }, b: gpu }, { a: 'comp-cpt', b: 'comp-cpt-2' }, 1],
  ])('gives tasks that differ in %s their own executors, named in the order tasks use them', (_what, resources, names, platforms) => {
    const { pipeline, platform } = compile(doc(cpts(resources)));
    const used = Object.fromEntries(Object.keys(names).map((id) => [id, pipeline.root.dag.tasks[id].componentRef.name]));
    expect(used).toEqual(names);
    const labels = [...new Set(Object.values(names))].map((n) => n.replace('comp-', 'exec-'));
    expect(Object.keys(pipeline.deploymentSpec.executors)).toEqual(labels);
    expect(Object.keys(platform?.platforms.kubernetes.deploymentSpec.executors ?? {})).toHaveLength(platforms);
  });

  it('gives a different signature (an input connected or not) its own component', () => {
    const d = doc(
      [
        { id: 'd', type: 'dataset', position: at(0), params: { uri: 's3://b/x' } },
        { id: 's1', type: 'sft', position: at(1) },
        { id: 's2', type: 'sft', position: at(2) },
        { id: 's3', type: 'sft', position: at(3) },
      ],
      [['d', 'dataset', 's1', 'dataset'], ['d', 'dataset', 's2', 'dataset'], ['s1', 'model', 's2', 'model'], ['d', 'dataset', 's3', 'dataset']],
    );
    const { pipeline } = compile(d);
    const names = ['s1', 's2', 's3'].map((id) => pipeline.root.dag.tasks[id].componentRef.name);
    expect(names).toEqual(['comp-sft', 'comp-sft-2', 'comp-sft']);
    expect(pipeline.components['comp-sft'].inputDefinitions.artifacts.model.isOptional).toBe(true);
    expect(pipeline.components['comp-sft-2'].inputDefinitions.artifacts.model.isOptional).toBeUndefined();
    expect(pipeline.deploymentSpec.executors['exec-sft-2'].container.args).toContain('--in-model');
  });

  it('shares an importer only between datasets with the same URI', () => {
    const d = doc([
      { id: 'a', type: 'dataset', position: at(0), params: { uri: 's3://b/x' } },
      { id: 'b', type: 'dataset', position: at(1), params: { uri: 's3://b/y' } },
      { id: 'c', type: 'dataset', position: at(2), params: { uri: 's3://b/x' } },
    ]);
    const { pipeline } = compile(d);
    expect(['a', 'b', 'c'].map((id) => pipeline.root.dag.tasks[id].componentRef.name)).toEqual(['comp-importer', 'comp-importer-2', 'comp-importer']);
    expect(pipeline.deploymentSpec.executors['exec-importer-2'].importer.artifactUri).toEqual({ constant: 's3://b/y' });
  });

  it('gives every task exactly the component, executor and platform config its own node compiles to (random pipelines)', () => {
    fc.assert(
      fc.property(arbitraryPipeline({ minNodes: 2, maxNodes: 10 }), fc.array(fc.nat(), { minLength: 10, maxLength: 10 }), (original, picks) => {
        const d = withVariants(original, picks);
        const { pipeline, platform } = kfpDocuments(d, kfpStubCatalog) as { pipeline: Json; platform?: Json };
        const settings = d.settings ?? {};
        const secrets = settings.secretEnv?.length ? secretAsEnv(settings.secretEnv) : undefined;
        for (const p of planPipeline(d, kfpStubCatalog).nodes) {
          const component = pipeline.components[pipeline.root.dag.tasks[p.id].componentRef.name];
          const label: string = component.executorLabel;
          const executor = pipeline.deploymentSpec.executors[label];
          const dataset = p.resolved.spec.importer ? planDataset(p, kfpStubCatalog.samples) : undefined;
          if (dataset?.kind === 'importer') {
            expect(component).toEqual(importerComponent(p, label));
            expect(executor).toEqual(importerExecutor(p, dataset.uri));
            continue;
          }
          expect(component).toEqual(containerComponent(p, label));
          expect(executor).toEqual(containerExecutor(p, settings.image, launcherCommand(p.id, p.resolved.script, dataset?.sample), containerEnv(settings)));
          expect(platform?.platforms.kubernetes.deploymentSpec.executors[label]).toEqual(kubernetesExecutorConfig(p, secrets));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a 300-node pipeline with the real scripts small: each script written once per variant', () => {
    const nodes: PipelineNode[] = [];
    const edges: [string, string, string, string][] = [];
    for (let i = 0; i < 100; i++) {
      nodes.push({ id: `d${i}`, type: 'dataset', position: at(i), params: { uri: `https://example.com/${i}.jsonl` } });
      nodes.push({ id: `p${i}`, type: 'preprocess', position: at(i), params: { min_length: i + 1 } });
      nodes.push({ id: `c${i}`, type: 'cpt', position: at(i), params: { learning_rate: 1e-5 + i * 1e-7 } });
      edges.push([`d${i}`, 'dataset', `p${i}`, 'dataset'], [`p${i}`, 'dataset', `c${i}`, 'dataset']);
    }
    const { pipeline, text } = compile(doc(nodes, edges), catalog);
    expect(Object.keys(pipeline.deploymentSpec.executors)).toEqual(['exec-dataset', 'exec-preprocess', 'exec-cpt']);
    const scripts = ['dataset', 'preprocess', 'cpt'].reduce((n, t) => n + catalog.get(t)!.script.length, 0);
    expect(text.length).toBeLessThan(scripts * 1.1 + 300 * 1500);
  });
});

describe('compileKfp: determinism and secrets', () => {
  it('gives byte-identical output for the same input, for random pipelines', () => {
    fc.assert(
      fc.property(arbitraryPipeline({ maxNodes: 8 }), (d) => {
        const first = compileKfp(d, kfpStubCatalog)['pipeline.yaml'];
        expect(compileKfp(structuredClone(d), kfpStubCatalog)['pipeline.yaml']).toBe(first);
      }),
      { numRuns: 40 },
    );
  });

  it('never writes a secret value, only its name, key and variable', () => {
    const d = loadTemplate('korean-llm');
    const text = compileKfp(d, kfpStubCatalog)['pipeline.yaml'];
    expect(text).toContain('secretName: hf-token');
    expect(text).not.toMatch(/valueFrom|secretKeyRef|stringData|\bdata:/);
    expect(text).not.toContain('HF_TOKEN=');
  });
});
