import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { createRecoveryStore } from './recovery.ts';

const document: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'draft', nodes: [], edges: [] };

let dataDir: string;
let clock: number;
const now = () => new Date(clock);

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-recovery-'));
  clock = Date.parse('2025-01-01T00:00:00Z');
});

afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('recovery store', () => {
  it('offers the drafts a previous session left behind, newest first, and restores them', async () => {
    const crashed = createRecoveryStore({ dataDir, now });
    await crashed.saveRecovery({ draftId: 'one', path: '/p/one.pipewright.json', name: 'one', document });
    clock += 1000;
    await crashed.saveRecovery({ draftId: 'two', path: null, name: 'Untitled', document: { ...document, name: 'two' } });

    const restarted = createRecoveryStore({ dataDir, now });
    expect(await restarted.listRecovery()).toEqual([
      { draftId: 'two', path: null, name: 'Untitled', savedAt: '2025-01-01T00:00:01.000Z' },
      { draftId: 'one', path: '/p/one.pipewright.json', name: 'one', savedAt: '2025-01-01T00:00:00.000Z' },
    ]);
    const restored = await restarted.restoreRecovery('two');
    expect(restored.document.name).toBe('two');
    expect(await restarted.listRecovery()).toHaveLength(2);
    await restarted.discardRecovery('two');
    expect((await restarted.listRecovery()).map((entry) => entry.draftId)).toEqual(['one']);
  });

  it("does not offer this session's own live drafts, until they go stale", async () => {
    const store = createRecoveryStore({ dataDir, now, staleAfterMs: 30_000 });
    await store.saveRecovery({ draftId: 'live', path: null, name: 'live', document });
    expect(await store.listRecovery()).toEqual([]);
    clock += 31_000;
    expect((await store.listRecovery()).map((entry) => entry.draftId)).toEqual(['live']);
  });

  it('overwrites the previous autosave of a draft and leaves no temp files', async () => {
    const store = createRecoveryStore({ dataDir, now });
    for (let i = 0; i < 5; i++) await store.saveRecovery({ draftId: 'd', path: null, name: `v${i}`, document });
    expect(await fs.readdir(path.join(dataDir, 'recovery'))).toEqual(['d.json']);
    expect((await createRecoveryStore({ dataDir, now }).restoreRecovery('d')).name).toBe('v4');
  });

  it('skips unreadable draft files and explains a missing one', async () => {
    await fs.mkdir(path.join(dataDir, 'recovery'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'recovery', 'broken.json'), '{"draftId": "bro');
    await fs.writeFile(path.join(dataDir, 'recovery', 'notes.txt'), 'x');
    const store = createRecoveryStore({ dataDir, now });
    expect(await store.listRecovery()).toEqual([]);
    await expect(store.restoreRecovery('gone')).rejects.toThrow(/no recovery draft "gone"/);
    await expect(store.discardRecovery('../../etc')).rejects.toThrow(/not a draft id/);
  });
});
