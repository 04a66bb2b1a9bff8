import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../shared/runs/types.ts';
import { ActiveRun } from './activeRun.ts';
import { nodeLogDir, readLogPage } from './logFiles.ts';
import { DEFAULT_LOG_CAPS } from './logWriter.ts';
import { metricsFile, readMetricsFile } from './metricFiles.ts';
import { readStoredRun, RUN_FORMAT } from './runFiles.ts';
import type { StoredRun } from './runFiles.ts';
import type * as RunFiles from './runFiles.ts';
import type { RunTargetDriver } from './target.ts';

const writes = vi.hoisted(() => [] as { phase: string; nodes: string; durable: boolean }[]);
/** Whether each write went through the thread pool (`background`), in order. */
const backgrounds = vi.hoisted(() => [] as boolean[]);

vi.mock('./runFiles.ts', async (importOriginal) => {
  const real = await importOriginal<typeof RunFiles>();
  return {
    ...real,
    writeJsonAtomic: async (file: string, value: StoredRun, options?: { durable?: boolean; background?: boolean }) => {
      const entry = { phase: value.phase, nodes: Object.values(value.nodes).map((n) => n.phase).join(','), durable: options?.durable ?? true };
      await real.writeJsonAtomic(file, value, options);
      writes.push(entry);
      backgrounds.push(options?.background ?? false);
    },
  };
});

const dirs: string[] = [];
afterEach(() => {
  writes.length = 0;
  backgrounds.length = 0;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newRun(): ActiveRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-active-'));
  dirs.push(dir);
  const record: StoredRun = {
    format: RUN_FORMAT,
    id: 'r1',
    pipelineName: 'p',
    target: 'local',
    phase: 'pending',
    createdAt: new Date().toISOString(),
    nodes: { a: { phase: 'pending' }, b: { phase: 'pending' } },
    document: { format: 'pipewright.pipeline/v2', name: 'p', nodes: [], edges: [] },
    compiled: {},
    request: { target: 'local' },
  };
  return new ActiveRun(record, dir, { target: 'local' } as RunTargetDriver, DEFAULT_LOG_CAPS, () => {}, () => new Date());
}

const at = () => new Date().toISOString();
const node = (nodeId: string, phase: 'running' | 'succeeded'): RunEvent => ({ kind: 'node-phase', runId: 'r1', nodeId, phase, at: at() });
/** Resolves once `n` writes have finished (a phase write is due 50 ms after its event), and no other is due. */
async function writesDone(n: number): Promise<void> {
  for (let i = 0; i < 500 && writes.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 60));
}

describe('ActiveRun: when record.json is written, and when it is synced to disk', () => {
  it('syncs each run phase change and the end; node progress between them is written soon, unsynced', async () => {
    const run = newRun();
    run.emit({ kind: 'run-phase', runId: 'r1', phase: 'running', at: at() });
    await writesDone(1);
    expect(writes).toEqual([{ phase: 'running', nodes: 'pending,pending', durable: true }]);
    run.emit(node('a', 'running'));
    run.emit(node('a', 'succeeded'));
    await writesDone(2);
    expect(writes.at(-1)).toEqual({ phase: 'running', nodes: 'succeeded,pending', durable: false });
    expect((await readStoredRun(run.dir)).nodes.a.phase).toBe('succeeded');
    run.emit(node('b', 'running'));
    run.emit(node('b', 'succeeded'));
    run.emit({ kind: 'run-phase', runId: 'r1', phase: 'succeeded', at: at() });
    const done = await run.done;
    expect(done.phase).toBe('succeeded');
    // The last write is the final state, synced before the run counts as done.
    expect(writes.at(-1)).toEqual({ phase: 'succeeded', nodes: 'succeeded,succeeded', durable: true });
    expect(await readStoredRun(run.dir)).toMatchObject({ phase: 'succeeded', nodes: { a: { phase: 'succeeded' }, b: { phase: 'succeeded' } } });
    // Coalesced: far fewer writes than events.
    expect(writes.length).toBeLessThanOrEqual(3);
    // Those made on a timer go through the thread pool (the event loop starts the next stage meanwhile); the final one, which the run's end waits for, does not.
    expect(backgrounds.slice(0, -1).every((b) => b)).toBe(true);
    expect(backgrounds.at(-1)).toBe(false);
  });

  it('a write the record asks for itself (setExternal, close) is synced', async () => {
    const run = newRun();
    run.emit(node('a', 'running'));
    await run.idle();
    await run.writeRecord();
    expect(writes).toEqual([{ phase: 'pending', nodes: 'running,pending', durable: true }]);
  });
});

describe('ActiveRun: a node that ended has its log and metrics written without waiting for a flush', () => {
  it('writes them just after its terminal phase, while the run goes on; a running node keeps them in memory until a flush', async () => {
    const run = newRun();
    const line = (seq: number, text: string) => ({ seq, ts: at(), text });
    run.emit(node('a', 'running'));
    run.emit({ kind: 'log', runId: 'r1', nodeId: 'a', lines: [line(1, 'one'), line(2, 'two')] });
    run.emit({ kind: 'metrics', runId: 'r1', nodeId: 'a', records: [{ step: 1, values: { loss: 2 } }] });
    run.emit(node('b', 'running'));
    run.emit({ kind: 'log', runId: 'r1', nodeId: 'b', lines: [line(1, 'b still running')] });
    run.emit(node('a', 'succeeded'));
    await run.idle();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect((await readLogPage(nodeLogDir(run.dir, 'a'), 0, 10)).lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect((await readMetricsFile(metricsFile(run.dir, 'a'))).map((m) => m.values.loss)).toEqual([2]);
    expect((await readLogPage(nodeLogDir(run.dir, 'b'), 0, 10)).lines).toEqual([]);
    await run.flush();
    expect((await readLogPage(nodeLogDir(run.dir, 'b'), 0, 10)).lines.map((l) => l.text)).toEqual(['b still running']);
    await run.writeRecord();
  });
});
