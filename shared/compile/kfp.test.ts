import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { arbitraryPipeline } from '../../test/fixtures/arbitraryPipeline.ts';
import { catalogWithScript, kfpStubCatalog, loadTemplate, readKfpYaml } from '../../test/fixtures/kfp-emulation.ts';
import type { PipelineDocument, PipelineNode } from '../pipeline/types.ts';
import { TRAINING_IMAGE } from '../../node-catalog/params.ts';
import { compileKfp, KFP_LAUNCHER } from './kfp.ts';
import { CompileError } from './plan.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function compile(doc: PipelineDocument, cat = kfpStubCatalog): { pipeline: Json; platform?: Json; text: string } {
  const text = compileKfp(doc, cat)['pipeline.yaml'];
  const [pipeline, platform] = readKfpYaml(text);
  return { pipeline: pipeline as Json, platform: platform as Json | undefined, text };
}

const at = (x: number) => ({ x, y: 0 });
function doc(nodes: PipelineNode[], edges: [string, string, string, string][] = [], settings: PipelineDocument['settings'] = {}): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
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
      'ko-bench': 'comp-ko-bench',
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

  it('exposes training, eval and benchmark metrics as pipeline outputs', () => {
    expect(pipeline.root.dag.outputs.artifacts).toEqual({
      cpt_metrics: { artifactSelectors: [{ producerSubtask: 'cpt', outputArtifactKey: 'metrics' }] },
      sft_metrics: { artifactSelectors: [{ producerSubtask: 'sft', outputArtifactKey: 'metrics' }] },
      eval_metrics: { artifactSelectors: [{ producerSubtask: 'eval', outputArtifactKey: 'metrics' }] },
      'ko-bench_metrics': { artifactSelectors: [{ producerSubtask: 'ko-bench', outputArtifactKey: 'metrics' }] },
    });
    expect(pipeline.root.outputDefinitions.artifacts.eval_metrics.artifactType.schemaTitle).toBe('system.Metrics');
    expect(pipeline.root.outputDefinitions.artifacts['ko-bench_metrics'].artifactType.schemaTitle).toBe('system.Metrics');
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
    expect(sft.image).toBe(TRAINING_IMAGE);
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
    expect(sft.args.slice(-8)).toEqual(['--in-dataset', "{{$.inputs.artifacts['dataset'].path}}", '--out-model', "{{$.outputs.artifacts['model'].path}}",
      '--out-metrics', "{{$.outputs.artifacts['metrics'].path}}", '--executor-input', '{{$}}']);
    expect(sft.args).toContain('--in-model');
    expect(executors['exec-eval'].container.args.slice(-2)).toEqual(['--executor-input', '{{$}}']);
    expect(executors['exec-preprocess'].container.args).not.toContain('--executor-input');
    expect(sft.env).toEqual([
      { name: 'PIPEWRIGHT_PIPELINE', value: 'korean-llm' },
      { name: 'MLFLOW_TRACKING_URI', value: 'http://mlflow-server.mlflow.svc.cluster.local:5000' },
      { name: 'PIPEWRIGHT_GPUS', value: '2' },
      { name: 'PIPEWRIGHT_IMAGE', value: 'ghcr.io/pipewright/train:0.1.0' },
    ]);
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
