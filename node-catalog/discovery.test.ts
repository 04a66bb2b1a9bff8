/** Node types are found from their folders: adding node-catalog/<type>/ (index.ts + step.py) is all it takes. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileArgo } from '../shared/compile/argo.ts';
import { compileDvc } from '../shared/compile/dvc.ts';
import { compileKfp } from '../shared/compile/kfp.ts';
import type { NodeTypeSpec } from '../shared/pipeline/catalog.ts';
import type { PipelineDocument } from '../shared/pipeline/types.ts';
import { validatePipeline } from '../shared/pipeline/validate.ts';
import { catalog, createCatalog, specsFromModules } from './index.ts';
import { NODE_TYPE_MODULES } from './types.generated.ts';

const here = dirname(fileURLToPath(import.meta.url));
const generator = join(here, '..', 'scripts', 'gen-catalog-scripts.mjs');
let root: string;

const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const generate = (...flags: string[]) => execFileSync('node', [generator, '--root', root, ...flags], { stdio: 'pipe' });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pipewright-catalog-'));
  write('_lib/shared.py', 'SHARED = 1\n');
  write('alpha/index.ts', 'export const alphaNode = {};\n');
  write('alpha/step.py', '#!/usr/bin/env python3\n# pipewright:include ../_lib/shared.py\nprint(SHARED)\n');
  write('templates/index.ts', 'export const TEMPLATES = [];\n');
  write('scriptless/index.ts', 'export const x = {};\n');
  write('samples/flat.jsonl', '{"text": "가"}\n');
  write('samples/bench/kmmlu/test.jsonl', '{"question": "나"}\n');
  write('samples/bench/kmmlu/dev.jsonl', '{"question": "다"}\n');
  generate();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the generator', () => {
  it('lists every folder with index.ts and step.py as a node type, and nothing else', () => {
    const text = readFileSync(join(root, 'types.generated.ts'), 'utf8');
    expect(text).toContain("import * as type_alpha from './alpha/index.ts';");
    expect(text).toContain('"alpha": type_alpha,');
    expect(text).not.toMatch(/templates|scriptless|_lib|samples/);
  });

  it('bundles the step script with its includes, and packs a sample folder as one sample', () => {
    const text = readFileSync(join(root, 'scripts.generated.ts'), 'utf8');
    const scripts = JSON.parse(text.slice(text.indexOf('= ') + 2, text.indexOf(';\nexport const SAMPLE_FILES'))) as Record<string, string>;
    expect(scripts.alpha).toBe('#!/usr/bin/env python3\nSHARED = 1\nprint(SHARED)\n');
    const samples = JSON.parse(text.slice(text.lastIndexOf('= ') + 2, text.lastIndexOf(';'))) as Record<string, string>;
    expect(samples['flat.jsonl']).toBe('{"text": "가"}\n');
    expect(JSON.parse(samples.bench)).toEqual({
      format: 'pipewright.sample-folder/v1',
      files: { 'kmmlu/dev.jsonl': '{"question": "다"}\n', 'kmmlu/test.jsonl': '{"question": "나"}\n' },
    });
  });

  it('--check fails once a new type folder appears, and a run picks it up', () => {
    expect(() => generate('--check')).not.toThrow();
    write('beta/index.ts', 'export const betaNode = {};\n');
    write('beta/step.py', 'print(2)\n');
    expect(() => generate('--check')).toThrow(/types\.generated\.ts and node-catalog\/scripts\.generated\.ts are stale/);
    generate();
    expect(readFileSync(join(root, 'types.generated.ts'), 'utf8')).toContain('"beta": type_beta,');
  });
});

describe('the built-in catalog', () => {
  it('is exactly the node-catalog folders with index.ts and step.py', () => {
    const folders = readdirSync(here).filter((n) => statSync(join(here, n)).isDirectory() && existsSync(join(here, n, 'index.ts')) && existsSync(join(here, n, 'step.py')));
    expect(Object.keys(NODE_TYPE_MODULES).sort()).toEqual(folders.sort());
    expect([...catalog.types.keys()].sort()).toEqual(folders.sort());
    for (const spec of catalog.types.values()) expect(spec.script.startsWith('#!/usr/bin/env python3\n')).toBe(true);
  });

  it('lists types by category, then name', () => {
    expect([...catalog.types.keys()].slice(0, 4)).toEqual(['dataset', 'preprocess', 'cpt', 'sft']);
    expect([...catalog.types.keys()].at(-1)).toBe('python');
  });
});

const newType: Omit<NodeTypeSpec, 'script'> = {
  type: 'zz-probe',
  category: 'evaluation',
  title: { en: 'Probe', ko: '탐침' },
  help: { en: 'A type that exists only in this test.', ko: '이 테스트에만 있는 유형.' },
  inputs: [{ name: 'model', kind: 'model', title: { en: 'Model', ko: '모델' } }],
  outputs: [{ name: 'metrics', kind: 'metrics', title: { en: 'Metrics', ko: '지표' } }],
  params: [{ name: 'depth', type: 'integer', default: 3, min: 1, max: 9, title: { en: 'Depth', ko: '깊이' }, help: { en: 'How deep.', ko: '얼마나 깊이.' } }],
  cardParams: ['depth'],
  defaultResources: { cpu: '1' },
  defaultRetries: 0,
  image: 'python:3.11-slim',
};

describe('a new type module', () => {
  const probeCatalog = createCatalog(specsFromModules({ ...NODE_TYPE_MODULES, 'zz-probe': { probeNode: newType } }, { 'zz-probe': '#!/usr/bin/env python3\nprint("probe")\n' }));
  const doc: PipelineDocument = {
    format: 'pipewright.pipeline/v2',
    name: 'probe',
    nodes: [
      { id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://bucket/corpus' } },
      { id: 'cpt', type: 'cpt', position: { x: 1, y: 0 }, params: { engine: 'tiny' } },
      { id: 'probe', type: 'zz-probe', position: { x: 2, y: 0 }, params: { depth: 4 } },
    ],
    edges: [
      { id: 'e1', source: 'data', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
      { id: 'e2', source: 'cpt', sourceHandle: 'model', target: 'probe', targetHandle: 'model' },
    ],
  };

  it('is validated, typed and range-checked from its spec', () => {
    expect(validatePipeline(doc, probeCatalog)).toEqual([]);
    const bad = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'probe' ? { ...n, params: { depth: 12 } } : n)) };
    expect(validatePipeline(bad, probeCatalog).map((p) => p.message)).toEqual(['Parameter depth of node "probe" is 12, above its maximum 9.']);
    expect(validatePipeline(doc, catalog).some((p) => p.message.includes('zz-probe'))).toBe(true);
  });

  it('compiles to every target with its script, parameters and ports', () => {
    const dvc = compileDvc(doc, probeCatalog);
    expect(dvc['steps/zz-probe.py']).toBe('#!/usr/bin/env python3\nprint("probe")\n');
    expect(dvc['dvc.yaml']).toContain('--in-model data/cpt/model --out-metrics data/probe/metrics');
    expect(compileArgo(doc, probeCatalog)['workflow.yaml']).toContain('print("probe")');
    expect(compileKfp(doc, probeCatalog)['pipeline.yaml']).toContain('comp-zz-probe');
  });

  it('a folder whose index.ts exports no spec of its own type is refused by name', () => {
    expect(() => specsFromModules({ 'zz-probe': { other: { ...newType, type: 'other' } } })).toThrow(
      'node-catalog/zz-probe/index.ts must export exactly one node type spec with type "zz-probe" (found 0)',
    );
  });
});
