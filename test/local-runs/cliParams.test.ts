/** `pipewright run --param NAME=VALUE`: good values reach the step and the run history; bad ones start nothing and name the parameter. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { runBin } from '../fixtures/cliRun.ts';

let dir: string;
let env: NodeJS.ProcessEnv;

function pipewright(...args: string[]) {
  return runBin(args, { cwd: dir, env });
}

function pipeline(): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'params-cli',
    parameters: [
      { name: 'min_chars', type: 'integer', default: 10 },
      { name: 'normalize', type: 'boolean', default: true },
      { name: 'field', type: 'string', default: 'text' },
    ],
    nodes: [
      { id: 'corpus', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: path.join(dir, 'corpus.jsonl'), format: 'jsonl' } },
      {
        id: 'clean', type: 'preprocess', position: { x: 0, y: 0 },
        params: { min_chars: { $param: 'min_chars' }, normalize: { $param: 'normalize' }, text_field: { $param: 'field' }, dedupe: false },
      },
    ],
    edges: [{ id: 'e1', source: 'corpus', sourceHandle: 'dataset', target: 'clean', targetHandle: 'dataset' }],
  };
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-cli-params-'));
  env = { ...process.env, PIPEWRIGHT_DATA_DIR: path.join(dir, 'data') };
  writeFileSync(path.join(dir, 'corpus.jsonl'), ['x'.repeat(5), 'y'.repeat(50), 'z'.repeat(500)].map((body) => JSON.stringify({ body })).join('\n') + '\n');
  writeFileSync(path.join(dir, 'p.pipewright.json'), serializePipeline(pipeline()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pipewright run --param', () => {
  it('--help documents --param', () => {
    const help = pipewright('run', '--help');
    expect(help.stdout).toContain('--param NAME=VALUE');
    expect(help.stdout).toMatch(/checked against the range and choices of every node param bound to it/);
  });

  it('runs with the values given (typed by each parameter), the others at their defaults; runs lists them', () => {
    const result = pipewright('run', 'p.pipewright.json', '--target', 'local', '--param', 'min_chars=100', '-p', 'field=body');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('parameters: min_chars=100 normalize=true field="body"');
    const id = result.stdout.split('\n')[0].split(' ').at(-1)!;
    const log = pipewright('logs', id, '--node', 'clean');
    expect(log.stdout).toContain('read 3, kept 1');
    const runs = pipewright('runs');
    expect(runs.stdout).toMatch(/PARAMETERS/);
    expect(runs.stdout).toContain('min_chars=100 normalize=true field="body"');
    const json = JSON.parse(pipewright('runs', '--json').stdout) as { id: string; parameterValues?: unknown }[];
    expect(json.find((r) => r.id === id)!.parameterValues).toEqual({ min_chars: 100, normalize: true, field: 'body' });
  });

  it('refuses bad values with status 2, each naming its parameter, starting nothing', () => {
    const cases: [string[], RegExp][] = [
      [['min_chars=abc', 'normalize=yes'], /--param min_chars: "abc" is not a whole number[^]*--param normalize: "yes" is not true or false/],
      [['min_chars=2.5'], /--param min_chars: "2.5" is not a whole number/],
      [['min_chars=-5'], /--param min_chars: Parameter min_chars is -5, below its minimum 0 \(for min_chars of node "clean"\)/],
      [['min_char=3'], /--param min_char: The pipeline has no parameter "min_char" \(did you mean "min_chars"\?\)/],
      [['min_chars'], /--param "min_chars": expected NAME=VALUE/],
      [['min_chars=1', 'min_chars=2'], /--param min_chars is given more than once/],
    ];
    const before = pipewright('runs', '--json').stdout;
    for (const [params, message] of cases) {
      const result = pipewright('run', 'p.pipewright.json', '--target', 'local', ...params.flatMap((p) => ['--param', p]));
      expect(result.status, params.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('Nothing was started.');
    }
    expect(pipewright('runs', '--json').stdout).toBe(before);
  });

  it('refuses, before anything reaches the cluster, a bundled sample the compiled pipeline would not carry', () => {
    const doc = templateDocument('korean-llm-smoke')!;
    doc.parameters = [{ name: 'bench_data', type: 'string', default: 's3://bench/ko' }];
    const bench = doc.nodes.find((n) => n.id === 'ko-bench')!;
    bench.params = { ...bench.params, data_uri: { $param: 'bench_data' } };
    writeFileSync(path.join(dir, 'bench.pipewright.json'), serializePipeline(doc));
    const before = pipewright('runs', '--json').stdout;
    const result = pipewright('run', 'bench.pipewright.json', '--target', 'kfp', '--kfp-url', 'http://127.0.0.1:9', '--param', 'bench_data=sample://ko-bench');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--param bench_data: Parameter bench_data is sample://ko-bench (for data_uri of node "ko-bench"): on Kubeflow Pipelines a bundled sample travels inside the compiled pipeline');
    expect(result.stderr).toContain('Nothing was started.');
    expect(pipewright('runs', '--json').stdout).toBe(before);
  });
});
