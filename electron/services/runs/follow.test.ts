import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/runs/types.ts';
import { followRunFromDisk } from './follow.ts';
import { RUN_FORMAT, writeJsonAtomic } from './runFiles.ts';
import type { StoredRun } from './runFiles.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-follow-'));
  dirs.push(dir);
  return dir;
}

const record = (phase: StoredRun['phase'], node: StoredRun['nodes'][string]['phase']): StoredRun => ({
  format: RUN_FORMAT,
  id: 'r1',
  pipelineName: 'p',
  target: 'argo',
  phase,
  createdAt: '2026-12-05T00:00:00.000Z',
  nodes: { cpt: { phase: node } },
  document: { format: 'pipewright.pipeline/v2', name: 'p', nodes: [], edges: [] },
  compiled: {},
  request: { target: 'argo' },
});

describe('followRunFromDisk', () => {
  it('reads the record once more when told to stop: a run its owner ended between a read and the check is reported ended', async () => {
    const dir = tempDir();
    await writeJsonAtomic(path.join(dir, 'record.json'), record('running', 'running'));
    const events: RunEvent[] = [];
    let asked = 0;
    const follow = followRunFromDisk(dir, {
      onEvent: (event) => events.push(event),
      intervalMs: 10,
      // The owner's order: the last record is written, then the owner lets go. Here both happen after
      // the follower's second read and before it asks whether the owner is gone.
      shouldStop: async () => {
        if (++asked < 2) return false;
        await writeJsonAtomic(path.join(dir, 'record.json'), record('cancelled', 'cancelled'));
        return true;
      },
    });
    const last = await follow.finished;
    expect(asked).toBe(2);
    expect(last?.phase).toBe('cancelled');
    expect(last?.nodes.cpt.phase).toBe('cancelled');
    expect(events.filter((e) => e.kind === 'run-phase').map((e) => (e as { phase: string }).phase)).toEqual(['running', 'cancelled']);
  });

  it('a run already ended ends the follow without asking whether to stop', async () => {
    const dir = tempDir();
    await writeJsonAtomic(path.join(dir, 'record.json'), record('succeeded', 'succeeded'));
    let asked = 0;
    const follow = followRunFromDisk(dir, { onEvent: () => {}, intervalMs: 10, shouldStop: () => (asked++, true) });
    expect((await follow.finished)?.phase).toBe('succeeded');
    expect(asked).toBe(0);
  });
});
