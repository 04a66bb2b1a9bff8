import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { hashInputs, hashPath, hashPathSync, SYNC_HASH_LIMITS } from './inputHashes.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function doc(uri: string, benchUri = ''): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'p',
    parameters: [{ name: 'corpus', type: 'string', default: uri }],
    nodes: [
      { id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: { $param: 'corpus' } } },
      { id: 'remote', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://bucket/c.jsonl' } },
      { id: 'bench', type: 'ko-bench', position: { x: 0, y: 0 }, params: { data_uri: benchUri } },
      { id: 'py', type: 'python', position: { x: 0, y: 0 }, code: 'print("hi")\n' },
    ],
    edges: [],
  };
}

describe('hashInputs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-inputs-'));
  writeFileSync(path.join(dir, 'c.jsonl'), '{"text":"안녕"}\n');
  mkdirSync(path.join(dir, 'kb', 'kmmlu'), { recursive: true });
  writeFileSync(path.join(dir, 'kb', 'kmmlu', 'test.jsonl'), '{"question":"q"}\n');

  it('hashes a local file (through a bound parameter), a folder, a python step\'s code; names remote URIs', async () => {
    const file = path.join(dir, 'c.jsonl');
    const inputs = await hashInputs(doc(file, path.join(dir, 'kb')), catalog);
    expect(inputs.find((h) => h.nodeId === 'data')).toEqual({ nodeId: 'data', param: 'uri', uri: file, sha256: sha('{"text":"안녕"}\n'), bytes: Buffer.byteLength('{"text":"안녕"}\n') });
    expect(inputs.find((h) => h.nodeId === 'remote')).toMatchObject({ uri: 's3://bucket/c.jsonl', unavailable: 'remote (s3), read by the step' });
    expect(inputs.find((h) => h.nodeId === 'bench')).toMatchObject({ param: 'data_uri', files: 1, sha256: sha(`kmmlu/test.jsonl\0${sha('{"question":"q"}\n')}\n`) });
    expect(inputs.find((h) => h.nodeId === 'py')).toMatchObject({ param: 'code', sha256: sha('print("hi")\n') });
  });

  it('a changed byte changes the hash; file:// and sample:// URIs; a missing file says so', async () => {
    const other = path.join(dir, 'd.jsonl');
    writeFileSync(other, '{"text":"안녕!"}\n');
    const [a] = await hashInputs(doc(path.join(dir, 'c.jsonl')), catalog);
    const [b] = await hashInputs(doc(pathToFileURL(other).href), catalog);
    expect(a.sha256).not.toBe(b.sha256);
    const [s] = await hashInputs(doc('sample://ko_corpus.jsonl'), catalog);
    expect(s.sha256).toBe(sha(catalog.samples!['ko_corpus.jsonl']));
    expect(await hashPath(path.join(dir, 'nope'))).toEqual({ unavailable: 'not found on this machine' });
  });
});

describe('hashPathSync (a small output hashed on the spot between two stages)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-hashsync-'));
  const tree = path.join(dir, 'out');
  for (const [rel, text] of [['B.txt', 'b'], ['a.txt', 'a'], ['a-b/x.bin', 'x'], ['a/z.txt', 'z'], ['모델/설정.json', '{}'], ['a.b', 'dot'], ['😀.txt', 'e'], ['deep/er/still/f', 'f']]) {
    mkdirSync(path.join(tree, rel, '..'), { recursive: true });
    writeFileSync(path.join(tree, rel), text);
  }
  mkdirSync(path.join(tree, 'empty'));
  // hashPath leaves symbolic links inside a folder out: so must the quick path.
  symlinkSync(path.join(tree, 'a.txt'), path.join(tree, 'link.txt'));
  symlinkSync(path.join(tree, 'a'), path.join(tree, 'linkdir'));

  it('gives what hashPath gives: a folder (nested, odd order, links left out), a file, a missing path', async () => {
    expect(hashPathSync(tree)).toEqual(await hashPath(tree));
    expect(hashPathSync(path.join(tree, 'a.b'))).toEqual(await hashPath(path.join(tree, 'a.b')));
    expect(hashPathSync(path.join(dir, 'nope'))).toEqual(await hashPath(path.join(dir, 'nope')));
  });

  it('takes file hashes from the caller (the stage cache already knows them)', () => {
    const asked: string[] = [];
    const real = hashPathSync(tree)!;
    const viaCaller = hashPathSync(tree, (file) => {
      asked.push(path.relative(tree, file));
      return sha(readFileSync(file, 'utf8'));
    });
    expect(viaCaller).toEqual(real);
    expect(asked.sort()).toEqual(['B.txt', 'a-b/x.bin', 'a.b', 'a.txt', 'a/z.txt', 'deep/er/still/f', '모델/설정.json', '😀.txt'].sort());
  });

  it('declines what is too large to read on the spot (hashPath does it off the event loop)', () => {
    const big = path.join(dir, 'big');
    mkdirSync(big);
    writeFileSync(path.join(big, 'f'), Buffer.alloc(SYNC_HASH_LIMITS.fileBytes + 1));
    expect(hashPathSync(big)).toBeUndefined();
    expect(hashPathSync(path.join(big, 'f'))).toBeUndefined();
    const many = path.join(dir, 'many');
    mkdirSync(many);
    for (let i = 0; i <= SYNC_HASH_LIMITS.files; i++) writeFileSync(path.join(many, String(i)), '');
    expect(hashPathSync(many)).toBeUndefined();
  });
});
