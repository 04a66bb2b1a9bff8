import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeNonFinite, readStoredRun, recordFile, RUN_FORMAT, SYNC_WRITE_CHARS, writeJsonAtomic } from './runFiles.ts';
import type { StoredRun } from './runFiles.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-runfiles-'));
  dirs.push(dir);
  return dir;
}

const record = (phase: StoredRun['phase'], pad = 0): StoredRun => ({
  format: RUN_FORMAT,
  id: 'r1',
  pipelineName: 'p',
  target: 'local',
  phase,
  createdAt: '2026-12-05T00:00:00.000Z',
  nodes: { a: { phase: 'pending', lastMetrics: { loss: NaN } } },
  document: { format: 'pipewright.pipeline/v2', name: 'p', nodes: [], edges: [] },
  compiled: { 'pad.txt': 'x'.repeat(pad) },
  request: { target: 'local' },
});

describe('writeJsonAtomic', () => {
  it.each([
    ['small, unsynced (synchronous calls)', 0, false],
    ['small, synced to disk', 0, true],
    ['larger than SYNC_WRITE_CHARS, unsynced (thread pool)', SYNC_WRITE_CHARS + 10, false],
    ['larger than SYNC_WRITE_CHARS, synced', SYNC_WRITE_CHARS + 10, true],
    ['small, in the background (thread pool), unsynced', 0, false, true],
    ['small, in the background, synced', 0, true, true],
  ])('%s: replaces the file whole and leaves no temp file', async (_name, pad, durable, background = false) => {
    const dir = tempDir();
    await writeJsonAtomic(recordFile(dir), record('pending', pad), { durable, background });
    await writeJsonAtomic(recordFile(dir), record('running', pad), { durable, background });
    const read = await readStoredRun(dir);
    expect(read.phase).toBe('running');
    expect(read.compiled['pad.txt']).toHaveLength(pad);
    expect(read.nodes.a.lastMetrics?.loss).toBeNaN();
    expect(readdirSync(dir)).toEqual(['record.json']);
  });

  it('a write that cannot land leaves the old file and no temp file, and says why', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'x.json');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), '');
    await expect(writeJsonAtomic(target, { a: 1 }, { durable: false })).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    await expect(writeJsonAtomic(target, { a: 1 })).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    await expect(writeJsonAtomic(target, { a: 1 }, { background: true })).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('a process killed (-9) while it rewrites record.json over and over leaves a whole, readable record', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'writer.mts');
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runFiles.ts');
    writeFileSync(
      script,
      `import { writeJsonAtomic } from ${JSON.stringify(module)};
const base = JSON.parse(process.argv[3]);
for (let i = 0; ; i++) {
  await writeJsonAtomic(process.argv[2] + '/record.json', { ...base, message: 'write ' + i, compiled: { pad: 'y'.repeat(i % 7 === 0 ? ${SYNC_WRITE_CHARS + 1} : 2000) } }, { durable: i % 5 === 0 });
  if (i === 20) process.stdout.write('writing\\n');
}
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, JSON.stringify(record('running'))], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      child.on('exit', (code) => reject(new Error(`writer exited (${code}) before writing`)));
    });
    // Let it rewrite a while, past write 20, however loaded the machine: a fixed wait was outrun.
    const written = async () => Number((await readStoredRun(dir)).message?.slice(6) ?? -1);
    await vi.waitFor(async () => expect(await written()).toBeGreaterThan(40), { timeout: 10_000, interval: 20 });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const read = await readStoredRun(dir);
    expect(read.phase).toBe('running');
    expect(read.message).toMatch(/^write \d+$/);
    expect(Number(read.message!.slice(6))).toBeGreaterThan(40);
    expect(JSON.parse(readFileSync(recordFile(dir), 'utf8')).format).toBe(RUN_FORMAT);
  });
});

describe('encodeNonFinite', () => {
  it('turns NaN and infinities into strings wherever they are, copying only what holds one', () => {
    const nested = { keep: { a: 1, b: 'x' }, list: [1, Infinity, { v: -Infinity }], at: new Date(0), nan: NaN };
    const out = encodeNonFinite(nested) as typeof nested & Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(out))).toEqual({ keep: { a: 1, b: 'x' }, list: [1, 'Infinity', { v: '-Infinity' }], at: '1970-01-01T00:00:00.000Z', nan: 'NaN' });
    expect(out.keep).toBe(nested.keep);
    expect(nested.list[1]).toBe(Infinity);
    const plain = { a: [1, 2], b: { c: null } };
    expect(encodeNonFinite(plain)).toBe(plain);
  });
});
