import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Hasher } from './hashing.ts';
import { StageCache, SYNC_STORE } from './stageCache.ts';
import type { LocalStage } from './stages.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-stagecache-'));
  dirs.push(dir);
  return dir;
}

const stage: LocalStage = { name: 'a', cmd: 'python3 steps/a.py', deps: [], outputs: ['data/a/out'], params: [], upstream: [] };

/** A workspace where stage `a` wrote `bytes` bytes to data/a/out/f.bin (plus a small file). */
function produced(bytes: number): { workspace: string; file: string; content: Buffer } {
  const workspace = tempDir();
  const out = path.join(workspace, 'data', 'a', 'out');
  mkdirSync(out, { recursive: true });
  const content = Buffer.alloc(bytes, 7);
  writeFileSync(path.join(out, 'f.bin'), content);
  writeFileSync(path.join(out, 'small.txt'), 'kept');
  return { workspace, file: path.join(out, 'f.bin'), content };
}

describe('StageCache: a finished stage is stored as it was, or not at all', () => {
  it('small outputs are stored just after save() returns (the next stages start first), and restored whole', async () => {
    const cache = new StageCache(tempDir());
    const { workspace, content } = produced(1000);
    const hasher = new Hasher();
    const key = await cache.key(stage, workspace, {}, hasher);
    const saved = await cache.save(key, stage, workspace, hasher, { runId: 'run-1' });
    expect(saved.missing).toEqual([]);
    // Not yet: the stages after this one start before the copy is made.
    expect(await cache.lookup(key)).toBeUndefined();
    await saved.stored;
    const entry = await cache.lookup(key);
    expect(entry?.runId).toBe('run-1');
    const next = tempDir();
    expect(await cache.restore(entry!, next, new Hasher())).toEqual([]);
    expect(readFileSync(path.join(next, 'data', 'a', 'out', 'f.bin')).equals(content)).toBe(true);
    expect(readFileSync(path.join(next, 'data', 'a', 'out', 'small.txt'), 'utf8')).toBe('kept');
  });

  it('small outputs a dependent rewrote in place before they were copied are left out of the cache, never stored with the new content', async () => {
    const cache = new StageCache(tempDir());
    const { workspace, file, content } = produced(1000);
    const hasher = new Hasher();
    const key = await cache.key(stage, workspace, {}, hasher);
    const saved = await cache.save(key, stage, workspace, hasher, { runId: 'run-1' });
    // The next stage starts now, and rewrites its input in place (same size) before the copy is made.
    writeFileSync(file, Buffer.alloc(content.length, 9));
    await saved.stored;
    expect(await cache.lookup(key)).toBeUndefined();
    // No object holds the rewritten content, and no temp copy is left behind.
    const objects = path.join(cache.root, 'objects');
    const stored = existsSync(objects) ? readdirSync(objects, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()) : [];
    for (const d of stored) expect(d.name.endsWith('.tmp')).toBe(false);
    for (const d of stored) expect(readFileSync(path.join(d.parentPath, d.name)).equals(Buffer.alloc(content.length, 9))).toBe(false);
  });

  it('outputs past SYNC_STORE are copied in the background; one changed before it was copied is caught on restore, never restored', async () => {
    const cache = new StageCache(tempDir());
    const { workspace, file, content } = produced(SYNC_STORE.bytes + 1);
    const hasher = new Hasher();
    const key = await cache.key(stage, workspace, {}, hasher);
    const saved = await cache.save(key, stage, workspace, hasher, { runId: 'run-1' });
    writeFileSync(file, Buffer.alloc(content.length, 9));
    await saved.stored;
    const entry = await cache.lookup(key);
    expect(entry).toBeDefined();
    const next = tempDir();
    expect(await cache.restore(entry!, next, new Hasher())).toEqual(['data/a/out/f.bin']);
    expect(existsSync(path.join(next, 'data', 'a', 'out'))).toBe(false);
    expect(await cache.lookup(key)).toBeUndefined();
  });

  it('a large output left alone is stored and restored whole', async () => {
    const cache = new StageCache(tempDir());
    const { workspace, content } = produced(SYNC_STORE.bytes + 1);
    const hasher = new Hasher();
    const key = await cache.key(stage, workspace, {}, hasher);
    await (await cache.save(key, stage, workspace, hasher, { runId: 'run-1' })).stored;
    const next = tempDir();
    expect(await cache.restore((await cache.lookup(key))!, next, new Hasher())).toEqual([]);
    expect(readFileSync(path.join(next, 'data', 'a', 'out', 'f.bin')).equals(content)).toBe(true);
  });
});
