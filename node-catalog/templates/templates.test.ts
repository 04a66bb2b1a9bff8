/** The shipped templates: they load and validate, carry the tutorial's values, and the smoke variant really runs on a CPU. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compileDvc } from '../../shared/compile/dvc.ts';
import { topologicalOrder } from '../../shared/pipeline/graph.ts';
import { parsePipelineText } from '../../shared/pipeline/load.ts';
import { resolveNode } from '../../shared/pipeline/resolve.ts';
import { validatePipeline } from '../../shared/pipeline/validate.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { catalog } from '../index.ts';
import { SAMPLE_FILES } from '../scripts.generated.ts';
import { findTemplate, templateDocument, TEMPLATES } from './index.ts';

const full = findTemplate('korean-llm')!.document;
const smoke = findTemplate('korean-llm-smoke')!.document;
const node = (doc: PipelineDocument, id: string) => resolveNode(doc.nodes.find((n) => n.id === id)!, catalog)!;

describe('templates', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s has every node\'s label in English (as in the file) and Korean, and a Korean copy takes them', (id, template) => {
    for (const node of template.document.nodes) {
      expect(template.labels[node.id]?.en, node.id).toBe(node.label);
      expect(template.labels[node.id]?.ko, node.id).toMatch(/[가-힣]/);
    }
    const ko = templateDocument(id, 'ko')!;
    expect(ko.nodes.map((n) => n.label)).toEqual(template.document.nodes.map((n) => template.labels[n.id]!.ko));
    expect(templateDocument(id)!.nodes.map((n) => n.label)).toEqual(template.document.nodes.map((n) => n.label));
    expect(template.document.nodes[0]!.label).toBe(template.labels[template.document.nodes[0]!.id]!.en);
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s loads, validates without problems and has titles in both languages', (_id, template) => {
    const loaded = parsePipelineText(JSON.stringify(template.document));
    expect(loaded.ok).toBe(true);
    expect(validatePipeline(template.document, catalog)).toEqual([]);
    for (const text of [template.title, template.description]) {
      expect(text.en.length).toBeGreaterThan(5);
      expect(text.ko).toMatch(/[가-힣]/);
    }
  });

  it('both have the same shape: corpus -> preprocess -> cpt -> sft -> eval -> deploy, with instruction and test sets', () => {
    const shape = (doc: PipelineDocument) => doc.edges.map((e) => `${e.source}.${e.sourceHandle}->${e.target}.${e.targetHandle}`).sort();
    expect(shape(smoke)).toEqual(shape(full));
    expect(topologicalOrder(full).order.filter((id) => ['corpus', 'preprocess', 'cpt', 'sft', 'eval', 'deploy'].includes(id))).toEqual([
      'corpus', 'preprocess', 'cpt', 'sft', 'eval', 'deploy',
    ]);
    for (const doc of [full, smoke]) {
      const xs = (ids: string[]) => ids.map((id) => doc.nodes.find((n) => n.id === id)!.position.x);
      const chain = xs(['corpus', 'preprocess', 'cpt', 'sft', 'eval', 'deploy']);
      expect([...chain].sort((a, b) => a - b)).toEqual(chain);
    }
  });

  const tutorial: [string, Record<string, unknown>, Record<string, unknown>, number][] = [
    ['cpt', { base_model: 'unsloth/Qwen2.5-7B-bnb-4bit', load_in_4bit: true, lora_r: 64, lora_alpha: 16, lora_dropout: 0.1, learning_rate: 1e-5, num_epochs: 2, per_device_train_batch_size: 2, max_seq_length: 4096 },
      { gpus: 4, cpu: '32', memory: '200Gi', gpuProduct: 'NVIDIA-H100-80GB-HBM3' }, 2],
    ['sft', { lora_r: 64, lora_alpha: 16, lora_dropout: 0.1, learning_rate: 2e-5, num_epochs: 3, per_device_train_batch_size: 4, max_seq_length: 2048, chat_template: 'qwen-2.5' },
      { gpus: 2, cpu: '16', memory: '100Gi' }, 2],
    ['eval', { max_samples: 100, max_new_tokens: 256, metric: 'contains' }, { gpus: 1, cpu: '8', memory: '50Gi' }, 3],
    ['deploy', { replicas: 2, canary: true }, {}, 1],
    ['ko-bench', { benchmarks: ['kmmlu', 'kobest_boolq', 'kobest_copa', 'kobest_hellaswag', 'kobest_sentineg', 'kobest_wic', 'haerae'], data_uri: '', num_fewshot: 5, baseline: true },
      { gpus: 1, cpu: '8', memory: '50Gi' }, 3],
  ];
  it.each(tutorial)('the full template\'s %s node has the tutorial\'s values', (id, params, resources, retries) => {
    const resolved = node(full, id);
    expect(resolved.params).toMatchObject(params);
    expect(resolved.resources).toMatchObject(resources);
    expect(resolved.retries).toBe(retries);
  });

  it('the full template passes the Hugging Face token as a secret reference', () => {
    expect(full.settings?.secretEnv).toEqual([{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }]);
  });

  it('the smoke template uses the tiny engine, no GPUs and only bundled samples', () => {
    for (const id of ['cpt', 'sft']) {
      expect(node(smoke, id).params).toMatchObject({ engine: 'tiny', max_seq_length: 64 });
      expect(node(smoke, id).params.max_steps).toBeLessThanOrEqual(50);
    }
    for (const n of smoke.nodes) expect(node(smoke, n.id).resources.gpus ?? 0).toBe(0);
    expect(node(smoke, 'ko-bench').params).toMatchObject({ data_uri: 'sample://ko-bench', baseline: true });
    expect(JSON.parse(SAMPLE_FILES['ko-bench']).format).toBe('pipewright.sample-folder/v1');
    for (const n of smoke.nodes.filter((x) => x.type === 'dataset')) {
      const uri = String(n.params?.uri);
      expect(uri.startsWith('sample://')).toBe(true);
      expect(Object.keys(SAMPLE_FILES)).toContain(uri.slice('sample://'.length));
    }
  });

  it('templateDocument gives an independent copy', () => {
    const copy = templateDocument('korean-llm-smoke')!;
    copy.nodes[0].label = 'changed';
    expect(smoke.nodes[0].label).not.toBe('changed');
    expect(templateDocument('nope')).toBeUndefined();
  });
});

describe('the smoke template end to end (compiled to DVC, each stage run as DVC would)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipewright-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every stage in well under two minutes of CPU time, with loss curves, eval metrics and manifests', async () => {
    for (const [path, text] of Object.entries(compileDvc(smoke, catalog))) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const stages = (parse(readFileSync(join(dir, 'dvc.yaml'), 'utf8')) as { stages: Record<string, { cmd: string }> }).stages;
    const run = promisify(execFile);
    const logs: Record<string, string> = {};
    let cpuSeconds = 0;
    for (const id of topologicalOrder(smoke).order) {
      // The stage command as written, run by Debian's python3 (the one that has torch); `times` reports its CPU time,
      // which unlike wall time does not depend on how busy a shared test machine is.
      const { stdout, stderr } = await run('sh', ['-c', `${stages[id].cmd} && times >&2`], { cwd: dir, env: { ...process.env, PATH: `/usr/bin:${process.env.PATH}` } });
      logs[id] = stdout;
      const children = stderr.trim().split('\n').at(-1)!.match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/)!;
      cpuSeconds += Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]);
    }
    expect(cpuSeconds).toBeGreaterThan(1);
    expect(cpuSeconds).toBeLessThan(60);
    const losses = (id: string) => logs[id].split('\n').filter((l) => l.startsWith('PIPEWRIGHT_METRIC {')).map((l) => JSON.parse(l.slice(18)).loss as number);
    for (const id of ['cpt', 'sft']) {
      const curve = losses(id);
      expect(curve.length).toBeGreaterThan(3);
      expect(curve.at(-1)!).toBeLessThan(curve[0]);
    }
    const metrics = JSON.parse(readFileSync(join(dir, 'data/eval/metrics/metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ samples: 20, engine: 'tiny' });
    expect(metrics.perplexity).toBeGreaterThan(1);
    const bench = JSON.parse(readFileSync(join(dir, 'data/ko-bench/metrics/metrics.json'), 'utf8'));
    expect(Object.keys(bench.benchmarks).sort()).toEqual(['haerae', 'kmmlu', 'kobest_boolq', 'kobest_copa', 'kobest_hellaswag', 'kobest_sentineg', 'kobest_wic']);
    expect(bench).toMatchObject({ engine: 'tiny', num_fewshot: 1, benchmarks: { kmmlu: { samples: 12 }, haerae: { samples: 9 } } });
    expect(Object.keys(bench.benchmarks.kmmlu.categories).sort()).toEqual(['Applied Science', 'HUMSS', 'Other', 'STEM']);
    expect(Object.keys(bench.delta)).toEqual(Object.keys(bench.benchmarks));
    expect(logs['ko-bench']).toContain('PIPEWRIGHT_METRIC {"step": 12, "kmmlu/acc": ');
    const endpoint = JSON.parse(readFileSync(join(dir, 'data/deploy/endpoint/endpoint.json'), 'utf8'));
    expect(endpoint.manifests).toContain('rollout.yaml');
    // The deploy gate means something: the trained model's perplexity is under the template's limit...
    expect(metrics.perplexity).toBeLessThan(100);
    expect(logs.deploy).toMatch(/gate passed: .*perplexity [\d.]+ <= max_perplexity 100/);
  }, 240_000);

  it('refuses to deploy when training did not happen (learning rate 1e-9: perplexity stays near 256)', async () => {
    const paramsFile = join(dir, 'params.yaml');
    const params = parse(readFileSync(paramsFile, 'utf8')) as Record<string, Record<string, unknown>>;
    params.cpt!.learning_rate = 1e-9;
    params.sft!.learning_rate = 1e-9;
    writeFileSync(paramsFile, stringify(params));
    const stages = (parse(readFileSync(join(dir, 'dvc.yaml'), 'utf8')) as { stages: Record<string, { cmd: string }> }).stages;
    const run = promisify(execFile);
    const env = { ...process.env, PATH: `/usr/bin:${process.env.PATH}` };
    for (const id of ['cpt', 'sft', 'eval']) await run('sh', ['-c', stages[id]!.cmd], { cwd: dir, env });
    const metrics = JSON.parse(readFileSync(join(dir, 'data/eval/metrics/metrics.json'), 'utf8'));
    expect(metrics.perplexity).toBeGreaterThan(150);
    const refused = await run('sh', ['-c', stages.deploy!.cmd], { cwd: dir, env }).then(() => null, (error: { code: number; stderr: string }) => error);
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/refusing to deploy: perplexity [\d.]+ is above max_perplexity 100.*the model has not learnt enough/);
  }, 240_000);
});
