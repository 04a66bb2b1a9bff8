import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { arbitraryPipeline } from '../../test/fixtures/arbitraryPipeline.ts';
import { GOLDEN_DOCUMENTS, goldenFiles, loadFixture, stubCatalog } from '../../test/fixtures/compileFixtures.ts';
import { dvcYamlCheck } from '../../test/fixtures/schemaCheck.ts';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileDvc } from './dvc.ts';
import type { CompiledFiles } from './types.ts';

const check = dvcYamlCheck();

type Out = string | Record<string, { cache?: boolean }>;
interface Stage { cmd: string; deps: string[]; params?: string[]; outs?: string[]; metrics?: Out[] }
const stagesOf = (files: CompiledFiles): Record<string, Stage> => (parse(files['dvc.yaml']) as { stages: Record<string, Stage> }).stages;
const outPaths = (s: Stage): string[] => [...(s.outs ?? []), ...(s.metrics ?? []).flatMap((m) => (typeof m === 'string' ? [m] : Object.keys(m)))];
const CMD = /^python3 -u steps\/[a-z0-9_-]+\.py --params-file params\.yaml --params-key ([a-z0-9-]+)( --(in|out)-[A-Za-z0-9_-]+ data\/[a-z0-9-]+\/[A-Za-z0-9_-]+)*$/;

/** Every structural promise of the DVC output, for any document. */
function expectWellFormed(doc: PipelineDocument, files: CompiledFiles): void {
  const stages = stagesOf(files);
  const params = JSON.parse(files['params.yaml']) as Record<string, Record<string, unknown>>;
  expect(check(parse(files['dvc.yaml']))).toEqual([]);
  expect(Object.keys(stages).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
  for (const [id, stage] of Object.entries(stages)) {
    expect(stage.cmd).toMatch(CMD);
    expect(CMD.exec(stage.cmd)![1]).toBe(id);
    const script = stage.cmd.split(' ')[2];
    expect(stage.deps[0]).toBe(script);
    expect(files[script]).toBeDefined();
    for (const key of stage.params ?? []) {
      const [node, name] = key.split('.');
      expect(node).toBe(id);
      expect(params[node]).toHaveProperty([name]);
    }
    expect(Object.keys(params[id]).map((p) => `${id}.${p}`)).toEqual(stage.params ?? []);
  }
  for (const e of doc.edges) {
    const path = `data/${e.source}/${e.sourceHandle}`;
    expect(stages[e.target].deps).toContain(path);
    expect(stages[e.target].cmd).toContain(`--in-${e.targetHandle} ${path}`);
    expect(outPaths(stages[e.source]).some((p) => p === path || p.startsWith(`${path}/`))).toBe(true);
  }
  // DVC refuses an output inside another output, and the same output twice.
  const all = Object.values(stages).flatMap(outPaths);
  const set = new Set(all);
  expect(set.size).toBe(all.length);
  for (const p of all) {
    const parts = p.split('/');
    for (let k = 1; k < parts.length; k++) expect(set.has(parts.slice(0, k).join('/'))).toBe(false);
  }
}

describe('compileDvc', () => {
  const doc = loadFixture();
  const files = compileDvc(doc, stubCatalog);
  const stages = stagesOf(files);

  it('writes a dvc.yaml that validates against DVC\'s schema, with chained stages and every param key in params.yaml', () => {
    expectWellFormed(doc, files);
    expectWellFormed(doc, compileDvc(doc, catalog));
  });

  it.each(GOLDEN_DOCUMENTS)('matches the golden project of $name (UPDATE_GOLDENS=1 rewrites it)', ({ name, doc: d }) => {
    const out = compileDvc(d, stubCatalog);
    expect(out).toEqual(goldenFiles(`dvc/${name}`, out));
    expectWellFormed(d, out);
  });

  it('is deterministic: the same document gives byte-identical files', () => {
    expect(JSON.stringify(compileDvc(structuredClone(doc), stubCatalog))).toBe(JSON.stringify(files));
  });

  it('writes one script per node type and one per custom node, and the samples the datasets name', () => {
    expect(Object.keys(files).sort()).toEqual([
      'dvc.yaml', 'params.yaml', 'samples/ko_instructions.jsonl',
      'steps/cpt.py', 'steps/dataset.py', 'steps/deploy.py', 'steps/eval.py', 'steps/preprocess.py', 'steps/report.py', 'steps/sft.py',
    ]);
    expect(files['steps/report.py']).toBe(doc.nodes.find((n) => n.id === 'report')!.code);
    expect(files['steps/cpt.py']).toBe(stubCatalog.get('cpt')!.script);
    expect(files['samples/ko_instructions.jsonl']).toBe(stubCatalog.samples!['ko_instructions.jsonl']);
  });

  it('gives a custom node named like a node type its own script file', () => {
    const d = structuredClone(doc);
    const report = d.nodes.find((n) => n.id === 'report')!;
    report.id = 'eval';
    d.nodes.find((n) => n.type === 'eval')!.id = 'evaluate';
    for (const e of d.edges) {
      if (e.source === 'eval') e.source = 'evaluate';
      if (e.target === 'eval') e.target = 'evaluate';
      if (e.target === 'report') e.target = 'eval';
    }
    const out = compileDvc(d, stubCatalog);
    expect(out['steps/custom_eval.py']).toBe(report.code);
    expect(out['steps/eval.py']).toBe(stubCatalog.get('eval')!.script);
    expectWellFormed(d, out);
  });

  it('tracks a local dataset and a sample as deps, and declares eval metrics without caching them', () => {
    const local = structuredClone(doc);
    local.nodes.find((n) => n.id === 'testset')!.params!.uri = 'datasets/ko-test.jsonl';
    expect(stagesOf(compileDvc(local, stubCatalog)).testset.deps).toEqual(['steps/dataset.py', 'datasets/ko-test.jsonl']);
    expect(stages.testset.deps).toEqual(['steps/dataset.py']);
    expect(stages.instructions.deps).toEqual(['steps/dataset.py', 'samples/ko_instructions.jsonl']);
    expect(stages.corpus.deps).toEqual(['steps/dataset.py']);
    expect(stages.testset.cmd).toBe('python3 -u steps/dataset.py --params-file params.yaml --params-key testset --out-dataset data/testset/dataset');
    expect(stages.eval.metrics).toEqual([{ 'data/eval/metrics/metrics.json': { cache: false } }]);
    expect(stages.eval.outs).toBeUndefined();
    expect(stages.report.outs).toEqual(['data/report/report']);
    const interpolated = structuredClone(doc);
    interpolated.nodes.find((n) => n.id === 'testset')!.params!.uri = 'data/${split}/test.jsonl';
    expect(stagesOf(compileDvc(interpolated, stubCatalog)).testset.deps).toEqual(['steps/dataset.py']);
  });

  it('writes params.yaml as JSON that PyYAML (YAML 1.1) reads with the same numbers', () => {
    const d = structuredClone(doc);
    d.nodes.find((n) => n.id === 'cpt')!.params!.learning_rate = 1e-7;
    const text = compileDvc(d, stubCatalog)['params.yaml'];
    expect(JSON.parse(text).cpt.learning_rate).toBe(1e-7);
    const run = spawnSync('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: text, encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(text));
  });

  it('compiles random valid pipelines to well-formed, schema-valid DVC projects', () => {
    fc.assert(
      fc.property(arbitraryPipeline(), (d) => expectWellFormed(d, compileDvc(d, catalog))),
      { numRuns: 60 },
    );
  });
});
