import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalog } from '../../node-catalog/index.ts';
import { arbitraryPipeline } from '../../test/fixtures/arbitraryPipeline.ts';
import { kfpStubCatalog, readKfpYaml } from '../../test/fixtures/kfp-emulation.ts';
import type { PipelineDocument, PipelineNode } from '../pipeline/types.ts';
import type { NodeCatalog } from '../pipeline/catalog.ts';
import { compileKfp, kfpDocuments } from './kfp.ts';
import { containerEnv, containerExecutor } from './kfp/container.ts';
import { containerComponent, importerComponent, importerExecutor } from './kfp/dag.ts';
import { planDataset } from './kfp/dataset.ts';
import { launcherCommand } from './kfp/launcher.ts';
import { kubernetesExecutorConfig, secretAsEnv } from './kfp/platform.ts';
import { planPipeline } from './plan.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function compile(doc: PipelineDocument, cat: NodeCatalog = kfpStubCatalog): { pipeline: Json; platform?: Json; text: string } {
  const text = compileKfp(doc, cat)['pipeline.yaml'];
  const [pipeline, platform] = readKfpYaml(text);
  return { pipeline: pipeline as Json, platform: platform as Json | undefined, text };
}

const at = (x: number) => ({ x, y: 0 });
function doc(nodes: PipelineNode[], edges: [string, string, string, string][] = []): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'test-pipeline',
    nodes,
    edges: edges.map(([source, sourceHandle, target, targetHandle], i) => ({ id: `e${i}`, source, sourceHandle, target, targetHandle })),
  };
}

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
          expect(executor).toEqual(containerExecutor(p, settings, launcherCommand(p.id, p.resolved.script, dataset?.sample), containerEnv(settings, d.name)));
          expect(platform?.platforms.kubernetes.deploymentSpec.executors[label]).toEqual(kubernetesExecutorConfig(p, secrets, Boolean(settings.pushgatewayUrl)));
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
