import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeFromConfig } from '../../../shared/estimate/modelConfig.ts';
import { readEstimateInputs } from './inputs.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-inputs-'));
  await mkdir(join(dir, 'models', 'ok'), { recursive: true });
  await mkdir(join(dir, 'models', 'broken'), { recursive: true });
  await mkdir(join(dir, 'data', 'parts', 'nested'), { recursive: true });
  await writeFile(join(dir, 'models', 'ok', 'config.json'), '{"hidden_size": 64}');
  await writeFile(join(dir, 'models', 'broken', 'config.json'), '{"hidden_size": ');
  await writeFile(join(dir, 'data', 'one.jsonl'), 'x'.repeat(1000));
  await writeFile(join(dir, 'data', 'parts', 'a.jsonl'), 'x'.repeat(100));
  await writeFile(join(dir, 'data', 'parts', 'nested', 'b.parquet'), 'x'.repeat(10));
  await writeFile(join(dir, 'data', 'parts', 'README.md'), 'x'.repeat(5000));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('model configs reach the page without anything the estimate does not read', () => {
  it("another tool's config.json (credentials) comes back empty; a model's keeps its shape", async () => {
    await mkdir(join(dir, '.docker'), { recursive: true });
    await writeFile(join(dir, '.docker', 'config.json'), JSON.stringify({ auths: { 'registry.example': { auth: 'dXNlcjpzZWNyZXQ=' } }, credsStore: 'secret' }));
    await mkdir(join(dir, 'models', 'qwen'), { recursive: true });
    const qwen = {
      architectures: ['Qwen2ForCausalLM'],
      hidden_size: 896,
      intermediate_size: 4864,
      num_hidden_layers: 24,
      num_attention_heads: 14,
      num_key_value_heads: 2,
      vocab_size: 151936,
      tie_word_embeddings: true,
      model_type: 'qwen2',
      _name_or_path: '/home/someone/private/path',
      quantization_config: { load_in_4bit: true, quant_method: 'bitsandbytes', bnb_4bit_quant_type: 'nf4', llm_int8_skip_modules: ['x'] },
    };
    await writeFile(join(dir, 'models', 'qwen', 'config.json'), JSON.stringify(qwen));
    await writeFile(join(dir, 'models', 'broken', 'config.json'), '{"token": "sk-secret-value" oops');
    const inputs = await readEstimateInputs({ documentPath: join(dir, 'p.pipewright.json'), modelPaths: ['./.docker', './models/qwen', './models/broken'], datasetUris: [] });
    expect(inputs.modelConfigs['./.docker']).toEqual({ config: {} });
    expect(inputs.modelConfigs['./models/qwen']).toEqual({
      config: {
        hidden_size: 896,
        intermediate_size: 4864,
        num_hidden_layers: 24,
        num_attention_heads: 14,
        num_key_value_heads: 2,
        vocab_size: 151936,
        tie_word_embeddings: true,
        model_type: 'qwen2',
        quantization_config: { load_in_4bit: true, quant_method: 'bitsandbytes', bnb_4bit_quant_type: 'nf4' },
      },
    });
    // The shape is the same as from the whole file.
    const whole = shapeFromConfig(qwen, 'config.json');
    expect(shapeFromConfig((inputs.modelConfigs['./models/qwen'] as { config: unknown }).config, 'config.json')).toEqual(whole);
    expect(whole.ok).toBe(true);
    // A syntax error does not quote the file.
    expect(JSON.stringify(inputs.modelConfigs['./models/broken'])).not.toContain('sk-secret');
  });
});

describe('readEstimateInputs', () => {
  it('reads model configs and data sizes, relative paths against the document folder', async () => {
    const inputs = await readEstimateInputs({
      documentPath: join(dir, 'p.pipewright.json'),
      modelPaths: ['./models/ok', `${dir}/models/broken`, './models/none'],
      datasetUris: [`file://${dir}/data/one.jsonl`, './data/parts', './data/missing.jsonl'],
    });
    expect(inputs.modelConfigs).toEqual({
      './models/ok': { config: { hidden_size: 64 } },
      [`${dir}/models/broken`]: { error: expect.stringMatching(/JSON/) },
      './models/none': { missing: true },
    });
    // A folder counts its data files only; Parquet is compressed text, counted three times its size.
    expect(inputs.datasetBytes).toEqual({ [`file://${dir}/data/one.jsonl`]: 1000, './data/parts': 130, './data/missing.jsonl': null });
  });
});
