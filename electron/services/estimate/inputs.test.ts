import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
