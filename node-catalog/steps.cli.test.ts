/** The step-script contract, checked on the bundled scripts: --help, --describe, argument errors, exit codes. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from './index.ts';
import { STEP_SCRIPTS } from './scripts.generated.ts';
import { errorLine, makeWorkdir, PYTHON, runStep } from './steps.testkit.ts';

// Every catalog type but the custom `python` step (its ports and parameters are the user's).
const CATALOG_TYPES = [...catalog.types.keys()].filter((type) => type !== 'python');
let work: ReturnType<typeof makeWorkdir>;

beforeAll(() => {
  work = makeWorkdir();
  writeFileSync(join(work.dir, 'corpus.jsonl'), '{"text": "안녕하세요, 반갑습니다 여러분."}\n');
});
afterAll(() => work.cleanup());

describe('bundled step scripts', () => {
  it('scripts.generated.ts is fresh', () => {
    expect(() => execFileSync('node', ['scripts/gen-catalog-scripts.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it.each(Object.keys(STEP_SCRIPTS))('%s is one self-contained file under the 128 KiB argv limit', (type) => {
    const text = STEP_SCRIPTS[type];
    expect(text).not.toMatch(/^# pipewright:include/m);
    expect(Buffer.byteLength(text)).toBeLessThan(131072);
    expect(text.startsWith('#!/usr/bin/env python3\n')).toBe(true);
  });

  it('every bundle parses as Python 3.9 (the oldest the contract promises)', () => {
    const check = 'import ast, sys\nfor path in sys.argv[1:]:\n    ast.parse(open(path, encoding="utf-8").read(), path, feature_version=(3, 9))';
    const files = Object.keys(STEP_SCRIPTS).map((type) => work.script(type));
    expect(() => execFileSync(PYTHON, ['-c', check, ...files], { stdio: 'pipe' })).not.toThrow();
  });

  it.each([...CATALOG_TYPES, 'python'])('%s --help exits 0 and lists its parameters', async (type) => {
    const result = await runStep(work.script(type), ['--help']);
    expect(result.code).toBe(0);
    for (const p of catalog.get(type)?.params ?? []) expect(result.stdout).toContain(`--${p.name} `);
    for (const port of catalog.get(type)?.inputs ?? []) expect(result.stdout).toContain(`--in-${port.name}`);
  });

  it.each(CATALOG_TYPES)('%s --describe matches the catalog spec (names, types, defaults, ranges, ports)', async (type) => {
    const spec = catalog.get(type)!;
    const result = await runStep(work.script(type), ['--describe']);
    expect(result.code).toBe(0);
    const described = JSON.parse(result.stdout) as {
      params: { name: string; type: string; default?: unknown; enum?: string[]; min?: number; max?: number; required?: boolean }[];
      inputs: { name: string; kind: string; optional: boolean }[];
      outputs: { name: string; kind: string; optional: boolean }[];
    };
    expect(described.params.map((p) => p.name)).toEqual(spec.params.map((p) => p.name));
    for (const [i, p] of spec.params.entries()) {
      const d = described.params[i];
      expect({ name: d.name, type: d.type, default: d.default, enum: d.enum, min: d.min, max: d.max, required: d.required ?? false }).toEqual({
        name: p.name, type: p.type, default: p.default, enum: p.enum, min: p.min, max: p.max, required: p.required ?? false,
      });
    }
    expect(described.inputs).toEqual(spec.inputs.map((p) => ({ name: p.name, kind: p.kind, optional: p.optional ?? false })));
    expect(described.outputs.map((p) => [p.name, p.kind])).toEqual(spec.outputs.map((p) => [p.name, p.kind]));
  });
});

describe('argument errors exit 2 with one error: line', () => {
  const cases: [string, string[], RegExp][] = [
    ['preprocess', ['--bogus', '1'], /unrecognized arguments: --bogus/],
    ['preprocess', ['--min_chars', 'ten'], /--min_chars: expected an integer, got "ten"/],
    ['preprocess', ['--dedupe', 'maybe'], /--dedupe: expected true or false/],
    ['cpt', ['--engine', 'gpu'], /--engine: expected one of auto, unsloth, transformers, tiny/],
    ['cpt', ['--learning_rate', '2'], /--learning_rate: 2.0 is above the maximum 1/],
    ['cpt', ['--lora_r', '0'], /--lora_r: 0 is below the minimum 1/],
    ['cpt', ['--target_modules', '[1, 2]'], /--target_modules: expected a JSON array of strings/],
    ['eval', ['--metric', 'bleu'], /--metric: expected one of contains, exact/],
    ['dataset', ['--out-dataset', 'x'], /--uri is required/],
    ['preprocess', ['--params-key', 'p'], /--params-key needs --params-file/],
    ['eval', ['--executor-input', '{not json'], /--executor-input is not valid JSON/],
  ];
  it.each(cases)('%s %j', async (type, args, message) => {
    const result = await runStep(work.script(type), args, { cwd: work.dir });
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(/^error: /);
    expect(errorLine(result)).toMatch(message);
  });

  it('a required port left out is named', async () => {
    const result = await runStep(work.script('preprocess'), ['--out-dataset', 'o'], { cwd: work.dir });
    expect(result.code).toBe(2);
    expect(errorLine(result)).toBe('error: --in-dataset PATH is required (the dataset input)');
  });
});

describe('params file', () => {
  const run = (params: unknown, extra: string[] = [], key = 'clean') => {
    const file = join(work.dir, `params-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, JSON.stringify(params));
    const out = join(work.dir, `out-${Math.random().toString(36).slice(2)}`);
    return runStep(work.script('preprocess'), ['--params-file', file, '--params-key', key, '--in-dataset', 'corpus.jsonl', '--out-dataset', out, ...extra], { cwd: work.dir })
      .then((result) => ({ result, out }));
  };

  it('reads the section of the node and lets explicit arguments win', async () => {
    const fromFile = await run({ clean: { min_chars: 1000 }, other: { min_chars: 1 } });
    expect(fromFile.result.code).toBe(0);
    expect(fromFile.result.metrics.at(-1)).toMatchObject({ kept: 0, too_short: 1 });
    const explicit = await run({ clean: { min_chars: 1000 } }, ['--min_chars', '5']);
    expect(explicit.result.metrics.at(-1)).toMatchObject({ kept: 1 });
    expect(readFileSync(join(explicit.out, 'data.jsonl'), 'utf8')).toContain('반갑습니다');
  });

  it('refuses an unknown parameter, a missing section and a missing file', async () => {
    const unknown = await run({ clean: { min_chars: 5, colour: 'red' } });
    expect(unknown.result.code).toBe(2);
    expect(errorLine(unknown.result)).toMatch(/unknown parameter 'colour' \(known: dedupe, min_chars, normalize, text_field\)/);
    const missing = await run({ other: {} });
    expect(missing.result.code).toBe(2);
    expect(errorLine(missing.result)).toMatch(/has no section 'clean' \(sections: other\)/);
    const typed = await run({ clean: { min_chars: 'many' } });
    expect(errorLine(typed.result)).toMatch(/\[clean\]\.min_chars: expected an integer/);
    const noFile = await runStep(work.script('preprocess'), ['--params-file', 'nope.yaml', '--params-key', 'x', '--in-dataset', 'corpus.jsonl', '--out-dataset', 'o'], { cwd: work.dir });
    expect(noFile.code).toBe(3);
    expect(errorLine(noFile)).toBe('error: params file not found: nope.yaml');
  });
});

describe('missing inputs exit 3 naming the path', () => {
  const cases: [string, string[]][] = [
    ['preprocess', ['--in-dataset', 'no/such/corpus', '--out-dataset', 'o']],
    ['cpt', ['--in-dataset', 'no/such/corpus', '--out-model', 'o']],
    ['sft', ['--in-model', 'no/such/corpus', '--in-dataset', 'corpus.jsonl', '--out-model', 'o']],
    ['eval', ['--in-model', 'no/such/corpus', '--in-dataset', 'corpus.jsonl', '--out-metrics', 'o']],
    ['deploy', ['--in-model', 'no/such/corpus', '--out-endpoint', 'o']],
    ['dataset', ['--uri', 'no/such/corpus', '--out-dataset', 'o']],
  ];
  it.each(cases)('%s', async (type, args) => {
    const result = await runStep(work.script(type), args, { cwd: work.dir });
    expect(result.code).toBe(3);
    expect(errorLine(result)).toMatch(/^error: .*no\/such\/corpus/);
  });
});

describe('the python node template', () => {
  it('parses ports and parameters, writes its outputs and prints a metric', async () => {
    mkdirSync(join(work.dir, 'in'), { recursive: true });
    writeFileSync(join(work.dir, 'in', 'a.jsonl'), '{"x": 1}\n{"x": 2}\n');
    writeFileSync(join(work.dir, 'py-params.yaml'), JSON.stringify({ custom: { alpha: 0.5, name: 'from file' } }));
    const result = await runStep(work.script('python'), [
      '--params-file', 'py-params.yaml', '--params-key', 'custom', '--in-data', 'in', '--out-report', 'report', '--name=explicit',
    ], { cwd: work.dir });
    expect(result.code).toBe(0);
    expect(result.metrics).toEqual([{ step: 0, input_lines: 2 }]);
    const summary = JSON.parse(readFileSync(join(work.dir, 'report', 'summary.json'), 'utf8'));
    expect(summary).toEqual({ lines: { data: 2 }, params: { alpha: 0.5, name: 'explicit' } });
  });

  it('exits 3 on a missing input and 2 on a flag without a value', async () => {
    const missing = await runStep(work.script('python'), ['--in-data', 'nowhere'], { cwd: work.dir });
    expect(missing.code).toBe(3);
    expect(errorLine(missing)).toBe("error: input 'data' not found: nowhere");
    const bad = await runStep(work.script('python'), ['--alpha'], { cwd: work.dir });
    expect(bad.code).toBe(2);
  });
});
