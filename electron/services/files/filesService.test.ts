import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { writeFileAtomic } from '../atomicWrite.ts';
import { createFilesService } from './filesService.ts';
import type { FilesService } from './filesService.ts';
import { createRecentFilesStore, MAX_RECENT_FILES } from './recentFiles.ts';
import type { RecentFilesStore } from './recentFiles.ts';

const document: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'korean-llm',
  nodes: [{ id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 'sample://ko' } }],
  edges: [],
};

let dir: string;
let recent: RecentFilesStore;
let files: FilesService;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-files-'));
  recent = createRecentFilesStore(path.join(dir, 'data'));
  files = createFilesService(recent);
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const listNames = async (folder: string) => (await fs.readdir(folder)).sort();

describe('saving', () => {
  it('writes atomically and leaves no temp file behind', async () => {
    const target = path.join(dir, 'a.pipewright.json');
    const saved = await files.saveFile({ path: target, document });
    expect(saved).toMatchObject({ ok: true, path: target, name: 'a.pipewright.json' });
    expect(JSON.parse(await fs.readFile(target, 'utf8'))).toEqual(document);
    await files.saveFile({ path: target, document: { ...document, name: 'second' }, force: true });
    expect(await listNames(dir)).toEqual(['a.pipewright.json', 'data']);
  });

  it('removes the temp file when the final rename fails', async () => {
    // A non-empty folder in the target's place makes the rename fail whoever runs the test.
    const target = path.join(dir, 'occupied');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'keep'), 'old');
    await expect(writeFileAtomic(target, 'new')).rejects.toThrow();
    expect(await listNames(dir)).toEqual(['occupied']);
    expect(await fs.readFile(path.join(target, 'keep'), 'utf8')).toBe('old');
  });

  it('refuses Save As over an existing file unless forced', async () => {
    const target = path.join(dir, 'b.pipewright.json');
    await fs.writeFile(target, 'precious');
    const refused = await files.saveFile({ path: target, document });
    expect(refused).toMatchObject({ ok: false, conflict: 'exists', message: expect.stringContaining('already exists') });
    expect(await fs.readFile(target, 'utf8')).toBe('precious');
    expect(await files.saveFile({ path: target, document, force: true })).toMatchObject({ ok: true });
  });

  it('refuses to overwrite a file changed on disk since it was opened unless forced', async () => {
    const target = path.join(dir, 'c.pipewright.json');
    const first = await files.saveFile({ path: target, document });
    if (!first.ok) throw new Error('first save failed');
    const opened = await files.openFile(target);
    if (!opened.ok) throw new Error('open failed');
    expect(opened.file.mtimeMs).toBe(first.mtimeMs);
    await fs.writeFile(target, JSON.stringify({ ...document, name: 'edited-elsewhere' }));
    await fs.utimes(target, new Date(), new Date(Date.now() + 5000));
    const refused = await files.saveFile({ path: target, document, baseMtimeMs: opened.file.mtimeMs });
    expect(refused).toMatchObject({ ok: false, conflict: 'changed-on-disk' });
    expect(JSON.parse(await fs.readFile(target, 'utf8')).name).toBe('edited-elsewhere');
    const forced = await files.saveFile({ path: target, document, baseMtimeMs: opened.file.mtimeMs, force: true });
    expect(forced).toMatchObject({ ok: true });
    const again = await files.saveFile({ path: target, document, baseMtimeMs: forced.ok ? forced.mtimeMs : 0 });
    expect(again).toMatchObject({ ok: true });
  });

  it('refuses a document of a newer format, and never writes over a file a newer Pipewright wrote', async () => {
    const target = path.join(dir, 'n.pipewright.json');
    const newer = { ...document, format: 'pipewright.pipeline/v9' as PipelineDocument['format'] };
    await expect(files.saveFile({ path: target, document: newer })).rejects.toThrow(/Not saved: the document is format pipewright\.pipeline\/v9, newer than this Pipewright/);
    await expect(fs.stat(target)).rejects.toThrow();
    const text = JSON.stringify({ ...newer, lanes: ['new in v9'] });
    await fs.writeFile(target, text);
    await expect(files.saveFile({ path: target, document, force: true })).rejects.toThrow(/written by a newer Pipewright \(format pipewright\.pipeline\/v9\).*Save under another name/);
    expect(await fs.readFile(target, 'utf8')).toBe(text);
  });

  it('names what a path is when it is not a file (a FIFO is not a folder)', async () => {
    const fifo = path.join(dir, 'pipe.pipewright.json');
    execFileSync('mkfifo', [fifo]);
    const opened = await files.openFile(fifo);
    expect(opened).toMatchObject({ ok: false, error: { kind: 'not-a-file', message: `${fifo} is a named pipe (FIFO), not a file.` } });
    await expect(files.saveFile({ path: fifo, document, force: true })).rejects.toThrow('is a named pipe (FIFO); choose a file name');
  });

  it('says how large a file over the limit is without rounding it down to the limit', async () => {
    const big = path.join(dir, 'big.pipewright.json');
    await fs.writeFile(big, '');
    await fs.truncate(big, 50 * 1024 * 1024 + 1000);
    const opened = await files.openFile(big);
    expect(opened).toMatchObject({ ok: false, error: { kind: 'too-large', message: `${big} is 52,429,800 bytes, larger than a pipeline can be (52,428,800 bytes).` } });
    await fs.truncate(big, 61 * 1024 * 1024);
    expect(await files.openFile(big)).toMatchObject({ ok: false, error: { message: `${big} is 61 MiB, larger than a pipeline can be (50 MiB).` } });
  });

  it('refuses a relative path', async () => {
    await expect(files.saveFile({ path: 'relative.json', document })).rejects.toThrow(/absolute path/);
  });
});

describe('opening', () => {
  it('opens a saved document and reports its modification time', async () => {
    const target = path.join(dir, 'd.pipewright.json');
    await files.saveFile({ path: target, document });
    const opened = await files.openFile(target);
    expect(opened).toMatchObject({ ok: true, file: { path: target, name: 'd.pipewright.json', document } });
  });

  const good = JSON.stringify(document, null, 2);
  it.each([
    ['truncated', good.slice(0, 60), 'truncated', /ends early at line \d+, column \d+/],
    ['empty', '', 'empty', /empty/],
    ['a syntax error', '{\n  "format": "pipewright.pipeline/v2",\n  "name": oops\n}', 'json-syntax', /line 3, column 11/],
    ['too new', JSON.stringify({ ...document, format: 'pipewright.pipeline/v9' }), 'format-too-new', /pipewright\.pipeline\/v9.*newer/],
    ['not a pipeline format', JSON.stringify({ ...document, format: 'something/v1' }), 'unknown-format', /not a Pipewright pipeline format/],
    ['no format', JSON.stringify({ name: 'x', nodes: [], edges: [] }), 'missing-format', /no "format"/],
    ['a bad node', JSON.stringify({ ...document, nodes: [{ id: 'a', type: 'dataset' }] }), 'invalid-shape', /position/],
    ['an array', '[1, 2]', 'not-object', /not a pipeline object/],
  ])('reports %s with its location and leaves the file untouched', async (_name, text, kind, message) => {
    const target = path.join(dir, 'broken.pipewright.json');
    await fs.writeFile(target, text);
    const before = await fs.stat(target);
    const opened = await files.openFile(target);
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error.kind).toBe(kind);
    expect(opened.error.message).toMatch(message);
    expect(opened.error.path).toBe(target);
    expect(await fs.readFile(target, 'utf8')).toBe(text);
    expect((await fs.stat(target)).mtimeMs).toBe(before.mtimeMs);
    expect(await listNames(dir)).toEqual(['broken.pipewright.json']);
    expect(await recent.list()).toEqual([]);
  });

  it('names line and column of a syntax error', async () => {
    const target = path.join(dir, 'e.pipewright.json');
    await fs.writeFile(target, '{\n  "format": "pipewright.pipeline/v2",\n  "nodes": [,]\n}');
    const opened = await files.openFile(target);
    expect(opened).toMatchObject({ ok: false, error: { kind: 'json-syntax', line: 3, column: 13 } });
  });

  it('never quotes the content of a file that is not a pipeline', async () => {
    const target = path.join(dir, 'config.json');
    await fs.writeFile(target, 'apiVersion: v1\ntoken: SECRET-VALUE\n');
    const opened = await files.openFile(target);
    expect(JSON.stringify(opened)).not.toContain('SECRET');
  });

  it.each([
    ['missing.pipewright.json', 'not-found'],
    ['notes.txt', 'not-json-file'],
  ])('refuses %s with kind %s', async (name, kind) => {
    if (name.endsWith('.txt')) await fs.writeFile(path.join(dir, name), 'hello');
    expect(await files.openFile(path.join(dir, name))).toMatchObject({ ok: false, error: { kind } });
  });

  it('migrates an older format while loading, without touching the file', async () => {
    const target = path.join(dir, 'old.pipewright.json');
    const v0 = {
      format: 'pipewright.pipeline/v0',
      name: 'old',
      nodes: [{ id: 'a', type: 'dataset', position: { x: 0, y: 0 }, parameters: { uri: 'x' } }],
      edges: [],
    };
    await fs.writeFile(target, JSON.stringify(v0));
    const opened = await files.openFile(target);
    expect(opened).toMatchObject({ ok: true, file: { migratedFrom: 'pipewright.pipeline/v0', document: { format: 'pipewright.pipeline/v2' } } });
    expect(JSON.parse(await fs.readFile(target, 'utf8'))).toEqual(v0);
  });
});

describe('recent files', () => {
  it('lists opened and saved files, most recent first, without duplicates', async () => {
    const a = path.join(dir, 'a.pipewright.json');
    const b = path.join(dir, 'b.pipewright.json');
    await files.saveFile({ path: a, document });
    await files.saveFile({ path: b, document });
    await files.openFile(a);
    expect((await recent.list()).map((entry) => entry.path)).toEqual([a, b]);
    await fs.rm(b);
    expect((await recent.list()).map((entry) => entry.exists)).toEqual([true, false]);
    await recent.remove(a);
    expect((await recent.list()).map((entry) => entry.path)).toEqual([b]);
    await recent.clear();
    expect(await recent.list()).toEqual([]);
  });

  it(`keeps at most ${MAX_RECENT_FILES}, even when touched concurrently`, async () => {
    const paths = Array.from({ length: MAX_RECENT_FILES + 3 }, (_, i) => path.join(dir, `${i}.pipewright.json`));
    await Promise.all(paths.map((p) => recent.touch(p)));
    const listed = await recent.list();
    expect(listed).toHaveLength(MAX_RECENT_FILES);
    expect(new Set(listed.map((entry) => entry.path)).size).toBe(MAX_RECENT_FILES);
  });
});

describe('listing and exporting', () => {
  it('lists folders first, hides dot files, and filters to pipelines by default', async () => {
    await fs.mkdir(path.join(dir, 'sub'));
    await fs.writeFile(path.join(dir, 'z.pipewright.json'), '{}');
    await fs.writeFile(path.join(dir, 'notes.txt'), '');
    await fs.writeFile(path.join(dir, '.hidden.json'), '');
    const listing = await files.listDirectory(dir, {});
    expect(listing.entries.map((entry) => [entry.name, entry.kind])).toEqual([
      ['sub', 'directory'],
      ['z.pipewright.json', 'file'],
    ]);
    expect(listing.parent).toBe(path.dirname(dir));
    const all = await files.listDirectory(dir, { filter: 'all' });
    expect(all.entries.map((entry) => entry.name)).toContain('notes.txt');
    expect((await files.listDirectory(null, {})).path).toBe(os.homedir());
  });

  it('exports files into a folder and refuses names that escape it', async () => {
    const out = path.join(dir, 'out');
    const result = await files.exportFiles({ dir: out, files: { 'dvc.yaml': 'stages: {}\n', 'steps/cpt.py': 'print(1)\n' } });
    expect(result.written).toEqual([path.join(out, 'dvc.yaml'), path.join(out, 'steps', 'cpt.py')]);
    expect(await fs.readFile(path.join(out, 'steps', 'cpt.py'), 'utf8')).toBe('print(1)\n');
    for (const name of ['../evil.sh', '/etc/passwd', 'a/../../b', 'sp ace.txt']) {
      await expect(files.exportFiles({ dir: out, files: { [name]: 'x' } })).rejects.toThrow(/cannot export/);
    }
    await expect(fs.stat(path.join(dir, 'evil.sh'))).rejects.toThrow();
  });

  it('does not follow a symbolic link out of the export folder', async () => {
    const out = path.join(dir, 'out');
    const elsewhere = path.join(dir, 'elsewhere');
    await fs.mkdir(out);
    await fs.mkdir(elsewhere);
    await fs.symlink(elsewhere, path.join(out, 'steps'));
    await expect(files.exportFiles({ dir: out, files: { 'dvc.yaml': 'stages: {}\n', 'steps/cpt.py': 'print(1)\n' } })).rejects.toThrow(/steps is a symbolic link to .*elsewhere, outside .*out; refusing to write steps\/cpt\.py/);
    expect(await fs.readdir(elsewhere)).toEqual([]);
    await expect(fs.stat(path.join(out, 'dvc.yaml'))).rejects.toThrow();
    // A link that stays inside is fine, and a link in the file's own place is replaced, not followed.
    await fs.mkdir(path.join(out, 'real'));
    await fs.symlink(path.join(out, 'real'), path.join(out, 'inner'));
    await fs.writeFile(path.join(elsewhere, 'target.txt'), 'keep');
    await fs.symlink(path.join(elsewhere, 'target.txt'), path.join(out, 'dvc.yaml'));
    await files.exportFiles({ dir: out, files: { 'dvc.yaml': 'stages: {}\n', 'inner/a.py': 'x\n' } });
    expect(await fs.readFile(path.join(out, 'real', 'a.py'), 'utf8')).toBe('x\n');
    expect(await fs.readFile(path.join(elsewhere, 'target.txt'), 'utf8')).toBe('keep');
    expect((await fs.lstat(path.join(out, 'dvc.yaml'))).isSymbolicLink()).toBe(false);
  });
});

describe('damaged or newer recent files list', () => {
  const recentFile = () => path.join(dir, 'data', 'recent-files.json');

  it('reads the older bare list, and writes the versioned form', async () => {
    await fs.mkdir(path.join(dir, 'data'), { recursive: true });
    await fs.writeFile(recentFile(), JSON.stringify([{ path: '/p/a.pipewright.json', name: 'a.pipewright.json', openedAt: '2025-01-01T00:00:00.000Z' }]));
    expect((await recent.list()).map((e) => e.path)).toEqual(['/p/a.pipewright.json']);
    await recent.touch('/p/b.pipewright.json');
    expect(JSON.parse(await fs.readFile(recentFile(), 'utf8'))).toMatchObject({ version: 1, files: [{ path: '/p/b.pipewright.json' }, { path: '/p/a.pipewright.json' }] });
  });

  it('moves a damaged list aside and starts a new one', async () => {
    await fs.mkdir(path.join(dir, 'data'), { recursive: true });
    await fs.writeFile(recentFile(), '[{"path": "/p/a.pipewright.json", "na');
    expect(await recent.list()).toEqual([]);
    const kept = (await fs.readdir(path.join(dir, 'data'))).filter((n) => n.startsWith('recent-files.json.corrupt-'));
    expect(kept).toHaveLength(1);
    await recent.touch('/p/b.pipewright.json');
    expect((await recent.list()).map((e) => e.path)).toEqual(['/p/b.pipewright.json']);
  });

  it('leaves a newer version’s list as it is', async () => {
    await fs.mkdir(path.join(dir, 'data'), { recursive: true });
    const newer = JSON.stringify({ version: 3, files: [], pinned: ['/p/x'] });
    await fs.writeFile(recentFile(), newer);
    const target = path.join(dir, 'd.pipewright.json');
    expect(await files.saveFile({ path: target, document })).toMatchObject({ ok: true });
    expect(await recent.list()).toEqual([]);
    expect(await fs.readFile(recentFile(), 'utf8')).toBe(newer);
  });
});
