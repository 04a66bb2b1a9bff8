import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSafeRelativePath, writeFilesAtomically, WriteFilesError } from './writeFiles.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pw-write-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('isSafeRelativePath', () => {
  it.each([
    ['pipeline.yaml', true],
    ['steps/cpt.py', true],
    ['', false],
    ['/etc/passwd', false],
    ['../x', false],
    ['a/../../x', false],
    ['a//b', false],
    ['./a', false],
    ['a\\b', false],
    ['C:x', false],
  ])('%j → %s', (path, safe) => {
    expect(isSafeRelativePath(path)).toBe(safe);
  });
});

describe('writeFilesAtomically', () => {
  it('creates a new folder with every file, with ordinary permissions, and leaves no temporary folder', async () => {
    const out = join(root, 'deep', 'out');
    const written = await writeFilesAtomically(out, { 'dvc.yaml': 'stages: {}\n', 'steps/a.py': 'print(1)\n' });
    expect(written).toEqual(['dvc.yaml', 'steps/a.py']);
    expect(await readFile(join(out, 'steps/a.py'), 'utf8')).toBe('print(1)\n');
    expect((await stat(out)).mode & 0o755).toBe(0o755);
    expect(await readdir(join(root, 'deep'))).toEqual(['out']);
  });

  it('moves files into an existing folder, replacing its own files and keeping the others', async () => {
    const out = join(root, 'out');
    await mkdir(out);
    await writeFile(join(out, 'pipeline.yaml'), 'old');
    await writeFile(join(out, 'notes.txt'), 'mine');
    await writeFilesAtomically(out, { 'pipeline.yaml': 'new' });
    expect(await readFile(join(out, 'pipeline.yaml'), 'utf8')).toBe('new');
    expect(await readFile(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect((await readdir(root)).sort()).toEqual(['out']);
  });

  it.each<[string, () => Promise<void>, Record<string, string>, RegExp]>([
    ['a path that escapes', async () => {}, { '../evil': 'x' }, /refusing to write "\.\.\/evil"/],
    ['an absolute path', async () => {}, { '/tmp/evil': 'x' }, /not a plain relative path/],
    ['the output is a file', async () => writeFile(join(root, 'out'), 'x'), { 'a.yaml': 'x' }, /exists and is a file/],
    ['a folder where a file goes', async () => void (await mkdir(join(root, 'out', 'a.yaml'), { recursive: true })), { 'a.yaml': 'x' }, /is a folder, but a\.yaml is a file/],
    ['a file where a folder goes', async () => { await mkdir(join(root, 'out')); await writeFile(join(root, 'out', 'steps'), 'x'); }, { 'b.yaml': 'x', 'steps/a.py': 'x' }, /is a file, but steps\/a\.py needs it to be a folder/],
  ])('refuses %s and writes nothing', async (_label, setup, files, message) => {
    await setup();
    const before = (await readdir(root)).sort();
    await expect(writeFilesAtomically(join(root, 'out'), files)).rejects.toThrow(WriteFilesError);
    await expect(writeFilesAtomically(join(root, 'out'), files)).rejects.toThrow(message);
    expect((await readdir(root)).sort()).toEqual(before);
    if (before.includes('out') && (await stat(join(root, 'out'))).isDirectory()) {
      expect(await readdir(join(root, 'out'))).not.toContain('b.yaml');
    }
  });
});
