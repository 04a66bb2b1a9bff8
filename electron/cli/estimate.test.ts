/** `pipewright estimate` and the fit check in `pipewright validate`, in process (runCli) and once through bin/pipewright.mjs. */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { estimatePipeline } from '../../shared/estimate/pipeline.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { PIPELINE_FORMAT, type PipelineDocument } from '../../shared/pipeline/types.ts';
import { runCli } from './main.ts';
import type { CliIo } from './types.ts';

let dir: string;
const TEMPLATE = fileURLToPath(new URL('../../node-catalog/templates/korean-llm.pipewright.json', import.meta.url));

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t), stderr: (t) => void (err += t), cwd: dir, env: { PIPEWRIGHT_DATA_DIR: join(dir, 'data') }, isTTY: false, signal: new AbortController().signal,
  };
  return { io, out: () => out, err: () => err };
}

async function cli(...args: string[]) {
  const c = capture();
  const status = await runCli(args, c.io);
  return { status, stdout: c.out(), stderr: c.err() };
}

/** A local corpus file -> preprocess -> cpt on a local model folder -> eval on a bundled test set. */
function local(cpt: Record<string, unknown>, gpuProduct = 'NVIDIA-A10G'): PipelineDocument {
  const at = (x: number) => ({ x, y: 0 });
  const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string) => ({ id, source, sourceHandle, target, targetHandle });
  return {
    format: PIPELINE_FORMAT,
    name: 'local-llm',
    nodes: [
      { id: 'raw', type: 'dataset', position: at(0), params: { uri: join(dir, 'data', 'corpus.jsonl') } },
      { id: 'prep', type: 'preprocess', position: at(200) },
      { id: 'cpt', type: 'cpt', position: at(400), params: { engine: 'unsloth', base_model: './models/small', ...cpt } as PipelineDocument['nodes'][number]['params'], resources: { gpus: 2, gpuProduct } },
      { id: 'test', type: 'dataset', position: at(400), params: { uri: 'sample://ko_test.jsonl' } },
      { id: 'eval', type: 'eval', position: at(600), resources: { gpus: 1, gpuProduct } },
    ],
    edges: [edge('e1', 'raw', 'dataset', 'prep', 'dataset'), edge('e2', 'prep', 'dataset', 'cpt', 'dataset'), edge('e3', 'cpt', 'model', 'eval', 'model'), edge('e4', 'test', 'dataset', 'eval', 'dataset')],
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-estimate-'));
  await mkdir(join(dir, 'data'), { recursive: true });
  await mkdir(join(dir, 'models', 'small'), { recursive: true });
  // Qwen2.5-0.5B's config.json, as a local base model.
  await writeFile(join(dir, 'models', 'small', 'config.json'), JSON.stringify({ model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true }));
  await writeFile(join(dir, 'data', 'corpus.jsonl'), `${JSON.stringify({ text: '한국어 문장입니다. '.repeat(200) })}\n`.repeat(4000));
  await writeFile(join(dir, 'fits.pipewright.json'), serializePipeline(local({})));
  await writeFile(join(dir, 'big.pipewright.json'), serializePipeline(local({ base_model: 'Qwen2.5-14B', load_in_4bit: false }, 'NVIDIA-L40S')));
  await writeFile(join(dir, 'nomodel.pipewright.json'), serializePipeline(local({ base_model: './models/missing' })));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pipewright estimate', () => {
  it('--json prints exactly the contract: nodes with the nine fields, and the total', async () => {
    const r = await cli('estimate', 'fits.pipewright.json', '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { nodes: Record<string, unknown>[]; total: Record<string, unknown> };
    expect(Object.keys(out)).toEqual(['nodes', 'total']);
    expect(out.nodes.map((n) => Object.keys(n))).toEqual([0, 1].map(() => ['id', 'gpuMemoryGiB', 'gpuProduct', 'gpuProductMemoryGiB', 'fits', 'tokens', 'hours', 'gpuHours', 'cost']));
    expect(Object.keys(out.total)).toEqual(['hours', 'gpuHours', 'cost']);
    const [cpt, evaluation] = out.nodes;
    expect(cpt).toMatchObject({ id: 'cpt', gpuProduct: 'NVIDIA-A10G', gpuProductMemoryGiB: 22.5, fits: true });
    // The local model folder's config.json was read: a 0.5B model in 4 bits needs far less than the card.
    expect(cpt.gpuMemoryGiB as number).toBeGreaterThan(1);
    expect(cpt.gpuMemoryGiB as number).toBeLessThan(22.5);
    // The corpus file's size (4 bytes per token) over one 4,096-token block per sequence, 2 epochs.
    const bytes = (await readFile(join(dir, 'data', 'corpus.jsonl'))).length;
    expect(cpt.tokens).toBe(2 * Math.floor(Math.round(bytes / 4) / 4096) * 4096);
    expect(evaluation).toMatchObject({ id: 'eval', fits: true });
    expect(cpt.gpuHours).toBeCloseTo((cpt.hours as number) * 2, 2);
    expect(out.total.hours).toBeCloseTo((cpt.hours as number) + (evaluation.hours as number), 2);
    expect(out.total.cost).toBeCloseTo((cpt.cost as number) + (evaluation.cost as number), 1);
  });

  it('prints a table with the critical path, and --gpu-product judges every step against another card', async () => {
    const r = await cli('estimate', 'fits.pipewright.json');
    expect(r.stdout).toMatch(/^NODE +GPUS +MODEL +MEMORY\/GPU +FIT +TOKENS +HOURS +GPU-HOURS +COST\n/);
    expect(r.stdout).toMatch(/cpt +2x NVIDIA-A10G +\.\/models\/small\/config\.json +\d+\.\d GiB +fits \(22\.5 GiB\)/);
    expect(r.stdout).toMatch(/Pipeline: \d+\.\d\d h along cpt -> eval, \d+\.\d\d GPU-hours, \$\d+\.\d\d/);
    const h200 = JSON.parse((await cli('estimate', 'fits.pipewright.json', '--gpu-product', 'NVIDIA-H200', '--json')).stdout) as { nodes: { gpuProduct: string; hours: number }[] };
    const a10g = JSON.parse(r.stdout === '' ? '{}' : (await cli('estimate', 'fits.pipewright.json', '--json')).stdout) as { nodes: { hours: number }[] };
    expect(h200.nodes.map((n) => n.gpuProduct)).toEqual(['NVIDIA-H200', 'NVIDIA-H200']);
    expect(h200.nodes[0].hours).toBeLessThan(a10g.nodes[0].hours);
  });

  it('a step that does not fit exits 1 and says which changes would make it fit', async () => {
    const r = await cli('estimate', 'big.pipewright.json');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/cpt +2x NVIDIA-L40S +Qwen2\.5-14B +\d+\.\d GiB +DOES NOT FIT \(45\.0 GiB\)/);
    expect(r.stdout).toMatch(/cpt: does not fit; fits with: load_in_4bit true \(\d+\.\d GiB\)/);
  });

  it('a tight step (under 10 % free) exits 0 and says which changes would leave headroom', async () => {
    const product = 'NVIDIA-GeForce-RTX-4090';
    const seq = Array.from({ length: 64 }, (_, i) => 2048 + 64 * i).find((max_seq_length) => {
      const doc = local({ base_model: 'Qwen2.5-1.5B', per_device_train_batch_size: 2, max_seq_length }, product);
      return estimatePipeline(doc, catalog, { readModelConfig: () => undefined }).nodes[0].verdict === 'tight';
    })!;
    await writeFile(join(dir, 'tight.pipewright.json'), serializePipeline(local({ base_model: 'Qwen2.5-1.5B', per_device_train_batch_size: 2, max_seq_length: seq }, product)));
    const r = await cli('estimate', 'tight.pipewright.json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/cpt +2x NVIDIA-GeForce-RTX-4090 +Qwen2\.5-1\.5B +\d+\.\d GiB +tight \(<10% free\) \(24\.0 GiB\)/);
    expect(r.stdout).toMatch(/cpt: tight \(under 10 % of the GPU's memory free\); leaves headroom with: per_device_train_batch_size 1, gradient_accumulation_steps \d+ \(\d+\.\d GiB\)/);
  });

  it('says an unknown model is unknown, an unknown --gpu-product is refused, --help explains', async () => {
    const unknown = await cli('estimate', 'nomodel.pipewright.json', '--json');
    expect(unknown.status).toBe(0);
    expect(JSON.parse(unknown.stdout).nodes[0]).toMatchObject({ id: 'cpt', gpuMemoryGiB: null, fits: null, hours: null });
    expect(unknown.stderr).toContain('note: cpt: no memory estimate: unknown model "./models/missing": there is no readable ./models/missing/config.json');
    const product = await cli('estimate', 'fits.pipewright.json', '--gpu-product', 'NVIDIA-X1');
    expect(product.status).toBe(2);
    expect(product.stderr).toMatch(/unknown GPU product "NVIDIA-X1"; known: NVIDIA-B200, NVIDIA-H200/);
    const help = await cli('estimate', '--help');
    expect(help.stdout).toMatch(/Usage: pipewright estimate FILE \[--gpu-product P\] \[--json\]/);
    expect(help.stdout).toContain('--gpu-product P');
  });

  it('validate reports the fit: an error for a step that cannot fit, nothing for one that does', async () => {
    const big = await cli('validate', 'big.pipewright.json', '--json');
    expect(big.status).toBe(1);
    const problems = JSON.parse(big.stdout).problems as { code: string; location: unknown }[];
    expect(problems.map((p) => [p.code, p.location])).toEqual([['gpu-memory-exceeded', { nodeId: 'cpt' }]]);
    expect((await cli('validate', 'fits.pipewright.json')).status).toBe(0);
  });

  it('bin/pipewright.mjs estimate on the Korean template (remote data: tokens unknown, memory known)', () => {
    const bin = fileURLToPath(new URL('../../bin/pipewright.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'estimate', TEMPLATE, '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PIPEWRIGHT_DATA_DIR: join(dir, 'data') }, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { nodes: { id: string; fits: boolean; tokens: number | null }[]; total: { hours: null } };
    expect(out.nodes.map((n) => [n.id, n.fits, n.tokens === null])).toEqual([['cpt', true, true], ['sft', true, true], ['eval', true, false], ['ko-bench', true, true]]);
    expect(out.total.hours).toBeNull();
    expect(r.stderr).toContain('note: cpt: tokens unknown: the size of s3://korean-llm-data/corpus/ is unknown until preprocess has run once');
  });
});
