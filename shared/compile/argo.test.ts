import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { arbitraryPipeline } from '../../test/fixtures/arbitraryPipeline.ts';
import { GOLDEN_DOCUMENTS, goldenFiles, loadFixture, stubCatalog } from '../../test/fixtures/compileFixtures.ts';
import { argoWorkflowCheck } from '../../test/fixtures/schemaCheck.ts';
import { argoPlaceholders, substituteArgo, workflowParameterValues } from '../../test/fixtures/containerEmulation.ts';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { ARGO_ENTRYPOINT, compileArgo } from './argo.ts';
import { LAUNCHER } from './argo/launcher.ts';
import { CompileError } from './plan.ts';

const check = argoWorkflowCheck();

interface Artifact { name: string; path?: string; from?: string; raw?: { data: string } }
interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }
interface Template {
  name: string;
  metadata?: { labels: Record<string, string> };
  dag?: { tasks: { name: string; template: string; dependencies?: string[]; arguments?: { artifacts: Artifact[] } }[] };
  inputs?: { artifacts: Artifact[] };
  outputs?: { artifacts: Artifact[] };
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  retryStrategy?: { limit: string; retryPolicy: string; expression: string; backoff: Record<string, string> };
  container?: { image: string; command: string[]; args: string[]; env: EnvVar[]; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };
}
interface Workflow {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: { entrypoint: string; arguments?: { parameters: { name: string; value: string }[] }; templates: Template[] };
}

const workflowOf = (doc: PipelineDocument, cat = stubCatalog): Workflow => parse(compileArgo(doc, cat)['workflow.yaml']) as Workflow;
const template = (wf: Workflow, name: string): Template => wf.spec.templates.find((t) => t.name === name)!;
function renameNode(d: PipelineDocument, from: string, to: string): void {
  d.nodes.find((n) => n.id === from)!.id = to;
  for (const e of d.edges) {
    if (e.source === from) e.source = to;
    if (e.target === from) e.target = to;
  }
}
/** A container's command as the pod gets it, the workflow's parameters put in by Argo. */
const podCommand = (wf: Workflow, name: string): string[] =>
  JSON.parse(substituteArgo(JSON.stringify(template(wf, name).container!.command), workflowParameterValues(wf))) as string[];
const tasks = (wf: Workflow) => template(wf, wf.spec.entrypoint).dag!.tasks;

describe('compileArgo', () => {
  const doc = loadFixture();
  const wf = workflowOf(doc);

  it('writes a Workflow that validates against Argo\'s schema, with no field the schema lacks', () => {
    expect(check(wf)).toEqual([]);
    expect(check(workflowOf(doc, catalog))).toEqual([]);
    expect(wf).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow' });
    expect(wf.metadata).toEqual({ generateName: 'korean-llm-', namespace: 'ml-team', labels: { 'pipewright.dev/pipeline': 'korean-llm' } });
  });

  it.each(GOLDEN_DOCUMENTS)('matches the golden workflow of $name (UPDATE_GOLDENS=1 rewrites it)', ({ name, doc: d }) => {
    const files = compileArgo(d, stubCatalog);
    expect(files).toEqual(goldenFiles(`argo/${name}`, files));
    expect(check(parse(files['workflow.yaml']))).toEqual([]);
  });

  it('is deterministic: the same document gives byte-identical output', () => {
    const again = compileArgo(structuredClone(doc), stubCatalog)['workflow.yaml'];
    expect(again).toBe(compileArgo(doc, stubCatalog)['workflow.yaml']);
  });

  it('names one DAG task and one container template per node by its id, with its upstream nodes as dependencies', () => {
    expect(wf.spec.entrypoint).toBe(ARGO_ENTRYPOINT);
    expect(tasks(wf).map((t) => t.name).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    for (const t of tasks(wf)) {
      const upstream = [...new Set(doc.edges.filter((e) => e.target === t.name).map((e) => e.source))].sort();
      expect(t.template).toBe(t.name);
      expect(t.dependencies ?? []).toEqual(upstream);
      expect(template(wf, t.name).container).toBeDefined();
    }
  });

  it('passes artifacts along every edge, from an output path to an input path', () => {
    for (const e of doc.edges) {
      const arg = tasks(wf).find((t) => t.name === e.target)!.arguments!.artifacts.find((a) => a.name === e.targetHandle);
      expect(arg?.from).toBe(`{{tasks.${e.source}.outputs.artifacts.${e.sourceHandle}}}`);
      expect(template(wf, e.source).outputs!.artifacts).toContainEqual({ name: e.sourceHandle, path: `/tmp/outputs/${e.sourceHandle}` });
      expect(template(wf, e.target).inputs!.artifacts).toContainEqual({ name: e.targetHandle, path: `/tmp/inputs/${e.targetHandle}` });
      const args = template(wf, e.target).container!.args;
      expect(args[args.indexOf(`--in-${e.targetHandle}`) + 1]).toBe(`/tmp/inputs/${e.targetHandle}`);
    }
  });

  it('asks for GPUs, CPU, memory, the GPU product, tolerations and retries as the node says', () => {
    const cpt = template(wf, 'cpt');
    expect(cpt.container!.resources).toEqual({ requests: { cpu: '32', memory: '200Gi' }, limits: { cpu: '32', memory: '200Gi', 'nvidia.com/gpu': '4' } });
    expect(cpt.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
    expect(cpt.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(cpt.retryStrategy).toMatchObject({ limit: '2', retryPolicy: 'Always', backoff: { duration: '1m', factor: '2' } });
    expect(template(wf, 'eval').retryStrategy!.limit).toBe('3');
    expect(template(wf, 'corpus').retryStrategy).toBeUndefined();
    const amd = structuredClone(doc);
    amd.nodes.find((n) => n.id === 'sft')!.resources = { gpus: 2, gpuResource: 'amd.com/gpu' };
    expect(template(workflowOf(amd), 'sft').container!.resources!.limits).toMatchObject({ 'amd.com/gpu': '2' });
  });

  it('labels every pod with its node and pipeline, and gives each step its environment', () => {
    for (const n of doc.nodes) {
      const t = template(wf, n.id);
      expect(t.metadata!.labels).toEqual({ 'pipewright.dev/pipeline': 'korean-llm', 'pipewright.dev/node': n.id });
      const env = t.container!.env;
      expect(env).toContainEqual({ name: 'MLFLOW_TRACKING_URI', value: 'http://mlflow-server:5000' });
      expect(env).toContainEqual({ name: 'PIPEWRIGHT_NODE_ID', value: n.id });
      expect(env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } });
    }
  });

  it('carries the step script in the command (one workflow parameter per script) and the step-script contract in args', () => {
    const sft = template(wf, 'sft').container!;
    expect(sft.command).toEqual(['python3', '-u', '-c', '{{workflow.parameters.pipewright-launcher}}', '{{workflow.parameters.step-sft}}']);
    expect(podCommand(wf, 'sft')).toEqual(['python3', '-u', '-c', LAUNCHER, stubCatalog.get('sft')!.script]);
    expect(sft.image).toBe(stubCatalog.get('sft')!.image);
    expect(sft.args.slice(sft.args.indexOf('--learning_rate'), sft.args.indexOf('--learning_rate') + 2)).toEqual(['--learning_rate', '0.00002']);
    expect(sft.args.slice(-8)).toEqual(['--in-model', '/tmp/inputs/model', '--in-dataset', '/tmp/inputs/dataset', '--out-model', '/tmp/outputs/model', '--out-metrics', '/tmp/outputs/metrics']);
    expect(podCommand(wf, 'report')[4]).toBe(doc.nodes.find((n) => n.id === 'report')!.code);
    expect(wf.spec.arguments!.parameters.map((p) => p.name)).toEqual([
      'pipewright-launcher', 'step-dataset', 'sample-ko_instructions-jsonl', 'step-preprocess', 'step-cpt', 'step-sft', 'step-eval', 'step-deploy', 'code-report',
    ]);
    // settings.image reaches only the custom step (its type names no image); a node's own image wins over its type's.
    const withImage = workflowOf({ ...doc, settings: { ...doc.settings, image: 'ghcr.io/acme/step:1' }, nodes: doc.nodes.map((n) => (n.id === 'sft' ? { ...n, image: 'ghcr.io/acme/sft:2' } : n)) });
    const images = Object.fromEntries(withImage.spec.templates.filter((t) => t.container).map((t) => [t.name, t.container!.image]));
    expect(images).toEqual(Object.fromEntries(doc.nodes.map((n) => [n.id, n.id === 'sft' ? 'ghcr.io/acme/sft:2' : n.type === 'python' ? 'ghcr.io/acme/step:1' : catalog.get(n.type)!.image])));
  });

  it('keeps a script inline when Argo could not quote it as a parameter (control characters)', () => {
    const d = structuredClone(doc);
    d.nodes.find((n) => n.id === 'report')!.code = 'print("\u000b bell \u0007")\n';
    const out = workflowOf(d);
    expect(template(out, 'report').container!.command[4]).toBe('print("\u000b bell \u0007")\n');
    expect(out.spec.arguments!.parameters.map((p) => p.name)).not.toContain('code-report');
  });

  it('fetches datasets in a step; a bundled sample travels to the launcher in the command', () => {
    const corpus = template(wf, 'corpus').container!;
    expect(corpus.args).toEqual(['--uri', 's3://pipewright-data/ko-corpus.jsonl', '--format', 'jsonl', '--out-dataset', '/tmp/outputs/dataset']);
    expect(corpus.command).toHaveLength(5);
    const instructions = template(wf, 'instructions');
    expect(instructions.inputs).toBeUndefined();
    expect(podCommand(wf, 'instructions').slice(5)).toEqual(['--pipewright-sample=ko_instructions.jsonl', stubCatalog.samples!['ko_instructions.jsonl']]);
  });

  it.each<[string, (d: PipelineDocument) => void, RegExp]>([
    ['an unknown node type', (d) => (d.nodes[0].type = 'nope'), /node "corpus" has unknown type "nope"/],
    ['a node id starting with a digit', (d) => renameNode(d, 'corpus', '1corpus'), /"1corpus" starts with a digit/],
    ['a malformed node id', (d) => (d.nodes[0].id = 'Corpus'), /node id "Corpus" is not allowed/],
    ['"{{" in a GPU product', (d) => (d.nodes[4].resources!.gpuProduct = '{{workflow.name}}'), /resources.gpuProduct .* of node "cpt" cannot contain "\{\{"/],
    ['an unknown sample', (d) => (d.nodes[1].params!.uri = 'sample://missing.jsonl'), /node "instructions": unknown sample "missing.jsonl" \(known: ko-bench, ko_corpus.jsonl, ko_instructions.jsonl, ko_test.jsonl\)/],
    ['an edge to a missing port', (d) => (d.edges[0].targetHandle = 'nope'), /edge "e1": node "preprocess" has no input "nope"/],
    ['an input with two sources', (d) => d.edges.push({ id: 'back', source: 'sft', sourceHandle: 'model', target: 'cpt', targetHandle: 'dataset' }), /input "dataset" of node "cpt" has two sources/],
    ['a script over the argument limit', (d) => (d.nodes[8].code = 'x'.repeat(200_000)), /node "report": its step script is 200000 bytes/],
  ])('refuses %s with a message that names it', (_what, change, message) => {
    const bad = structuredClone(doc);
    change(bad);
    expect(() => compileArgo(bad, stubCatalog)).toThrow(CompileError);
    expect(() => compileArgo(bad, stubCatalog)).toThrow(message);
  });

  it('refuses a cycle naming its nodes', () => {
    const bad = structuredClone(doc);
    bad.edges.push({ id: 'back', source: 'deploy', sourceHandle: 'endpoint', target: 'report', targetHandle: 'metrics' });
    bad.edges = bad.edges.filter((e) => e.id !== 'e9');
    bad.nodes.find((n) => n.id === 'report')!.interface!.outputs = [{ name: 'report', kind: 'model' }];
    bad.edges.push({ id: 'loop', source: 'report', sourceHandle: 'report', target: 'deploy', targetHandle: 'model' });
    bad.edges = bad.edges.filter((e) => e.id !== 'e7');
    bad.nodes.find((n) => n.id === 'report')!.interface!.inputs = [{ name: 'metrics', kind: 'endpoint' }];
    expect(() => compileArgo(bad, stubCatalog)).toThrow(/cycle through deploy, report/);
  });

  it('compiles random valid pipelines (hostile strings included) to schema-valid Workflows with only its own placeholders', () => {
    fc.assert(
      fc.property(arbitraryPipeline(), (d) => {
        const out = workflowOf(d, catalog);
        expect(check(out)).toEqual([]);
        expect(tasks(out).map((t) => t.name).sort()).toEqual(d.nodes.map((n) => n.id).sort());
        const own = /^(workflow\.name|workflow\.parameters\.[A-Za-z0-9_-]+|tasks\.[a-z0-9-]+\.outputs\.artifacts\.[A-Za-z0-9_-]+)$/;
        expect(argoPlaceholders(JSON.stringify(out)).filter((tag) => !own.test(tag))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
