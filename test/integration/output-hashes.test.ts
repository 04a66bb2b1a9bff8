/**
 * A step's output hashes (PIPEWRIGHT_INFO output_sha256_<port>, the lineage of cluster runs) are the same SHA-256 the
 * app takes of inputs and of a local run's outputs (hashPath): folders with nested, non-ASCII and oddly ordered names.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPath } from '../../electron/services/runs/inputHashes.ts';
import { makeWorkdir, PYTHON, runStep } from '../../node-catalog/steps.testkit.ts';

let work: ReturnType<typeof makeWorkdir>;
beforeAll(() => {
  work = makeWorkdir();
  writeFileSync(join(work.dir, 'in.jsonl'), ['{"text": "안녕하세요, 반갑습니다. 오늘은 날씨가 좋네요."}', '{"text": "두 번째 문장은 조금 더 깁니다; 충분히 길어요."}'].join('\n') + '\n');
});
afterAll(() => work.cleanup());

const pythonHash = (target: string): [string | null, number] =>
  JSON.parse(execFileSync(PYTHON, ['-c', [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("step", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
    'print(json.dumps(m.content_hash(sys.argv[2])))',
  ].join('\n'), work.script('preprocess'), target], { encoding: 'utf8' })) as [string | null, number];

describe('output content hashes', () => {
  it('the step and the app hash a folder the same way (nested, non-ASCII, case and punctuation order, an emoji sorted as JavaScript sorts UTF-16)', async () => {
    const dir = join(work.dir, 'tree');
    for (const [rel, text] of [['B.txt', 'b'], ['a.txt', 'a'], ['a-b/x.bin', 'x'], ['a/z.txt', 'z'], ['모델/설정.json', '{}'], ['_/u', ''], ['a.b', 'dot'], ['😀.txt', 'e'], ['ｆ.txt', 'f']]) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    const app = await hashPath(dir);
    expect(pythonHash(dir)).toEqual([app.sha256, app.bytes]);
    expect(pythonHash(join(dir, 'a.b'))).toEqual([(await hashPath(join(dir, 'a.b'))).sha256, 3]);
  });

  it('a step that succeeds says each output\'s hash and size; a local run leaves that to the app', async () => {
    const result = await runStep(work.script('preprocess'), ['--in-dataset', 'in.jsonl', '--out-dataset', 'out', '--min_chars', '0'], { cwd: work.dir });
    expect(result.code, result.stderr).toBe(0);
    const app = await hashPath(join(work.dir, 'out'));
    expect(result.infos.at(-1)).toEqual({ output_sha256_dataset: app.sha256, output_bytes_dataset: app.bytes });
    const local = await runStep(work.script('preprocess'), ['--in-dataset', 'in.jsonl', '--out-dataset', 'out2', '--min_chars', '0'], { cwd: work.dir, env: { PIPEWRIGHT_LOCAL_RUN: '1' } });
    expect(local.code, local.stderr).toBe(0);
    expect(local.infos.some((i) => 'output_sha256_dataset' in i)).toBe(false);
  });
});
