import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { createNoticeBoard } from './notices.ts';
import { createRecoveryStore } from './recovery.ts';
import type { RecoveryStore, RecoveryStoreOptions } from './recovery.ts';

const document: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'draft',
  nodes: [{ id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://corpus/ko.jsonl' } }],
  edges: [],
};
const blank: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'untitled-pipeline', nodes: [], edges: [] };

let dataDir: string;
let clock: number;
const now = () => new Date(clock);
const stores: RecoveryStore[] = [];

function store(options: Partial<RecoveryStoreOptions> = {}): RecoveryStore {
  const created = createRecoveryStore({ dataDir, now, notices: createNoticeBoard(), ...options });
  stores.push(created);
  return created;
}

const ids = async (s: RecoveryStore) => (await s.listRecovery()).map((entry) => entry.draftId);
const recoveryDir = () => path.join(dataDir, 'recovery');

/** A pid that was alive a moment ago and is not any more (a process killed with -9). */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  return Number(String(child.stdout).trim());
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-recovery-'));
  clock = Date.parse('2025-01-01T00:00:00Z');
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('recovery store', () => {
  it('offers the drafts a crashed process left behind, newest first, and restores them', async () => {
    const crashed = store();
    await crashed.saveRecovery({ draftId: 'one', path: '/p/one.pipewright.json', name: 'one', document });
    clock += 1000;
    await crashed.saveRecovery({ draftId: 'two', path: null, name: 'Untitled', document: { ...document, name: 'two' } });
    // The process died: its leases name a pid that is gone.
    for (const id of ['one', 'two']) {
      const lease = JSON.parse(await fs.readFile(path.join(recoveryDir(), `${id}.lease`), 'utf8')) as Record<string, unknown>;
      await fs.writeFile(path.join(recoveryDir(), `${id}.lease`), JSON.stringify({ ...lease, pid: deadPid() }));
    }

    const restarted = store();
    expect(await restarted.listRecovery()).toEqual([
      { draftId: 'two', path: null, name: 'Untitled', savedAt: '2025-01-01T00:00:01.000Z' },
      { draftId: 'one', path: '/p/one.pipewright.json', name: 'one', savedAt: '2025-01-01T00:00:00.000Z' },
    ]);
    const restored = await restarted.restoreRecovery('two');
    expect(restored.document.name).toBe('two');
    await restarted.discardRecovery('two');
    expect(await ids(restarted)).toEqual(['one']);
  });

  it('does not offer another live process’s draft (a second instance on the same data dir), until its lease goes stale', async () => {
    const first = store();
    await first.saveRecovery({ draftId: 'live', path: null, name: 'live', document, session: 'tab-a' });
    first.connectSession('tab-a');
    const second = store();
    expect(await ids(second)).toEqual([]);
    await expect(second.restoreRecovery('live', 'tab-b')).rejects.toThrow(/open in another window or tab/);
    // The first one stops renewing (hung, or its machine went to sleep): after the lease time it is offered.
    clock += 21_000;
    expect(await ids(second)).toEqual(['live']);
  });

  it('offers a tab’s draft the moment its session goes (a reload or a closed tab), and tells listeners', async () => {
    const s = store();
    const release = s.connectSession('tab-a');
    await s.saveRecovery({ draftId: 'd1', path: null, name: 'work', document, session: 'tab-a' });
    const changes: number[] = [];
    s.onChange(() => changes.push(1));
    clock += 10 * 60_000;
    expect(await ids(s)).toEqual([]);
    release();
    // Releasing removes the lease file first: wait for the change (up to 5 s), not a fixed time a loaded machine outruns.
    await vi.waitFor(() => expect(changes).toHaveLength(1), { timeout: 5000, interval: 10 });
    expect(await ids(s)).toEqual(['d1']);
    await expect(fs.stat(path.join(recoveryDir(), 'd1.lease'))).rejects.toThrow();
    // The new tab takes it over: no other tab is offered it any more.
    s.connectSession('tab-b');
    await s.restoreRecovery('d1', 'tab-b');
    expect(await ids(s)).toEqual([]);
    await expect(s.restoreRecovery('d1', 'tab-c')).rejects.toThrow(/another window or tab/);
  });

  it('keeps a draft saved without a connected session live until it goes stale', async () => {
    const s = store({ staleAfterMs: 30_000 });
    await s.saveRecovery({ draftId: 'live', path: null, name: 'live', document });
    expect(await ids(s)).toEqual([]);
    clock += 31_000;
    expect(await ids(s)).toEqual(['live']);
  });

  it('drops an untitled draft with nothing in it instead of offering it', async () => {
    const s = store({ staleAfterMs: 0 });
    await s.saveRecovery({ draftId: 'empty', path: null, name: 'untitled-pipeline', document: blank });
    await s.saveRecovery({ draftId: 'saved-file', path: '/p/a.pipewright.json', name: 'a', document: blank });
    clock += 1;
    expect(await ids(s)).toEqual(['saved-file']);
    expect((await fs.readdir(recoveryDir())).filter((n) => n.startsWith('empty'))).toEqual([]);
  });

  it('overwrites the previous autosave of a draft and leaves no temp files', async () => {
    const s = store();
    for (let i = 0; i < 5; i++) await s.saveRecovery({ draftId: 'd', path: null, name: `v${i}`, document });
    expect((await fs.readdir(recoveryDir())).sort()).toEqual(['d.json', 'd.lease']);
    await s.close();
    expect((await store().restoreRecovery('d')).name).toBe('v4');
  });

  it('moves a damaged draft aside once, tells the user, and explains a missing one', async () => {
    await fs.mkdir(recoveryDir(), { recursive: true });
    await fs.writeFile(path.join(recoveryDir(), 'broken.json'), '{"draftId": "bro');
    await fs.writeFile(path.join(recoveryDir(), 'notes.txt'), 'x');
    const notices = createNoticeBoard();
    const s = store({ notices });
    expect(await s.listRecovery()).toEqual([]);
    const names = await fs.readdir(recoveryDir());
    const kept = names.find((n) => n.startsWith('broken.json') && n.includes('corrupt'));
    expect(kept).toBeDefined();
    expect(await fs.readFile(path.join(recoveryDir(), kept!), 'utf8')).toBe('{"draftId": "bro');
    expect(await notices.listNotices()).toEqual([
      expect.objectContaining({ kind: 'corrupt', file: 'draft', keptAs: path.join(recoveryDir(), kept!), detail: expect.stringMatching(/cut off at line 1/) }),
    ]);
    expect(await s.listRecovery()).toEqual([]);
    expect(await notices.listNotices()).toHaveLength(1);
    await expect(s.restoreRecovery('gone')).rejects.toThrow(/no recovery draft "gone"/);
    await expect(s.discardRecovery('../../etc')).rejects.toThrow(/not a draft id/);
  });

  it('lists a newer Pipewright’s draft, refuses to restore it and keeps it byte for byte', async () => {
    await fs.mkdir(recoveryDir(), { recursive: true });
    const newer = JSON.stringify({ draftId: 'n', path: null, name: 'from v9', savedAt: '2025-01-01T00:00:00.000Z', document: { ...document, format: 'pipewright.pipeline/v9', lanes: [] } });
    await fs.writeFile(path.join(recoveryDir(), 'n.json'), newer);
    const s = store();
    expect(await s.listRecovery()).toEqual([{ draftId: 'n', path: null, name: 'from v9', savedAt: '2025-01-01T00:00:00.000Z', newerFormat: 'pipewright.pipeline/v9' }]);
    await expect(s.restoreRecovery('n')).rejects.toThrow(/newer Pipewright \(format pipewright\.pipeline\/v9\); update Pipewright to restore it/);
    expect(await fs.readFile(path.join(recoveryDir(), 'n.json'), 'utf8')).toBe(newer);
    await expect(s.saveRecovery({ draftId: 'x', path: null, name: 'x', document: { ...document, format: 'pipewright.pipeline/v9' as PipelineDocument['format'] } })).rejects.toThrow(/newer than this Pipewright/);
  });

  it('releases its leases on close, so the next start offers what was still open', async () => {
    const s = store();
    s.connectSession('tab');
    await s.saveRecovery({ draftId: 'open', path: null, name: 'open', document, session: 'tab' });
    expect(await ids(store())).toEqual([]);
    await s.close();
    expect(await ids(store())).toEqual(['open']);
  });
});
