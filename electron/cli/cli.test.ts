import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';

const BIN = fileURLToPath(new URL('../../bin/pipewright.mjs', import.meta.url));
const VERSION = (JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
let dir: string;

function pipewright(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A pipeline of `a->b` edges (`node.port` on either side), node ids as `id:type`. */
function pipeline(name: string, types: Record<string, string>, edges: string[], params: PipelineDocument['nodes'][number]['params'] = undefined): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name,
    nodes: Object.entries(types).map(([id, type], i) => ({
      id,
      type,
      position: { x: i * 200, y: 0 },
      ...(type === 'dataset' ? { params: { uri: 's3://corpus/ko.jsonl' } } : id === 'cpt' && params ? { params } : {}),
    })),
    edges: edges.map((e, i) => {
      const [[source, sourceHandle], [target, targetHandle]] = e.split('->').map((end) => end.split('.'));
      return { id: `e${i + 1}`, source, sourceHandle, target, targetHandle };
    }),
  };
}

const LLM = { raw: 'dataset', clean: 'preprocess', cpt: 'cpt', sft: 'sft', eval: 'eval', deploy: 'deploy' };
const LLM_EDGES = [
  'raw.dataset->clean.dataset',
  'clean.dataset->cpt.dataset',
  'cpt.model->sft.model',
  'raw.dataset->sft.dataset',
  'sft.model->eval.model',
  'raw.dataset->eval.dataset',
  'sft.model->deploy.model',
  'eval.metrics->deploy.metrics',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-cli-'));
  await writeFile(join(dir, 'good.pipewright.json'), serializePipeline(pipeline('korean-llm', LLM, LLM_EDGES)));
  const bad = pipeline('bad', { raw: 'dataset', cpt: 'cpt', eval: 'eval' }, ['raw.dataset->cpt.dataset', 'cpt.model->eval.model'], { learning_rate: 5 });
  await writeFile(join(dir, 'bad.pipewright.json'), serializePipeline(bad));
  const text = serializePipeline(pipeline('cut', LLM, LLM_EDGES));
  await writeFile(join(dir, 'cut.pipewright.json'), text.slice(0, 200));
  await writeFile(join(dir, 'future.pipewright.json'), '{"format": "pipewright.pipeline/v3", "name": "x", "nodes": [], "edges": []}\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pipewright', () => {
  it('--help lists the commands; each command has its own --help; --version prints the version', () => {
    const help = pipewright('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: pipewright <command>/);
    expect(help.stdout).toMatch(/\n {2}compile +Compile a pipeline/);
    expect(help.stdout).toMatch(/\n {2}validate +Check a pipeline file/);
    const validateHelp = pipewright('validate', '--help');
    expect(validateHelp.status).toBe(0);
    expect(validateHelp.stdout).toMatch(/^Usage: pipewright validate FILE \[--json\]/);
    expect(pipewright('help', 'compile').stdout).toMatch(/--target kfp\|argo\|dvc/);
    expect(pipewright('--version').stdout).toBe(`pipewright ${VERSION}\n`);
  });

  it('refuses an unknown command or a wrong command line with status 2', () => {
    const unknown = pipewright('lint', 'x');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "lint"\. Commands: cancel, compile, (\w+, )*run, runs, (\w+, )*validate/);
    const wrong = pipewright('compile', 'good.pipewright.json', '--target', 'airflow', '--out', 'o');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--target must be one of kfp, argo, dvc, not "airflow"/);
  });
});

describe('pipewright validate', () => {
  it('passes a valid pipeline with status 0', () => {
    const r = pipewright('validate', 'good.pipewright.json');
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toBe('good.pipewright.json: no problems (6 nodes, 8 edges)\n');
  });

  it('lists every problem on stderr, naming node and parameter, with status 1', () => {
    const r = pipewright('validate', 'bad.pipewright.json');
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      'error  node cpt  param learning_rate: Parameter learning_rate of node "cpt" is 5, above its maximum 1.',
      'error  node eval  field inputs.dataset: Required input "dataset" (dataset) of node "eval" is not connected.',
      'bad.pipewright.json: 2 errors, 0 warnings',
      '',
    ]);
  });

  it('refuses JSON nested 5,000 deep, a FIFO and a newer format with a plain message and no stack trace', async () => {
    const deep = `{"format": "pipewright.pipeline/v1", "name": "x", "nodes": [{"id": "a", "type": "dataset", "position": {"x": 0, "y": 0}, "resources": {"tolerations": ${'['.repeat(5000)}${']'.repeat(5000)}}}], "edges": []}`;
    await writeFile(join(dir, 'deep.pipewright.json'), deep);
    for (const args of [['validate', 'deep.pipewright.json'], ['compile', 'deep.pipewright.json', '--target', 'kfp', '--out', 'deep-out']]) {
      const r = pipewright(...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^error {2}file deep\.pipewright\.json: "deep\.pipewright\.json" nests objects and lists more than 100 levels deep \(at line 1, column \d+\), deeper than any pipeline\./);
      expect(r.stderr).not.toMatch(/RangeError|\n {4}at /);
    }
    spawnSync('mkfifo', [join(dir, 'fifo.pipewright.json')]);
    const fifo = pipewright('validate', 'fifo.pipewright.json');
    expect(fifo.status).toBe(1);
    expect(fifo.stderr).toBe('error  file fifo.pipewright.json: Cannot read "fifo.pipewright.json": it is a named pipe (FIFO), not a file.\n');
    await writeFile(join(dir, 'v9.pipewright.json'), JSON.stringify({ ...pipeline('v9', { raw: 'dataset' }, []), format: 'pipewright.pipeline/v9' }));
    const run = pipewright('run', 'v9.pipewright.json', '--target', 'local');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/format pipewright\.pipeline\/v9, newer than this Pipewright understands/);
  });

  it('--json prints {problems} on stdout', () => {
    const r = pipewright('validate', 'bad.pipewright.json', '--json');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { problems: unknown[] };
    expect(Object.keys(out)).toEqual(['problems']);
    expect(out.problems).toEqual([
      { severity: 'error', code: 'param-out-of-range', message: expect.stringContaining('learning_rate'), location: { nodeId: 'cpt', param: 'learning_rate' } },
      { severity: 'error', code: 'input-unconnected', message: expect.any(String), location: { nodeId: 'eval', field: 'inputs.dataset' } },
    ]);
    expect(JSON.parse(pipewright('validate', 'good.pipewright.json', '--json').stdout)).toEqual({ problems: [] });
  });

  it.each([
    ['cut.pipewright.json', /"cut\.pipewright\.json" ends early at line \d+, column \d+/, 'load-truncated'],
    ['future.pipewright.json', /format pipewright\.pipeline\/v3, newer than this Pipewright understands.*update Pipewright/, 'load-format-too-new'],
    ['missing.pipewright.json', /Cannot read "missing\.pipewright\.json": there is no such file/, 'load-unreadable'],
  ])('explains why %s cannot be read', (file, message, code) => {
    const r = pipewright('validate', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    const json = JSON.parse(pipewright('validate', file, '--json').stdout) as { problems: { code: string }[] };
    expect(json.problems.map((p) => p.code)).toEqual([code]);
  });
});

describe('pipewright compile', () => {
  it('writes nothing for an invalid pipeline: not a new folder, not into an existing one', async () => {
    const r = pipewright('compile', 'bad.pipewright.json', '--target', 'dvc', '--out', 'out-new');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error {2}node cpt {2}param learning_rate: /m);
    expect(r.stderr).toMatch(/Nothing was written to out-new\./);
    await mkdir(join(dir, 'out-old'));
    await writeFile(join(dir, 'out-old', 'keep.txt'), 'mine');
    expect(pipewright('compile', 'bad.pipewright.json', '-t', 'kfp', '-o', 'out-old').status).toBe(1);
    expect(pipewright('compile', 'future.pipewright.json', '-t', 'kfp', '-o', 'out-old').status).toBe(1);
    expect(await readdir(join(dir, 'out-old'))).toEqual(['keep.txt']);
    expect((await readdir(dir)).filter((f) => f.startsWith('out') || f.startsWith('.out'))).toEqual(['out-old']);
  });

  it.each([
    ['kfp', ['pipeline.yaml']],
    ['argo', ['workflow.yaml']],
    ['dvc', ['dvc.yaml', 'params.yaml', 'steps']],
  ])('compiles to %s', async (target, files) => {
    const out = `build-${target}`;
    const r = pipewright('compile', 'good.pipewright.json', '--target', target, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${target}: wrote \\d+ files? to ${out}: `));
    expect((await readdir(join(dir, out))).sort()).toEqual(files);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
